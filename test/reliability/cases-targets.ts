/**
 * Faults of the AWS Secrets Manager targets in the fault catalogue: a secret that does not exist and a
 * write that is denied. Same shape and audit as cases.ts; the Secrets Manager simulator checks every
 * request against the service's model.
 */
import { expect } from 'vitest'
import { startSecretsManagerSim } from '../sim/secrets-manager.ts'
import { errorOf, expectDone, scenario, type FaultCase } from './cases.ts'

const GROUP = 'AWS Secrets Manager targets'

export const targetCases: FaultCase[] = [
  {
    group: GROUP,
    fault: 'The Secrets Manager secret does not exist',
    action: 'The preflight fails on DescribeSecret: stops before rotating. The action never creates a secret.',
    userSees: 'A preflight error naming the target and saying to create the secret first.',
    recovery: 'Create the secret (or fix the name or ARN) and re-run.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const sm = await startSecretsManagerSim()
        try {
          world.faults++
          const env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url }
          const run = await world.run({ inputs: world.inputs({ targets: 'repository\naws-secretsmanager:missing' }), env })
          expect(run.code).toBe(1)
          expect(errorOf(run)).toContain('the secret does not exist')
          expect(world.amazon.rotateCalls()).toBe(0)
          expect(sm.violations).toEqual([])
        } finally {
          await sm.close()
        }
      }),
  },
  {
    group: GROUP,
    fault: 'PutSecretValue is denied (the role lacks the permission, or the key policy refuses)',
    action: 'Writes the other targets, keeps the message, fails naming the IAM actions to allow.',
    userSees: 'An error listing the unwritten target and secretsmanager:PutSecretValue (and the KMS actions).',
    recovery: 'Allow the actions and re-run: result `resumed`, the same version written, no second rotation.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const sm = await startSecretsManagerSim()
        try {
          sm.createSecret('lwa', 'old value')
          const lift = sm.deny('PutSecretValue', 'lwa')
          world.faults++
          const env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url }
          const inputs = world.inputs({ targets: 'repository\naws-secretsmanager:lwa' })
          const first = await world.run({ inputs, env })
          expect(first.code).toBe(1)
          expect(errorOf(first)).toContain('secretsmanager:PutSecretValue')
          lift()
          const second = await world.run({ inputs, env })
          expect(second.outputs.result).toBe('resumed')
          expect(sm.current('lwa').value).toBe(world.amazon.currentSecret(world.clientId))
          expectDone(world)
          expect(sm.violations).toEqual([])
        } finally {
          await sm.close()
        }
      }),
  },
  {
    group: GROUP,
    fault: 'A #KEY target whose value is not a JSON object',
    action: 'The preflight fails: the key cannot be set in it. Nothing is rotated.',
    userSees: 'A preflight error saying to store a JSON object there, or to drop #KEY and replace the whole value.',
    recovery: 'Fix the secret or the target line and re-run.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const sm = await startSecretsManagerSim()
        try {
          sm.createSecret('plain', 'not json')
          world.faults++
          const run = await world.run({
            inputs: world.inputs({ targets: 'aws-secretsmanager:plain#clientSecret' }),
            env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url },
          })
          expect(run.code).toBe(1)
          expect(errorOf(run)).toContain("the secret's value is not a JSON object")
          expect(world.amazon.rotateCalls()).toBe(0)
        } finally {
          await sm.close()
        }
      }),
  },
]
