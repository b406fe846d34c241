/**
 * The fault catalogue's core cases: every fault the reliability suite injects, with what the action does, what
 * the user sees and how the state recovers. The same objects are the tests (reliability.test.ts runs each `run`)
 * and the table in docs/reliability.md (rendered from them), so the document cannot drift from the suite.
 * catalogue.ts assembles this list with the others; the helpers here are exported for those other lists.
 *
 * Every case ends with `audit`: no new secret lost (each is held by every target or still queued), no
 * second rotation, and, through World.run, no leak in any run.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { expect } from 'vitest'
import { expiryNotification, newSecretNotification } from '../sim/amazon.ts'
import { createWorld, REPO, type World, type WorldOptions } from '../support/world.ts'

export interface FaultCase {
  group: string
  fault: string
  action: string
  userSees: string
  recovery: string
  run(tally: Tally): Promise<void>
  /**
   * About how long the case waits on purpose (a usage-plan pause, a killed run's lease, a timeout), in seconds.
   * The suite starts the longest waits first, so that every other case runs while they wait.
   */
  waitSeconds?: number
}

export interface Tally {
  cases: number
  faults: number
  runs: number
  lost: number
  doubleRotations: number
}

export const ENV = `${REPO}:production`
export const BOTH = 'repository\nenvironment:production'
/** A write of the secret itself, not the throw-away secret that proves a scope writable before the rotation. */
const SECRET_WRITE = /\/LWA_CLIENT_SECRET$/
/** Long enough for a message held by a killed run (LEASE_SECONDS = 30) to come back. */
const AFTER_KILL_TIMEOUT = '90'

/** A world for one case, closed and audited whatever happens. */
export async function scenario(tally: Tally, options: WorldOptions, body: (world: World) => Promise<string[] | void>): Promise<void> {
  const world = await createWorld(options)
  try {
    const clientIds = await body(world)
    audit(world, tally, clientIds ?? [world.clientId])
  } finally {
    tally.cases++
    tally.runs += world.runs
    tally.faults += world.faults
    await world.close()
  }
}

/** The properties every case must end with, counted for the suite's figures. */
export function audit(world: World, tally: Tally, clientIds: string[]): void {
  for (const id of clientIds) {
    const rotations = world.amazon.rotations(id)
    if (rotations > 1) tally.doubleRotations++
    expect(rotations, 'rotations').toBeLessThanOrEqual(1)
    if (rotations === 1) {
      // Either stored everywhere it was meant to go, or still in the queue for the next run.
      const secret = world.amazon.currentSecret(id)
      const stored = world.holders(secret).length > 0
      const queued = world.pendingSecrets(id).includes(secret)
      if (!stored && !queued) tally.lost++
      expect(stored || queued, 'the new secret is stored or still queued').toBe(true)
    }
  }
}

export const expectDone = (world: World, targets: string[] = [REPO]) => {
  const secret = world.amazon.currentSecret(world.clientId)
  expect(secret).not.toBe(world.initialSecret)
  for (const scope of targets) expect(world.stored(scope), scope).toBe(secret)
  expect(world.pendingSecrets(), 'new-secret messages left').toEqual([])
}

export const errorOf = (run: { errors: string[] }) => run.errors.join('\n')

// ---------------------------------------------------------------------------------------------------------

