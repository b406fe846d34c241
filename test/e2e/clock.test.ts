/**
 * The 7-day clock: every rotate call starts it, so nothing may start it blind, restart it, or hide it. Each
 * case runs the bundled action against the simulators and asserts what Amazon was asked (rotate calls),
 * what the targets hold, what the queue holds, and what was dispatched.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import { REPO, withWorld, type World } from '../support/world.ts'

const RECORD = 'LWA_CLIENT_SECRET_ROTATION'
const quota = { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] }
const day = (t: number) => new Date(t).toISOString().slice(0, 10)

/** Other applications' and other types' notifications, ahead of anything else in the queue. */
async function backlog(world: World, count: number): Promise<void> {
  const other = world.addApplication().clientId
  for (let i = 0; i < count; i += 10) {
    await world.sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl: world.queueUrl,
        Entries: Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
          Id: `m${j}`,
          MessageBody: JSON.stringify({
            notificationType: 'ANY_OFFER_CHANGED',
            payload: { clientId: other, n: i + j },
          }),
        })),
      }),
    )
  }
}

describe.concurrent('the 7-day clock', () => {
  it("a run stopped right after its rotate call: the re-run waits for that rotation's secret and resumes it; one rotation in all", () =>
    withWorld(
      async (world) => {
        const first = await world.run({ killWhen: /Amazon accepted the rotation/ })
        expect(first.killed).toBe(true)
        expect(world.github.variable(REPO, RECORD)?.value).toMatch(/^\d{4}-\d{2}-\d{2}T/)
        const second = await world.run()
        expect(second.code, second.stdout).toBe(0)
        expect(second.outputs.result).toBe('resumed')
        expect(world.amazon.rotateCalls()).toBe(1)
        expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
        expect(world.pendingSecrets()).toEqual([])
        expect(world.github.variable(REPO, RECORD)).toBeUndefined()
      },
      // Usually still on its way when the re-run looks: the re-run waits for it (either way, no second rotation).
      { amazon: { notificationDelayMs: 6_000 } },
    ))

  it('without the record, a re-run refused by Amazon (429) looks again after the wait and resumes the secret that arrived', () =>
    withWorld(
      async (world) => {
        const inputs = world.inputs({ 'expiry-variable': 'none' })
        const first = await world.run({ inputs, killWhen: /Amazon accepted the rotation/ })
        expect(first.killed).toBe(true)
        world.amazon.failNext('rotate', { status: 429, body: quota, headers: { 'retry-after': '8' } })
        const second = await world.run({ inputs })
        expect(second.code, second.stdout).toBe(0)
        expect(second.outputs.result, second.stdout).toBe('resumed')
        expect(second.warnings.join('\n')).toContain('no rotation is remembered between runs')
        // Two calls reached Amazon; only the first rotated. The stored secret is the newest Amazon issued.
        expect(world.amazon.rotations(world.clientId)).toBe(1)
        expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
        expect(world.pendingSecrets()).toEqual([])
      },
      // Delivered well within the 8 s Amazon asks the re-run to wait.
      { amazon: { notificationDelayMs: 3_000, usagePlanIntervalMs: 1_000 } },
    ))

  it('a backlog of 400 other messages ahead of a pending secret: resumed, no second rotation', () =>
    withWorld(async (world) => {
      await backlog(world, 400)
      const pending = await world.amazon.sendNotification(world.clientId)
      const run = await world.run()
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('resumed')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.stored()).toBe(pending)
      const { visible, inFlight } = world.sqs.contents(world.queueName)
      expect(visible).toHaveLength(400)
      expect(inFlight).toEqual([])
    }))

  it('an undelivered rotation: the next run names the day and rotates nothing; force: true rotates once delivery works', () =>
    withWorld(
      async (world) => {
        const elsewhere = world.sqs.createQueue(`${world.queueName}-elsewhere`)
        world.amazon.subscribe(world.clientId, elsewhere)
        const inputs = world.inputs({ 'receive-timeout': '4' })
        const first = await world.run({ inputs })
        expect(first.code).toBe(1)
        const rotatedAt = Date.parse(world.github.variable(REPO, RECORD)!.value)
        const deadline = day(rotatedAt + 7 * 86_400_000)
        expect(first.errors.join('\n')).toContain(`The secret the targets hold stops working on ${deadline}`)

        const second = await world.run({ inputs })
        expect(second.code).toBe(1)
        expect(second.errors.join('\n')).toContain(`stops working on ${deadline}`)
        expect(second.errors.join('\n')).toContain('force: true')
        expect(second.summary).toContain(`stops working on ${deadline}`)
        expect(second.errors.join('\n')).toContain(`is outstanding: the secret the targets hold stops working on ${deadline}`)
        expect(world.amazon.rotateCalls()).toBe(1)

        world.amazon.subscribe(world.clientId, world.queueUrl)
        const forced = await world.run({ inputs: world.inputs({ force: 'true' }) })
        expect(forced.code, forced.stdout).toBe(0)
        expect(forced.outputs.result).toBe('rotated')
        expect(world.amazon.rotateCalls()).toBe(2)
        expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
        expect(world.github.variable(REPO, RECORD)).toBeUndefined()
      },
      { amazon: { usagePlanIntervalMs: 1_000 } },
    ))

  it('a token that may only read the target: nothing rotated, the permission named, no throw-away secret left', () =>
    withWorld(async (world) => {
      const token = `ghs_${'r'.repeat(36)}`
      world.github.addToken(token, { write: [`variables:${REPO}`], read: [REPO] })
      const run = await world.run({ inputs: world.inputs({ 'github-token': token }) })
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain('could not prove it may write secrets here')
      expect(run.errors.join('\n')).toContain('"Secrets: read and write"')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.github.secret(REPO, 'LWA_ROTATION_WRITE_CHECK')).toBeUndefined()
      expect(world.github.variable(REPO, RECORD)).toBeUndefined()
    }))

  it('a queue whose policy lets only another account send: nothing rotated', () =>
    withWorld(
      async (world) => {
        const run = await world.run()
        expect(run.code).toBe(1)
        expect(run.errors.join('\n')).toContain('no statement of the queue policy allows sqs:SendMessage to Amazon')
        expect(world.amazon.rotateCalls()).toBe(0)
      },
      {
        queueAttributes: {
          Policy: JSON.stringify({
            Statement: [
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sqs:SendMessage', Resource: '*' },
            ],
          }),
        },
      },
    ))

  it('an expired current secret with a new one waiting: the waiting secret is stored', () =>
    withWorld(async (world) => {
      const pending = await world.amazon.sendNotification(world.clientId)
      const run = await world.run({ inputs: world.inputs({ 'client-secret': `amzn1.oa2-cs.v1.${'e'.repeat(64)}` }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('resumed')
      expect(world.stored()).toBe(pending)
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.pendingSecrets()).toEqual([])
    }))

  it('delete denied: the deploys start once over two runs, and the second run writes nothing', () =>
    withWorld(async (world) => {
      const inputs = world.inputs({ dispatch: 'repository_dispatch:lwa-secret-rotated' })
      world.sqsProxy.failNext('DeleteMessage', { status: 400, type: 'AccessDenied', times: 20 })
      const first = await world.run({ inputs })
      expect(first.code, first.stdout).toBe(0)
      expect(first.outputs.result).toBe('rotated')
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.pendingSecrets()).toEqual([secret])
      const writes = world.github.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/LWA_CLIENT_SECRET')).length

      const second = await world.run({ inputs })
      expect(second.code, second.stdout).toBe(0)
      expect(second.outputs.result).toBe('skipped')
      expect(second.warnings.join('\n')).toContain('sqs:DeleteMessage')
      expect(world.github.dispatches).toHaveLength(1)
      expect(world.github.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/LWA_CLIENT_SECRET'))).toHaveLength(writes)
      expect(world.amazon.rotateCalls()).toBe(1)
      expect(world.stored()).toBe(secret)
    }))
})
