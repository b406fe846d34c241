/**
 * The rotation, start to finish: preflight → resume or rotate → receive → verify → store → commit → report.
 *
 * Amazon puts the new secret on the queue and nowhere else, so the queue message is treated as the only
 * copy: it is deleted only once every target holds the secret, and released for the next run on any
 * failure. A message already waiting for this client id means an earlier run rotated and did not finish:
 * that run is resumed instead of rotating again. The core talks to Amazon, SQS and GitHub only through the
 * narrow interfaces in Deps; main.ts wires the real adapters.
 */
import type { Lwa } from './lwa.js'
import { LwaError } from './lwa.js'
import { parseNotification, type NewSecret } from './notification.js'
import { Lease, type Queue, type QueueMessage } from './queue.js'
import type { SecretStore } from './github.js'
import type { SpApi } from './sp-api.js'
import { formatTarget, type Target } from './targets.js'

/** How long a message taken by this run stays hidden from other consumers without a renewal. */
export const LEASE_SECONDS = 30
/** Visibility of messages while one pass over the queue looks at them; others' are released after the pass. */
const PASS_VISIBILITY_SECONDS = 10
const MAX_RECEIVES_PER_PASS = 10
const LONG_POLL_SECONDS = 20
const IN_FLIGHT_POLL_MS = 5_000
/** A new secret can take a little while to become active at LWA. */
const VERIFY_WINDOW_MS = 30_000
const VERIFY_INTERVAL_MS = 3_000
/** The old secret lives 7 days after a rotation; the message must outlive it (invariant 2). */
const MIN_RETENTION_SECONDS = 8 * 24 * 3600

export interface Plan {
  clientId: string
  currentSecret: string
  refreshToken: string | undefined
  verify: boolean
  secretName: string
  targets: Target[]
  receiveTimeoutMs: number
  signal?: AbortSignal
}

export interface Log {
  info: (message: string) => void
  warning: (message: string) => void
  group: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  /** Registers a value with the runner's masking before anything could print it. */
  mask: (secret: string) => void
}

export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export interface Deps {
  lwa: Lwa
  spApi: SpApi
  queue: Queue
  store: SecretStore
  log: Log
  clock: Clock
}

export type TargetStatus = 'created' | 'updated' | 'failed' | 'not written'

export interface Report {
  clientId: string
  /** rotated: this run rotated; resumed: this run finished an earlier run's rotation. */
  result: 'rotated' | 'resumed' | undefined
  secretExpiresAt: string | undefined
  previousSecretExpiresAt: string | undefined
  targets: Array<{ target: string; status: TargetStatus; detail?: string }>
  /** True when the new-secret message was left in the queue for the next run. */
  messageKept: boolean
}

export class RotationFailed extends Error {
  constructor(
    message: string,
    readonly report: Report,
  ) {
    super(message)
    this.name = 'RotationFailed'
  }
}