const killed = (
  fault: string,
  setup: (world: World) => { killWhen?: RegExp; killOn?: Promise<unknown> },
  action: string,
  /** resumed: the re-run stores the secret; forced: the rotation is recorded but Amazon never acted, so the re-run stops and a forced run rotates. */
  expectSecond: 'resumed' | 'forced',
): FaultCase => ({
  group: 'Process stopped: cancelled (SIGINT) or killed (SIGKILL, a lost job)',
  fault,
  action,
  userSees:
    expectSecond === 'resumed'
      ? 'The first run ends abruptly; the re-run logs "resuming it, not rotating again".'
      : "The first run ends abruptly; the re-run fails naming the day the targets' secret stops working, and rotates nothing.",
  recovery:
    expectSecond === 'resumed'
      ? 'Re-run: it finds the new secret in the queue (visible again within 30 s), stores it everywhere, deletes the message. No second rotation.'
      : 'Once sure Amazon did not rotate (no message arrives), re-run with force: true: it rotates once.',
  run: (tally) =>
    scenario(tally, {}, async (world) => {
      const inputs = world.inputs({ targets: BOTH, 'receive-timeout': AFTER_KILL_TIMEOUT })
      const first = await world.run({ inputs, ...setup(world) })
      expect(first.killed, 'the first run was killed').toBe(true)
      const rotationsBefore = world.amazon.rotations(world.clientId)

      const second = await world.run({ inputs })
      if (expectSecond === 'forced') {
        // The rotation was recorded before the call; whether Amazon acted cannot be told, so nothing starts the clock again.
        expect(second.code).toBe(1)
        expect(errorOf(second)).toMatch(/stops working on \d{4}-\d{2}-\d{2}/)
        expect(world.amazon.rotateCalls()).toBe(1)
        const forced = await world.run({ inputs: { ...inputs, force: 'true' } })
        expect(forced.code, forced.stdout).toBe(0)
        expect(forced.outputs.result).toBe('rotated')
        expect(world.amazon.rotations(world.clientId)).toBe(1)
      } else {
        expect(second.code, second.stdout).toBe(0)
        expect(second.outputs.result).toBe('resumed')
        expect(world.amazon.rotations(world.clientId)).toBe(rotationsBefore)
      }
      expectDone(world, [REPO, ENV])
    }),
})

