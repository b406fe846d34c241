/**
 * Rotating only when due, the expiry record, and check mode, end to end through the bundled action. Each
 * case asserts final state: rotate calls, what GitHub holds (secrets and the expiry variable), what the
 * queue holds. The cases only wait, so they run concurrently.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { readState, SIMULATED, simulate } from '../../demo/serve.ts'
import { expiryNotification } from '../sim/amazon.ts'
import { REPO, withWorld, type World } from '../support/world.ts'

const DAY = 86_400_000
const VARIABLE = 'LWA_CLIENT_SECRET_EXPIRES_AT'

const daysFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString()
const recorded = (world: World) => world.github.variable(REPO, VARIABLE)?.value

describe.concurrent('rotate-before-expiry', () => {
  it('skips when the recorded expiry is outside the window: nothing rotated or written', () =>
    withWorld(async (world) => {
      const expiry = daysFromNow(100)
      world.github.setVariable(REPO, VARIABLE, expiry)
      const run = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '30d' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('skipped')
      expect(run.outputs['secret-expires-at']).toBe(expiry)
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.github.requests.filter((r) => r.method !== 'GET')).toEqual([])
      expect(run.stdout).toMatch(/Not due: the current secret expires .* \(99 days left\)/)
      expect(run.summary).toContain('not due for rotation')
      expect(run.summary).toMatch(/Next rotation due \| \d{4}-/)
      expect(run.summary).toContain('| New-secret message | nothing taken |')
    }))

  it('warns when the secret it skips expires within 14 days', () =>
    withWorld(async (world) => {
      world.github.setVariable(REPO, VARIABLE, daysFromNow(10))
      const run = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '7d' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('skipped')
      expect(run.warnings.join('\n')).toMatch(/The client secret in use expires .* \(9 days left\) and this run did not replace it/)
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it('expiry-variable: none keeps no record and reads none', () =>
    withWorld(async (world) => {
      const run = await world.run({ inputs: world.inputs({ 'expiry-variable': 'none' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(world.github.requests.filter((r) => r.path.includes('/actions/variables'))).toEqual([])
      expect(world.github.variable(REPO, VARIABLE)).toBeUndefined()
    }))

  it('rotates when due, and records the new expiry', () =>
    withWorld(async (world) => {
      world.github.setVariable(REPO, VARIABLE, daysFromNow(20))
      const run = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '30d' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(world.amazon.rotations(world.clientId)).toBe(1)
      expect(recorded(world)).toBe(run.outputs['secret-expires-at'])
      expect(Math.abs(Date.parse(recorded(world)!) - Date.now() - 180 * DAY)).toBeLessThan(60_000)
    }))

  it('rotates when the expiry is unknown; a re-run then skips and changes nothing', () =>
    withWorld(async (world) => {
      const inputs = world.inputs({ 'rotate-before-expiry': '30d' })
      const first = await world.run({ inputs })
      expect(first.outputs.result).toBe('rotated')
      const stored = world.stored()
      const writes = world.github.requests.filter((r) => r.method !== 'GET').length

      const again = await world.run({ inputs: { ...inputs, 'client-secret': stored! } })
      expect(again.code, again.stdout).toBe(0)
      expect(again.outputs.result).toBe('skipped')
      expect(world.amazon.rotations(world.clientId)).toBe(1)
      expect(world.stored()).toBe(stored)
      expect(world.github.requests.filter((r) => r.method !== 'GET').length).toBe(writes)
    }))

  it("learns the expiry from Amazon's expiry notification, rotates when it is close, and consumes it", () =>
    withWorld(async (world) => {
      world.github.setVariable(REPO, VARIABLE, daysFromNow(120))
      const other = world.addApplication()
      const notice = (clientId: string) =>
        expiryNotification({ clientId, eventTime: new Date(), expiresAt: new Date(Date.now() + 5 * DAY) })
      for (const body of [notice(world.clientId), notice(other.clientId)]) {
        await world.sqs.client.send(new SendMessageCommand({ QueueUrl: world.queueUrl, MessageBody: body }))
      }
      const run = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '30d' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(recorded(world)).toBe(run.outputs['secret-expires-at'])
      // Ours consumed once recorded; the other application's left alone.
      const { visible, inFlight } = world.sqs.contents(world.queueName)
      const left = [...visible, ...inFlight]
      expect(left).toHaveLength(1)
      expect(left[0]).toContain(other.clientId)
    }))

  it('stores a pending new secret whatever the schedule says', () =>
    withWorld(async (world) => {
      world.github.setVariable(REPO, VARIABLE, daysFromNow(150))
      const queued = await world.amazon.sendNotification(world.clientId)
      const run = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '30d' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('resumed')
      expect(world.stored()).toBe(queued)
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.pendingSecrets()).toEqual([])
    }))

  it('fails the preflight when the token may not read the variable, naming the permission', () =>
    withWorld(async (world) => {
      const token = `ghs_${'x'.repeat(36)}`
      world.github.addToken(token, { write: [REPO] })
      const run = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '30d', 'github-token': token }) })
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain('"Variables: read and write"')
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it('does not rotate when the token may not keep the rotation record, naming the permission', () =>
    withWorld(async (world) => {
      const token = `ghs_${'y'.repeat(36)}`
      world.github.addToken(token, { write: [REPO] })
      const run = await world.run({ inputs: world.inputs({ 'github-token': token }) })
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain('The rotation record LWA_CLIENT_SECRET_ROTATION')
      expect(run.errors.join('\n')).toContain('"Variables: read and write"')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.stored()).toBeUndefined()
    }))

  it('warns (but succeeds) when the expiry cannot be written after the secrets are stored', () =>
    withWorld(async (world) => {
      // The record's POST before the rotation passes; the expiry's POST after the store fails.
      world.github.failNext({ method: 'POST', path: /\/actions\/variables$/ }, { status: 201, body: {} })
      for (let i = 0; i < 4; i++)
        world.github.failNext({ method: 'POST', path: /\/actions\/variables$/ }, { status: 500, body: { message: 'boom' } })
      const run = await world.run({ inputs: world.inputs() })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(run.warnings.join('\n')).toContain('could not be recorded in LWA_CLIENT_SECRET_EXPIRES_AT')
    }))

  it.each([
    [{ 'rotate-before-expiry': '30 days' }, 'Input rotate-before-expiry:'],
    [{ 'rotate-before-expiry': '365d' }, 'Input rotate-before-expiry:'],
    [{ mode: 'dry-run' }, "Input mode: 'dry-run' is not a mode"],
    [{ 'expiry-variable': 'GITHUB_EXPIRY' }, 'Input expiry-variable:'],
    [{ 'expiry-variable': '1ST' }, 'Input expiry-variable:'],
    [{ 'expiry-variable': 'none', 'rotate-before-expiry': '30d' }, 'Input rotate-before-expiry: needs the expiry to be recorded'],
  ])('refuses %j before any request', (inputs, message) =>
    withWorld(async (world) => {
      const run = await world.run({ inputs: world.inputs({ alert: 'none', ...inputs }) }) // no alert issue either
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain(message)
      expect(world.amazon.requests).toEqual([])
      expect(world.github.requests).toEqual([])
    }),
  )
})

describe.concurrent('mode: check', () => {
  const policy = (account: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sqs:SendMessage', Resource: '*' }],
    })

  it('passes every check and changes nothing', () =>
    withWorld(
      async (world) => {
        world.github.setVariable(REPO, VARIABLE, daysFromNow(90))
        const queued = await world.amazon.sendNotification(world.clientId)
        const run = await world.run({ inputs: world.inputs({ mode: 'check', 'refresh-token': world.refreshToken }) })
        expect(run.code, run.stdout).toBe(0)
        expect(run.outputs.result).toBe('checked')
        expect(world.amazon.rotateCalls()).toBe(0)
        // The one write is the throw-away secret that proves the scope writable, deleted at once.
        expect(world.github.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([
          `PUT /repos/${REPO}/actions/secrets/LWA_ROTATION_WRITE_CHECK`,
          `DELETE /repos/${REPO}/actions/secrets/LWA_ROTATION_WRITE_CHECK`,
        ])
        expect(world.github.secret(REPO, 'LWA_ROTATION_WRITE_CHECK')).toBeUndefined()
        expect(world.stored()).toBeUndefined()
        // The waiting message is seen, and given back at once.
        expect(run.stdout).toContain('1 new-secret message(s) for this client are waiting')
        expect(world.sqs.contents(world.queueName).visible).toHaveLength(1)
        expect(world.pendingSecrets()).toEqual([queued])
        for (const name of [
          'LWA accepts the current client-secret',
          'LWA accepts the refresh-token',
          'The queue answers',
          'The queue keeps messages long enough',
          "The queue policy lets Amazon's notifications in",
          `Target repository:${REPO} is reachable`,
          `Target repository:${REPO} can be written`,
          'Amazon can deliver to the queue',
          'Only Amazon may send, and only this account may receive or delete',
          `The rotation record LWA_CLIENT_SECRET_ROTATION is readable`,
          `The expiry variable ${VARIABLE} is readable`,
        ]) {
          expect(run.summary).toContain(`| ${name} | passed |`)
        }
      },
      { queueAttributes: { Policy: policy('437568002678') } },
    ))

  it('fails for each kind of broken wiring, naming the fix', () =>
    withWorld(
      async (world) => {
        const token = `ghs_${'z'.repeat(36)}`
        world.github.addToken(token, { write: [] })
        const run = await world.run({
          inputs: world.inputs({ mode: 'check', 'client-secret': `amzn1.oa2-cs.v1.${'0'.repeat(64)}`, 'github-token': token }),
        })
        expect(run.code).toBe(1)
        const error = run.errors.join('\n')
        expect(error).toContain('LWA accepts the current client-secret: LWA refused')
        expect(error).toContain('The queue keeps messages long enough: retention 4.0 days')
        expect(error).toContain("The queue policy lets Amazon's notifications in: no statement of the queue policy allows sqs:SendMessage")
        expect(error).toContain(`Target repository:${REPO} is reachable:`)
        expect(error).toContain(`The expiry variable ${VARIABLE} is readable:`)
        expect(world.amazon.rotateCalls()).toBe(0)
        expect(run.outputs.result).toBeUndefined()
      },
      { queueAttributes: { MessageRetentionPeriod: String(4 * 86400), Policy: policy('111122223333') } },
    ))

  it('flags a queue Amazon cannot encrypt for or others may read, a token that may only read, and an outstanding rotation', () =>
    withWorld(
      async (world) => {
        const token = `ghs_${'q'.repeat(36)}`
        world.github.addToken(token, { write: [`variables:${REPO}`], read: [REPO] })
        const rotatedAt = new Date(Date.now() - 2 * 86_400_000)
        world.github.setVariable(REPO, 'LWA_CLIENT_SECRET_ROTATION', rotatedAt.toISOString())
        const run = await world.run({ inputs: world.inputs({ mode: 'check', 'github-token': token }) })
        expect(run.code).toBe(1)
        const error = run.errors.join('\n')
        expect(error).toContain(
          'Amazon can deliver to the queue: The queue (sqs-queue-url) is encrypted with the AWS managed key alias/aws/sqs',
        )
        expect(error).toContain('Only Amazon may send, and only this account may receive or delete: statement 2 lets * ReceiveMessage')
        expect(error).toContain(`Target repository:${REPO} can be written: could not prove it may write secrets here`)
        const deadline = new Date(rotatedAt.getTime() + 7 * 86_400_000).toISOString().slice(0, 10)
        expect(error).toContain(
          `The rotation record LWA_CLIENT_SECRET_ROTATION is readable: a rotation of ${rotatedAt.toISOString()} is outstanding`,
        )
        expect(error).toContain(`stops working on ${deadline}`)
        expect(run.summary).toContain("| Amazon's subscription names this queue | unproven |")
        expect(world.amazon.rotateCalls()).toBe(0)
      },
      {
        queueAttributes: {
          KmsMasterKeyId: 'alias/aws/sqs',
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::437568002678:root' }, Action: 'sqs:SendMessage', Resource: '*' },
              { Effect: 'Allow', Principal: '*', Action: 'sqs:ReceiveMessage', Resource: '*' },
            ],
          }),
        },
      },
    ))

  it('fails without AWS credentials or with a wrong refresh-token, naming each fix, and changes nothing', () =>
    withWorld(async (world) => {
      const run = await world.run({
        inputs: world.inputs({ mode: 'check', 'refresh-token': 'Atzr|not-this-one' }),
        env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      })
      expect(run.code).toBe(1)
      const error = run.errors.join('\n')
      expect(error).toContain('LWA accepts the refresh-token: LWA refused the refresh_token grant')
      expect(error).toContain('The queue answers: No AWS credentials were found')
      expect(world.amazon.rotateCalls()).toBe(0)
    }))
})

describe.concurrent('npm run serve', () => {
  it('gives its token the variables permission: a run records the expiry, with no warning about it', () =>
    withWorld(async (world) => {
      const queueUrl = simulate(world, REPO)
      const run = await world.run({
        inputs: world.inputs({
          'client-id': SIMULATED.clientId,
          'client-secret': SIMULATED.clientSecret,
          'github-token': SIMULATED.githubToken,
          'sqs-queue-url': queueUrl,
          targets: `repository\nenvironment:${SIMULATED.environment}`,
        }),
      })
      expect(run.code, run.stdout).toBe(0)
      expect(run.warnings).toEqual([])
      expect(readState(world, REPO)).toMatchObject({ rotations: 1, stored: true, pending: 0 })
      expect(recorded(world)).toBe(run.outputs['secret-expires-at'])
      expect(run.summary).toContain(`| Expiry variable | \`${VARIABLE}\`: recorded |`)
    }))
})