export async function rotate(plan: Plan, deps: Deps): Promise<Report> {
  const { log, clock, queue } = deps
  const report: Report = {
    clientId: plan.clientId,
    result: undefined,
    secretExpiresAt: undefined,
    previousSecretExpiresAt: undefined,
    targets: plan.targets.map((t) => ({ target: formatTarget(t), status: 'not written' })),
    messageKept: false,
  }
  const deadline = clock.now() + plan.receiveTimeoutMs
  const lease = new Lease<NewSecret>(queue, LEASE_SECONDS, (m) => log.warning(m))
  const reported = new Set<string>()
  let phase = 'preflight'
  let committed = false

  /** One look at the queue: receive until nothing new arrives; hold ours, give back everything else. */
  async function pass(firstWaitSeconds: number): Promise<void> {
    const foreign: QueueMessage[] = []
    try {
      let wait = firstWaitSeconds
      for (let i = 0; i < MAX_RECEIVES_PER_PASS; i++) {
        const batch = await queue.receive(wait, PASS_VISIBILITY_SECONDS, plan.signal)
        if (batch.length === 0) break
        for (const message of batch) {
          const n = parseNotification(message.body)
          if (n.kind === 'new-secret') log.mask(n.newSecret) // whoever's it is, it must never be printed
          if (n.kind === 'new-secret' && n.clientId === plan.clientId) {
            await lease.hold(message, n)
            continue
          }
          foreign.push(message)
          if (n.kind === 'invalid' && !reported.has(message.messageId)) {
            reported.add(message.messageId)
            log.warning(`Left message ${message.messageId} in the queue untouched: ${n.reason}.`)
          }
        }
        // Drain what else is there; a 1 s wait makes SQS look at all of its servers.
        wait = 1
      }
    } finally {
      await Promise.allSettled(foreign.map((m) => queue.setVisibility(m, 0)))
    }
  }

  const newest = (): NewSecret | undefined =>
    lease.values.reduce<NewSecret | undefined>((a, b) => (a && a.eventTime >= b.eventTime ? a : b), undefined)

  const remainingMs = () => deadline - clock.now()

  try {
    // 1. Preflight: nothing irreversible happens unless Amazon, the queue and every target answer.
    const token = await log.group('Preflight', async () => {
      const checks = await Promise.allSettled([
        deps.lwa.rotationToken(plan.currentSecret),
        queue.stats(),
        ...plan.targets.map((t) => deps.store.check(t)),
      ])
      const problems = checks.flatMap((c, i) => {
        if (c.status === 'fulfilled') return []
        const what = i === 0 ? 'The current client-secret' : i === 1 ? 'The queue' : formatTarget(plan.targets[i - 2]!)
        return [`${what}: ${errorText(c.reason)}`]
      })
      if (problems.length) {
        throw new Error(`nothing was rotated or changed.\n- ${problems.join('\n- ')}`)
      }
      const [tokenCheck, statsCheck] = checks as [
        PromiseFulfilledResult<string>,
        PromiseFulfilledResult<Awaited<ReturnType<Queue['stats']>>>,
      ]
      const days = statsCheck.value.retentionSeconds / 86400
      if (statsCheck.value.retentionSeconds < MIN_RETENTION_SECONDS) {
        log.warning(
          `The queue keeps messages for ${days.toFixed(1)} days, less than the 8 days the new secret's message may have to wait ` +
            "(the old secret lives 7 days after a rotation). Set the queue's MessageRetentionPeriod to at least 691200 s (8 days); 14 days is the maximum.",
        )
      }
      log.info(
        `LWA accepted the current secret; the queue answered (retention ${days.toFixed(1)} days); ${plan.targets.length} target(s) reachable.`,
      )
      return tokenCheck.value
    })

    // 2. Resume or rotate.
    phase = 'resume or rotate'
    let rotatedAt: number | undefined
    await log.group('Resume or rotate', async () => {
      await pass(1)
      let inFlight = lease.values.length ? 0 : (await queue.stats()).inFlight
      // A message received by another run (perhaps one that died) is invisible for a while: wait until
      // nothing is in flight, or until it reappears and turns out to be ours, before rotating.
      while (!lease.values.length && inFlight > 0) {
        if (remainingMs() <= 0) {
          throw new Error(
            `${inFlight} message(s) in the queue are held by another consumer, possibly another run for this application, so rotating now could rotate twice. ` +
              'Nothing was rotated. Re-run when the other run has finished; use a workflow concurrency group to keep runs apart.',
          )
        }
        log.info(
          `${inFlight} message(s) in the queue are held by another consumer; waiting for them to be released before deciding to rotate.`,
        )
        await clock.sleep(Math.min(IN_FLIGHT_POLL_MS, Math.max(remainingMs(), 0)), plan.signal)
        await pass(1)
        inFlight = lease.values.length ? 0 : (await queue.stats()).inFlight
      }
      const pending = newest()
      if (pending) {
        report.result = 'resumed'
        log.info(`Found a new secret from an unfinished rotation at ${pending.eventTime.toISOString()}: resuming it, not rotating again.`)
        return
      }
      phase = 'rotation'
      await deps.spApi.rotateClientSecret(token)
      rotatedAt = clock.now()
      report.result = 'rotated'
      log.info('Amazon accepted the rotation (HTTP 204). The new secret is on its way to the queue.')
    })

    // 3. Receive: Amazon delivers the new secret to the queue a few seconds later.
    phase = 'receive'
    const chosen = await log.group('Receive the new secret', async () => {
      while (!lease.values.length) {
        const wait = Math.min(LONG_POLL_SECONDS, Math.floor(remainingMs() / 1000))
        if (wait <= 0) {
          throw new Error(
            `No new-secret message for ${plan.clientId} arrived within ${Math.round(plan.receiveTimeoutMs / 1000)} s` +
              `${rotatedAt ? ' of the rotation' : ''}. Amazon may still deliver it: re-run this workflow and it will be picked up without rotating again. ` +
              'If it never arrives, check that the queue is subscribed to "Application Client New Secret" in Developer Console → Notification Preferences and that its access policy lets Amazon (account 437568002678) send to it.',
          )
        }
        await pass(wait)
      }
      const secret = newest()!
      log.info(
        `Received the new secret (event time ${secret.eventTime.toISOString()}; ${lease.values.length} message(s) for this client held). ` +
          `New secret expires ${secret.newSecretExpiresAt}; the previous one stops working ${secret.oldSecretExpiresAt}.`,
      )
      return secret
    })
    report.secretExpiresAt = chosen.newSecretExpiresAt
    report.previousSecretExpiresAt = chosen.oldSecretExpiresAt

    // 4. Verify: never store a secret LWA does not accept.
    phase = 'verification'
    if (plan.verify) {
      await log.group('Verify the new secret', () => verify(chosen.newSecret, plan, deps))
    } else {
      log.info('verify is false: storing the new secret without checking it against LWA.')
    }

    // 5. Store, in every target.
    phase = 'store'
    await log.group('Store the new secret', async () => {
      const results = await Promise.allSettled(plan.targets.map((t) => deps.store.write(t, plan.secretName, chosen.newSecret)))
      results.forEach((r, i) => {
        const entry = report.targets[i]!
        if (r.status === 'fulfilled') {
          entry.status = r.value
          log.info(`${entry.target}: ${plan.secretName} ${r.value}.`)
        } else {
          entry.status = 'failed'
          entry.detail = errorText(r.reason)
          log.warning(`${entry.target}: ${entry.detail}`)
        }
      })
      const failed = report.targets.filter((t) => t.status === 'failed')
      if (failed.length) throw new Error(`${failed.length} of ${report.targets.length} target(s) could not be written`)
    })

    // 6. Commit: every target holds the new secret, so the message (and older copies) can go.
    phase = 'commit'
    await log.group('Commit', async () => {
      const count = lease.values.length
      committed = true
      const failed = await lease.delete()
      log.info(`Deleted ${count - failed} of ${count} new-secret message(s) for this client from the queue.`)
    })
    return report
  } catch (error) {
    report.messageKept = lease.values.length > 0
    throw new RotationFailed(failureMessage(phase, error, report), report)
  } finally {
    if (!committed) await lease.release()
  }
}