const transient = (fault: string, inject: (world: World) => void, check?: (world: World) => void): FaultCase => ({
  group: 'Transient faults',
  fault,
  action: 'Retries within its bounds, honouring retry-after and the usage plan.',
  userSees: 'A successful run; retries are logged.',
  recovery: 'None needed.',
  run: (tally) =>
    scenario(tally, {}, async (world) => {
      inject(world)
      const run = await world.run({ inputs: world.inputs({ targets: BOTH }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(world.amazon.rotations(world.clientId)).toBe(1)
      expectDone(world, [REPO, ENV])
      check?.(world)
    }),
})

const quota = { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] }
const serverError = { errors: [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' }] }
const secondary = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }
const rotateRequests = (world: World) => world.amazon.requests.filter((r) => r.path.endsWith('/clientSecret'))
/** Resolves once `condition` holds, checked every 10 ms; stops checking after `withinMs` (and never resolves). */
const until = (condition: () => boolean, withinMs = 60_000) =>
  new Promise<void>((resolve) => {
    const end = Date.now() + withinMs
    const timer = setInterval(() => {
      if (condition()) resolve()
      if (condition() || Date.now() > end) clearInterval(timer)
    }, 10)
  })

export const cases: FaultCase[] = [
  killed(
    'Killed after the preflight, before Amazon acted on the rotate call',
    (world) => {
      // The rotate call follows the preflight at once; Amazon holds it unanswered, and the run dies meanwhile.
      world.amazon.failNext('rotate', { status: 0, hang: true })
      return { killOn: until(() => rotateRequests(world).length > 0) }
    },
    'The rotation was recorded before the call; Amazon never acted, but no run can tell that from a lost delivery.',
    'forced',
  ),
  killed(
    'Killed right after the rotate call returned 204',
    () => ({ killWhen: /Amazon accepted the rotation/ }),
    'The new secret reaches the queue with no run to take it; it waits there.',
    'resumed',
  ),
  {
    ...killed(
      'Killed after the new-secret message was received',
      () => ({ killWhen: /Received the new secret/ }),
      'The message stays hidden for at most 30 s (its lease is no longer renewed), then is visible again.',
      'resumed',
    ),
    waitSeconds: 30,
  },
  {
    ...killed(
      'Killed after one of two targets was written',
      (world) => {
        world.github.failNext({ method: 'PUT', path: /\/environments\/.*\/LWA_CLIENT_SECRET$/ }, { status: 0, hang: true })
        return { killWhen: new RegExp(`repository:${REPO}: LWA_CLIENT_SECRET created`) }
      },
      'One target holds the new secret, the other the old one (valid 7 more days); the message comes back within 30 s.',
      'resumed',
    ),
    // The lease, then the hung write's 30 s request timeout in the re-run.
    waitSeconds: 60,
  },
  {
    ...killed(
      'Killed while deleting the message (every target written)',
      (world) => ({ killOn: world.sqsProxy.holdNext('DeleteMessage') }),
      'Every target holds the new secret; the message was not deleted and comes back within 30 s.',
      'resumed',
    ),
    waitSeconds: 30,
  },

  {
    group: 'Process stopped: cancelled (SIGINT) or killed (SIGKILL, a lost job)',
    fault: 'Cancelled (SIGINT, as the runner sends first) while verifying the new secret',
    action: 'Stops before the next phase and makes the message visible again at once.',
    userSees: 'A failed run saying it was cancelled, with the new secret still in the queue.',
    recovery: 'Re-run: result `resumed` at once, no wait for the message to come back.',
    run: (tally) =>
      scenario(tally, { amazon: { activationDelayMs: 4_000 } }, async (world) => {
        const first = await world.run({ killWhen: /Received the new secret/, killSignal: 'SIGINT' })
        expect(first.killed).toBe(true)
        expect(first.code).toBe(1)
        expect(errorOf(first)).toContain('cancelled')
        // Released by the cancelled run itself, not by a lease running out.
        expect(world.sqs.contents(world.queueName).visible).toHaveLength(1)

        const second = await world.run()
        expect(second.outputs.result).toBe('resumed')
        expect(second.stdout).not.toContain('held by another consumer')
        expect(world.amazon.rotations(world.clientId)).toBe(1)
        expectDone(world)
      }),
  },
  {
    group: 'Transient faults',
    fault: 'SP-API does not answer the rotate call (timeout)',
    action:
      'Does not call again (Amazon may have rotated); waits for the new-secret message until receive-timeout, then fails. The rotation stays recorded.',
    userSees:
      'A warning that the outcome is unknown, then the "no new-secret message" error naming the day the targets\' secret stops working.',
    recovery:
      'A re-run resumes if Amazon did rotate; if it did not, the re-run stops naming the day, and a run with force: true rotates once.',
    waitSeconds: 40,
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        world.amazon.failNext('rotate', { status: 0, hang: true })
        const first = await world.run({ inputs: world.inputs({ 'receive-timeout': '40' }) })
        expect(first.code).toBe(1)
        expect(first.warnings.join('\n')).toContain('Amazon may or may not have rotated')
        expect(errorOf(first)).toContain('No new-secret message')
        expect(errorOf(first)).toMatch(/stops working on \d{4}-\d{2}-\d{2}/)
        expect(world.amazon.rotateCalls()).toBe(1)

        const second = await world.run()
        expect(second.code).toBe(1)
        expect(world.amazon.rotateCalls()).toBe(1)
        const forced = await world.run({ inputs: world.inputs({ force: 'true' }) })
        expect(forced.code, forced.stdout).toBe(0)
        expect(world.amazon.rotations(world.clientId)).toBe(1)
        expectDone(world)
      }),
  },
  transient('LWA answers 503 twice', (w) =>
    w.amazon.failNext('token', { status: 503, body: { error: 'temporarily_unavailable' }, times: 2 }),
  ),
  transient('LWA answers 500', (w) => w.amazon.failNext('token', { status: 500, body: { error: 'server_error' } })),
  { ...transient('LWA does not answer (request timeout)', (w) => w.amazon.failNext('token', { status: 0, hang: true })), waitSeconds: 10 },
  {
    ...transient(
      'SP-API answers 429 without retry-after (usage plan)',
      (w) => w.amazon.failNext('rotate', { status: 429, body: quota }),
      (w) => {
        const [first, second] = rotateRequests(w)
        expect(second!.at - first!.at, 'waited for the usage plan (about a minute)').toBeGreaterThanOrEqual(59_000)
      },
    ),
    waitSeconds: 60,
  },
  transient('SP-API answers 500 with retry-after', (w) =>
    w.amazon.failNext('rotate', { status: 500, body: serverError, headers: { 'retry-after': '1' } }),
  ),
  transient('SP-API answers 503 with retry-after', (w) =>
    w.amazon.failNext('rotate', { status: 503, body: serverError, headers: { 'retry-after': '1' } }),
  ),
  transient('SQS ReceiveMessage fails with InternalError twice', (w) =>
    w.sqsProxy.failNext('ReceiveMessage', { status: 500, type: 'InternalError', times: 2 }),
  ),
  transient('SQS throttles GetQueueAttributes, ChangeMessageVisibility and DeleteMessage', (w) => {
    w.sqsProxy.failNext('GetQueueAttributes', { status: 400, type: 'ThrottlingException', times: 2 })
    w.sqsProxy.failNext('ChangeMessageVisibility', { status: 400, type: 'ThrottlingException' })
    w.sqsProxy.failNext('DeleteMessage', { status: 400, type: 'ThrottlingException' })
  }),
  transient('GitHub answers 502 twice to a secret write', (w) =>
    w.github.failNext({ method: 'PUT', path: SECRET_WRITE }, { status: 502, body: { message: 'Bad Gateway' }, times: 2 }),
  ),
  transient('GitHub answers 503 to a public-key read', (w) =>
    w.github.failNext({ method: 'GET', path: /public-key$/ }, { status: 503, body: { message: 'Service Unavailable' } }),
  ),
  transient('GitHub secondary rate limit: 403 with retry-after', (w) =>
    w.github.failNext({ method: 'PUT', path: SECRET_WRITE }, { status: 403, body: secondary, headers: { 'retry-after': '1' } }),
  ),
  {
    // Octokit's throttling waits a minute on a secondary rate limit that names no retry-after.
    ...transient('GitHub secondary rate limit: 403 without retry-after', (w) =>
      w.github.failNext({ method: 'PUT', path: SECRET_WRITE }, { status: 403, body: secondary }),
    ),
    waitSeconds: 60,
  },
  transient('GitHub secondary rate limit: 429 with retry-after', (w) =>
    w.github.failNext({ method: 'PUT', path: SECRET_WRITE }, { status: 429, body: secondary, headers: { 'retry-after': '1' } }),
  ),
  transient('GitHub secondary rate limit: 429 without retry-after', (w) =>
    w.github.failNext({ method: 'PUT', path: SECRET_WRITE }, { status: 429, body: secondary }),
  ),

  {
    group: 'Permanent faults',
    fault: 'The token may only read one target',
    action:
      'The write check before the rotate call (a throw-away secret written and deleted in each target scope) is refused: nothing rotated, named with the permission it needs.',
    userSees: 'An error naming the target and "Secrets: read and write"; nothing rotated.',
    recovery: 'Give the token the permission and re-run: it rotates once.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const narrow = 'ghs_can_only_read_the_repository_secrets'
        world.github.addToken(narrow, { write: [ENV, `variables:${REPO}`], read: [REPO] })
        const first = await world.run({ inputs: world.inputs({ targets: BOTH, 'github-token': narrow }) })
        expect(first.code).toBe(1)
        expect(errorOf(first)).toContain(`repository:${REPO}: could not prove it may write secrets here`)
        expect(errorOf(first)).toContain('"Secrets: read and write"')
        expect(world.amazon.rotateCalls()).toBe(0)
        expect(world.github.secret(ENV, 'LWA_ROTATION_WRITE_CHECK')).toBeUndefined()

        const second = await world.run({ inputs: world.inputs({ targets: BOTH }) })
        expect(second.code, second.stdout).toBe(0)
        expect(second.outputs.result).toBe('rotated')
        expect(world.amazon.rotations(world.clientId)).toBe(1)
        expectDone(world, [REPO, ENV])
      }),
  },
  {
    group: 'Permanent faults',
    fault: 'An environment deleted before the run',
    action: 'The preflight cannot read its public key: stops before rotating.',
    userSees: 'A preflight error naming the environment (HTTP 404) and saying nothing was rotated.',
    recovery: 'Recreate the environment (or fix the targets) and re-run.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        world.github.deleteEnvironment(REPO, 'production')
        const run = await world.run({ inputs: world.inputs({ targets: BOTH }) })
        expect(run.code).toBe(1)
        expect(errorOf(run)).toContain(`environment:${ENV}: could not read the public key: HTTP 404`)
        expect(world.amazon.rotateCalls()).toBe(0)
        expect(world.stored()).toBeUndefined()
      }),
  },
  {
    group: 'Permanent faults',
    fault: 'An environment deleted during the run (after the rotation)',
    action: 'Writes the other targets, keeps the message, fails.',
    userSees: 'An error naming the environment (HTTP 404) and saying the re-run resumes.',
    recovery: 'Recreate the environment and re-run: result `resumed`.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const inputs = world.inputs({ targets: BOTH })
        const first = await world.run({
          inputs,
          onLine: (line) => line.includes('Amazon accepted the rotation') && world.github.deleteEnvironment(REPO, 'production'),
        })
        expect(first.code).toBe(1)
        expect(errorOf(first)).toContain(`Not written: environment:${ENV}`)
        expect(world.pendingSecrets()).toHaveLength(1)

        world.github.addRepo(REPO, { environments: ['production'] })
        const second = await world.run({ inputs })
        expect(second.code, second.stdout).toBe(0)
        expect(second.outputs.result).toBe('resumed')
        expectDone(world, [REPO, ENV])
      }),
  },
  {
    group: 'Permanent faults',
    fault: 'LWA rejects the new secret',
    action: 'Retries for 30 s (a new secret can take a moment to activate), stores nothing, keeps the message.',
    userSees: 'An error during verification; no target changed.',
    recovery: 'Once LWA accepts it, re-run: result `resumed`.',
    waitSeconds: 30,
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        world.amazon.rejectNewSecrets = true
        world.faults++
        const first = await world.run()
        expect(first.code).toBe(1)
        expect(errorOf(first)).toContain('during verification')
        expect(world.stored()).toBeUndefined()

        world.amazon.rejectNewSecrets = false
        const second = await world.run()
        expect(second.code, second.stdout).toBe(0)
        expect(second.outputs.result).toBe('resumed')
        expectDone(world)
      }),
  },
  {
    group: 'Permanent faults',
    fault: 'The current client-secret is wrong or expired (or the client-id is)',
    action:
      'LWA answers invalid_client in the preflight; with no new secret waiting in the queue to store instead, it stops before rotating.',
    userSees: "A preflight error naming the client-id or client-secret (LWA's invalid_client does not tell them apart).",
    recovery: 'Set the client-id and the secret the application uses now and re-run.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        world.faults++
        const run = await world.run({ inputs: world.inputs({ 'client-secret': 'amzn1.oa2-cs.v1.revoked' }) })
        expect(run.code).toBe(1)
        expect(errorOf(run)).toMatch(
          /LWA rejects the client-id or client-secret \(LWA refused .*invalid_client.*: the client-id or the client-secret is wrong/,
        )
        expect(world.amazon.rotateCalls()).toBe(0)
      }),
  },
  {
    group: 'Permanent faults',
    fault: 'No queue registered for "Application Client New Secret" (400)',
    action: 'Stops; Amazon did not rotate.',
    userSees: "Amazon's InvalidInput error and where to subscribe the queue in Developer Console.",
    recovery: 'Subscribe the queue and re-run.',
    run: (tally) =>
      scenario(tally, { notEnrolled: true }, async (world) => {
        world.faults++
        const run = await world.run()
        expect(run.code).toBe(1)
        expect(errorOf(run)).toContain('Notification Preferences')
        expect(world.amazon.rotations(world.clientId)).toBe(0)
        expect(world.stored()).toBeUndefined()
      }),
  },

  {
    group: 'The queue',
    fault: 'Messages of other types, for other applications, unparseable or wrongly shaped',
    action: 'Never deletes them; makes them visible again after each look; warns once about each unreadable one.',
    userSees: 'A warning naming each unreadable message id; a successful run.',
    recovery: 'Nothing to recover: they stay in the queue for their owners.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const other = world.addApplication()
        const foreign = [
          // Another application's expiry notice: this client's own are consumed once recorded (see test/e2e/expiry.test.ts).
          expiryNotification({ clientId: other.clientId, eventTime: new Date(), expiresAt: new Date(Date.now() + 30 * 86_400_000) }),
          newSecretNotification({ clientId: other.clientId, secret: 'amzn1.oa2-cs.v1.not-ours', eventTime: new Date() }),
          'this is not json',
          JSON.stringify({ notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET', payload: {} }),
        ]
        for (const body of foreign) await world.sqs.client.send(new SendMessageCommand({ QueueUrl: world.queueUrl, MessageBody: body }))
        world.faults += foreign.length
        const run = await world.run()
        expect(run.code, run.stdout).toBe(0)
        expectDone(world)
        const { visible, inFlight } = world.sqs.contents(world.queueName)
        expect(visible.sort()).toEqual([...foreign].sort())
        expect(inFlight).toEqual([])
        expect(run.warnings.filter((w) => w.includes('untouched'))).toHaveLength(2)
      }),
  },
  {
    group: 'The queue',
    fault: 'Duplicate and out-of-order new-secret messages for the same application',
    action: 'Takes the one with the latest eventTime, stores it, deletes them all.',
    userSees: 'A successful run (`resumed`).',
    recovery: 'None needed.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const minuteAgo = new Date(Date.now() - 60_000)
        const older = await world.amazon.sendNotification(world.clientId, { eventTime: minuteAgo })
        const newest = await world.amazon.sendNotification(world.clientId, { eventTime: new Date() })
        await world.amazon.sendNotification(world.clientId, { eventTime: minuteAgo, secret: older })
        await world.amazon.sendNotification(world.clientId, { eventTime: new Date(), secret: newest })
        world.faults += 4
        const run = await world.run()
        expect(run.code, run.stdout).toBe(0)
        expect(run.outputs.result).toBe('resumed')
        expect(world.stored()).toBe(newest)
        expect(world.amazon.rotateCalls()).toBe(0)
        expect(world.pendingSecrets()).toEqual([])
      }),
  },
  {
    group: 'The queue',
    fault: 'The message arrives after more than one long-poll window (25 s)',
    action: 'Keeps long-polling until receive-timeout.',
    userSees: 'A successful run.',
    recovery: 'None needed.',
    waitSeconds: 25,
    run: (tally) =>
      scenario(tally, { amazon: { notificationDelayMs: 25_000 } }, async (world) => {
        world.faults++
        const run = await world.run({ inputs: world.inputs({ 'receive-timeout': '60' }) })
        expect(run.code, run.stdout).toBe(0)
        expectDone(world)
      }),
  },
  {
    group: 'The queue',
    fault: 'No message within receive-timeout',
    action: 'Fails after receive-timeout; nothing was written; the rotation stands.',
    userSees: 'An error saying no message arrived, that a re-run picks it up without rotating, and what to check.',
    recovery: 'Re-run when the message has arrived: result `resumed`.',
    waitSeconds: 10,
    run: (tally) =>
      scenario(tally, { amazon: { notificationDelayMs: 8_000 } }, async (world) => {
        world.faults++
        const first = await world.run({ inputs: world.inputs({ 'receive-timeout': '4' }) })
        expect(first.code).toBe(1)
        expect(errorOf(first)).toContain('No new-secret message')
        expect(world.stored()).toBeUndefined()
        // The message arrives 8 s after the rotation: wait for it, bounded.
        for (let i = 0; i < 100 && world.pendingSecrets().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
        expect(world.pendingSecrets()).toHaveLength(1)

        const second = await world.run()
        expect(second.code, second.stdout).toBe(0)
        expect(second.outputs.result).toBe('resumed')
        expect(world.amazon.rotations(world.clientId)).toBe(1)
        expectDone(world)
      }),
  },
  {
    group: 'The queue',
    fault: "Queue retention shorter than the old secret's remaining life (4 days)",
    action: 'Refuses to rotate: the new secret could wait longer in the queue than the queue keeps it.',
    userSees: 'An error to set MessageRetentionPeriod to at least 8 days; nothing rotated.',
    recovery: 'Raise the retention, re-run.',
    run: (tally) =>
      scenario(tally, { queueAttributes: { MessageRetentionPeriod: String(4 * 86_400) } }, async (world) => {
        world.faults++
        const run = await world.run()
        expect(run.code).toBe(1)
        expect(errorOf(run)).toContain('MessageRetentionPeriod to at least 691200 s')
        expect(world.amazon.rotateCalls()).toBe(0)
        expect(world.stored()).toBeUndefined()
      }),
  },

  {
    group: 'Concurrent runs',
    fault: 'Three applications sharing one queue, rotated at once (a matrix job)',
    action: 'Each run takes only its own message and gives the others back at once.',
    userSees: 'Three successful runs.',
    recovery: 'None needed.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const apps = [{ clientId: world.clientId, secret: world.initialSecret }, world.addApplication(), world.addApplication()]
        const runs = await Promise.all(
          apps.map((app, i) =>
            world.run({
              inputs: world.inputs({ 'client-id': app.clientId, 'client-secret': app.secret, 'secret-name': `LWA_SECRET_${i}` }),
            }),
          ),
        )
        apps.forEach((app, i) => {
          expect(runs[i]!.code, runs[i]!.stdout).toBe(0)
          expect(world.amazon.rotations(app.clientId)).toBe(1)
          expect(world.stored(REPO, `LWA_SECRET_${i}`)).toBe(world.amazon.currentSecret(app.clientId))
          expect(world.pendingSecrets(app.clientId)).toEqual([])
        })
        return apps.map((app) => app.clientId)
      }),
  },
  {
    group: 'Concurrent runs',
    fault: 'Two runs for the same application started together (cron and a manual dispatch)',
    action:
      'Both find nothing to resume; Amazon accepts one rotation and refuses the other (usage plan). The refused run waits, looks again, sees every target updated since it started, and stops.',
    userSees: 'One run `rotated`, the other `skipped` about a minute later.',
    recovery: 'None needed; a workflow concurrency group avoids the wait.',
    waitSeconds: 60,
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const inputs = world.inputs({ targets: BOTH })
        world.faults++
        const runs = await Promise.all([world.run({ inputs }), world.run({ inputs })])
        expect(
          runs.map((r) => r.code),
          runs.map((r) => r.stdout).join('\n---\n'),
        ).toEqual([0, 0])
        // Usually one rotates and the other is refused, then skips; if the other takes the first one's message from
        // the queue instead, it resumes, and the first sees the targets written when its receive-timeout runs out.
        expect([
          ['rotated', 'skipped'],
          ['resumed', 'rotated'],
        ]).toContainEqual(runs.map((r) => r.outputs.result).sort())
        expect(world.amazon.rotations(world.clientId)).toBe(1)
        expectDone(world, [REPO, ENV])
      }),
  },
  {
    group: 'Concurrent runs',
    fault: 'A second run for the same application starts while the first holds the new secret',
    action: 'Sees a message in flight, waits, then sees every target updated since it started, and stops.',
    userSees: 'The first run `rotated`, the second `skipped`.',
    recovery: 'None needed.',
    run: (tally) =>
      // The new secret activates 4 s after the rotation: the first run holds the message while it waits to verify.
      scenario(tally, { amazon: { activationDelayMs: 4_000 } }, async (world) => {
        const inputs = world.inputs({ targets: BOTH })
        world.faults++
        let second: ReturnType<World['run']> | undefined
        const first = await world.run({
          inputs,
          onLine: (line) => {
            if (line.includes('Received the new secret')) second ??= world.run({ inputs })
          },
        })
        expect(first.code, first.stdout).toBe(0)
        const other = await second!
        expect(other.code, other.stdout).toBe(0)
        expect(other.outputs.result).toBe('skipped')
        expect(other.stdout).toContain('held by another consumer')
        expect(world.amazon.rotations(world.clientId)).toBe(1)
        expectDone(world, [REPO, ENV])
      }),
  },
]
