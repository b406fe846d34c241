/**
 * Faults of the Parameter Store targets in the fault catalogue: a parameter busy with other writers or a
 * throttled account, and a parameter at its 100-version limit. Same shape and audit as cases.ts; the
 * Parameter Store simulator checks every request against the service's model.
 */
import { expect } from 'vitest'
import { errorOf, expectDone, scenario, type FaultCase } from './cases.ts'

const GROUP = 'AWS Systems Manager Parameter Store targets'
const NAME = '/sp-api/lwa-client-secret'

export const parameterStoreCases: FaultCase[] = [
  {
    group: GROUP,
    fault: 'Parameter Store answers TooManyUpdates (another writer) or ThrottlingException',
    action:
      "Retries with the AWS SDK's backoff for throttling, at most 5 attempts a call (TooManyUpdates counted as a throttle), then writes once.",
    userSees: 'A successful run; the parameter gains exactly one version.',
    recovery: 'None needed. Past the retries the target fails, the message stays in the queue, and a re-run completes.',
    run: (tally) =>
      scenario(tally, { ssm: true }, async (world) => {
        world.ssm.putParameter(NAME, world.initialSecret)
        world.ssm.failNextWith('PutParameter', 'TooManyUpdates', 2)
        world.ssm.failNextWith('GetParameter', 'ThrottlingException')
        const run = await world.run({ inputs: world.inputs({ targets: `repository\naws-ssm:${NAME}` }) })
        expect(run.code, run.stdout).toBe(0)
        expect(run.outputs.result).toBe('rotated')
        expect(world.ssm.current(NAME)).toMatchObject({ value: world.amazon.currentSecret(world.clientId), version: 2 })
        expect(world.ssm.calls('PutParameter')).toHaveLength(3)
        expectDone(world)
        expect(world.ssm.violations).toEqual([])
      }),
  },
  {
    group: GROUP,
    fault: "The parameter holds 100 versions and the oldest has a label, so PutParameter can't add one",
    action: 'Writes the other targets, keeps the message, fails naming the labelled version (ParameterMaxVersionLimitExceeded).',
    userSees:
      'An error with the command that frees the version: `aws ssm unlabel-parameter-version --name … --parameter-version N --labels LABEL`.',
    recovery: 'Move or remove the label and re-run: result `resumed`, one version written, no second rotation.',
    run: (tally) =>
      scenario(tally, { ssm: true }, async (world) => {
        world.ssm.putParameter(NAME, 'version-1')
        for (let i = 2; i < 100; i++) world.ssm.putParameter(NAME, `version-${i}`, { overwrite: true })
        world.ssm.putParameter(NAME, world.initialSecret, { overwrite: true })
        world.ssm.labelVersion(NAME, 1, 'first')
        world.faults++
        const inputs = world.inputs({ targets: `repository\naws-ssm:${NAME}` })
        const first = await world.run({ inputs })
        expect(first.code).toBe(1)
        expect(errorOf(first)).toContain(`aws ssm unlabel-parameter-version --name '${NAME}' --parameter-version 1 --labels LABEL`)
        expect(world.pendingSecrets()).toEqual([world.amazon.currentSecret(world.clientId)])
        expect(world.ssm.current(NAME)).toMatchObject({ value: world.initialSecret, version: 100 })

        world.ssm.labelVersion(NAME, 50, 'first')
        const second = await world.run({ inputs })
        expect(second.outputs.result).toBe('resumed')
        expect(world.ssm.current(NAME)).toMatchObject({ value: world.amazon.currentSecret(world.clientId), version: 101 })
        expect(world.ssm.versions(NAME)[0]!.version).toBe(2)
        expectDone(world)
        expect(world.ssm.violations).toEqual([])
      }),
  },
]