async function verify(secret: string, plan: Plan, deps: Deps): Promise<void> {
  const { lwa, clock, log } = deps
  const until = clock.now() + VERIFY_WINDOW_MS
  for (;;) {
    try {
      await lwa.rotationToken(secret)
      if (plan.refreshToken) await lwa.refreshGrant(secret, plan.refreshToken)
      log.info(`LWA accepted the new secret${plan.refreshToken ? ' for the rotation token and the refresh_token grant' : ''}.`)
      return
    } catch (error) {
      if (!(error instanceof LwaError && error.secretRejected) || clock.now() + VERIFY_INTERVAL_MS > until) throw error
      log.info('LWA does not accept the new secret yet; it can take a few seconds to become active. Trying again.')
      await clock.sleep(VERIFY_INTERVAL_MS, plan.signal)
    }
  }
}

/** The run's error: what failed, where each target stands, and how the next run recovers. */
function failureMessage(phase: string, error: unknown, report: Report): string {
  const lines = [`Rotation failed during ${phase}: ${errorText(error)}`]
  if (report.result) {
    const written = report.targets.filter((t) => t.status === 'created' || t.status === 'updated').map((t) => t.target)
    const notWritten = report.targets.filter((t) => t.status === 'failed' || t.status === 'not written').map((t) => t.target)
    lines.push(
      `Written: ${written.length ? written.join(', ') : 'none'}. Not written: ${notWritten.length ? notWritten.join(', ') : 'none'}.`,
    )
    if (report.previousSecretExpiresAt) {
      lines.push(`Targets not written still hold the previous secret, which stops working at ${report.previousSecretExpiresAt}.`)
    }
    if (report.messageKept) {
      lines.push(`The new secret is still in the queue. Fix the cause and re-run this workflow: it resumes without rotating again.`)
    }
  }
  return lines.join('\n')
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
