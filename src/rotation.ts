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
import { Lease, type Queue, type QueueMessage, type QueueStats } from './queue.js'
import type { SecretStore } from './github.js'
import { SpApiError, type SpApi } from './sp-api.js'
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
/** Calls of rotateApplicationClientSecret a run makes at most (Amazon refusing with 429, 500 or 503). */
const MAX_ROTATE_ATTEMPTS = 4
/** GitHub's timestamps have whole seconds, and two clocks never agree exactly. */
const CLOCK_TOLERANCE_MS = 5_000
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
  /**
   * rotated: this run rotated; resumed: this run finished an earlier run's rotation; skipped: another run
   * rotated and stored a new secret in every target while this one waited.
   */
  result: 'rotated' | 'resumed' | 'skipped' | undefined
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

/** Runs one rotation; resolves with the report, or rejects with RotationFailed (which carries it too). */
export function rotate(plan: Plan, deps: Deps): Promise<Report> {
  return new Rotation(plan, deps).run()
}

type Decision = 'rotated' | 'resumed' | 'skipped'

class Rotation {
  private readonly report: Report
  /** New-secret messages for this client taken from the queue: the only copies of the new secret. */
  private readonly lease: Lease<NewSecret>
  /** Unreadable messages already warned about, so a message seen on every pass is reported once. */
  private readonly reported = new Set<string>()
  private phase = 'preflight'
  private committed = false
  /** When this run began to look at the queue; the bound on waiting for it (extended by Amazon's retry waits). */
  private startedAt = 0
  private deadline = 0

  constructor(
    private readonly plan: Plan,
    private readonly deps: Deps,
  ) {
    this.report = {
      clientId: plan.clientId,
      result: undefined,
      secretExpiresAt: undefined,
      previousSecretExpiresAt: undefined,
      targets: plan.targets.map((t) => ({ target: formatTarget(t), status: 'not written' })),
      messageKept: false,
    }
    this.lease = new Lease<NewSecret>(deps.queue, LEASE_SECONDS, deps.log.warning)
  }

  async run(): Promise<Report> {
    const { plan, report } = this
    try {
      const token = await this.step('preflight', 'Preflight', () => this.preflight())
      const decision = await this.step('resume or rotate', 'Resume or rotate', () => this.resumeOrRotate(token))
      report.result = decision
      if (decision === 'skipped') return report

      const secret = await this.step('receive', 'Receive the new secret', () => this.receive(decision))
      if (!secret) return report // another run took this rotation's message and stored it everywhere
      report.secretExpiresAt = secret.newSecretExpiresAt
      report.previousSecretExpiresAt = secret.oldSecretExpiresAt

      if (plan.verify) await this.step('verification', 'Verify the new secret', () => this.verify(secret.newSecret))
      else this.deps.log.info('verify is false: storing the new secret without checking it against LWA.')
      await this.step('store', 'Store the new secret', () => this.store(secret.newSecret))
      await this.step('commit', 'Commit', () => this.commit())
      return report
    } catch (error) {
      report.messageKept = this.lease.values.length > 0
      // A cancelled run reports the cancellation, not the AbortError of whatever it was waiting on.
      const cause: unknown = plan.signal?.aborted ? plan.signal.reason : error
      throw new RotationFailed(failureMessage(this.phase, cause, report), report)
    } finally {
      // On any failure the message goes back to the queue at once, for the next run.
      if (!this.committed) await this.lease.release()
    }
  }

  /** A phase in its own log group; a cancelled run stops at the next phase. */
  private step<T>(phase: string, title: string, fn: () => Promise<T>): Promise<T> {
    this.plan.signal?.throwIfAborted()
    this.phase = phase
    return this.deps.log.group(title, fn)
  }

  /** 1. Nothing irreversible happens unless Amazon, the queue and every target answer. Returns the rotation token. */
  private async preflight(): Promise<string> {
    const { plan, deps } = this
    const checks = await Promise.allSettled([
      deps.lwa.rotationToken(plan.currentSecret),
      deps.queue.stats(),
      ...plan.targets.map((t) => deps.store.check(t)),
    ])
    const problems = checks.flatMap((c, i) => {
      if (c.status === 'fulfilled') return []
      const what = i === 0 ? 'The current client-secret' : i === 1 ? 'The queue' : formatTarget(plan.targets[i - 2]!)
      return [`${what}: ${errorText(c.reason)}`]
    })
    if (problems.length) throw new Error(`nothing was rotated or changed.\n- ${problems.join('\n- ')}`)

    const [token, stats] = checks as [PromiseFulfilledResult<string>, PromiseFulfilledResult<QueueStats>]
    const days = (stats.value.retentionSeconds / 86400).toFixed(1)
    if (stats.value.retentionSeconds < MIN_RETENTION_SECONDS) {
      deps.log.warning(
        `The queue keeps messages for ${days} days, less than the 8 days the new secret's message may have to wait ` +
          "(the old secret lives 7 days after a rotation). Set the queue's MessageRetentionPeriod to at least 691200 s (8 days); 14 days is the maximum.",
      )
    }
    deps.log.info(
      `LWA accepted the current secret; the queue answered (retention ${days} days); ${plan.targets.length} target(s) reachable.`,
    )
    return token.value
  }

  /**
   * 2. Rotate only when no new secret for this client can be waiting: none visible, and none in flight with
   * another consumer (a run that died holds one for at most LEASE_SECONDS). Amazon's refusals are retried at
   * the usage plan's pace, looking at the queue again first, since another run may have just rotated.
   */
  private async resumeOrRotate(token: string): Promise<Decision> {
    const { plan, deps } = this
    const { clock, log } = deps
    this.startedAt = clock.now()
    this.deadline = this.startedAt + plan.receiveTimeoutMs
    // Set once another run may be at work on this application: messages in flight, or Amazon refused a call.
    let contended = false
    for (let attempt = 1; ;) {
      await this.pass(1)
      const pending = this.newest()
      if (pending) {
        log.info(`Found a new secret from an unfinished rotation at ${pending.eventTime.toISOString()}: resuming it, not rotating again.`)
        return 'resumed'
      }
      const { inFlight } = await deps.queue.stats()
      if (inFlight > 0) {
        contended = true
        if (clock.now() >= this.deadline) {
          throw new Error(
            `${inFlight} message(s) in the queue stayed held by another consumer, possibly another run for this application, so rotating could rotate twice. ` +
              'Nothing was rotated. Re-run when the other run has finished, and keep runs apart with a workflow concurrency group.',
          )
        }
        log.info(`${inFlight} message(s) in the queue are held by another consumer; waiting for them before deciding to rotate.`)
        await clock.sleep(Math.min(IN_FLIGHT_POLL_MS, this.deadline - clock.now()), plan.signal)
        continue
      }
      if (contended && (await this.storedByAnotherRun())) {
        log.info(`Another run stored a new ${plan.secretName} in every target while this one waited: nothing to rotate.`)
        return 'skipped'
      }
      try {
        await deps.spApi.rotateClientSecret(token)
        log.info('Amazon accepted the rotation (HTTP 204). The new secret is on its way to the queue.')
        return 'rotated'
      } catch (error) {
        if (!(error instanceof SpApiError) || error.outcome === 'final') throw error
        if (error.outcome === 'unknown') {
          log.warning(`${error.message}. Waiting for the new-secret message in case it did.`)
          return 'rotated'
        }
        if (attempt >= MAX_ROTATE_ATTEMPTS) throw error
        contended ||= error.status === 429
        attempt++
        log.info(
          `${error.message} Trying again in ${Math.round(error.retryAfterMs / 1000)} s (attempt ${attempt} of ${MAX_ROTATE_ATTEMPTS}).`,
        )
        await clock.sleep(error.retryAfterMs, plan.signal)
        this.deadline += error.retryAfterMs
      }
    }
  }

  /** 3. Amazon delivers the new secret a few seconds after the rotation; long-poll for it until the deadline. */
  private async receive(decision: Exclude<Decision, 'skipped'>): Promise<NewSecret | undefined> {
    const { plan, deps } = this
    while (!this.lease.values.length) {
      const wait = Math.min(LONG_POLL_SECONDS, Math.floor((this.deadline - deps.clock.now()) / 1000))
      if (wait <= 0) {
        // Another run for this application may have taken this rotation's message and finished the job.
        if (await this.storedByAnotherRun()) {
          deps.log.info('Another run took the new secret from the queue and stored it in every target.')
          return undefined
        }
        throw new Error(
          `No new-secret message for ${plan.clientId} arrived within ${Math.round(plan.receiveTimeoutMs / 1000)} s` +
            `${decision === 'rotated' ? ' of the rotation' : ''}. Amazon may still deliver it: re-run this workflow and it will be picked up without rotating again. ` +
            'If it never arrives, check that the queue is subscribed to "Application Client New Secret" in Developer Console → Notification Preferences and that its access policy lets Amazon (account 437568002678) send to it.',
        )
      }
      await this.pass(wait)
    }
    const secret = this.newest()!
    deps.log.info(
      `Received the new secret (event time ${secret.eventTime.toISOString()}; ${this.lease.values.length} message(s) for this client held). ` +
        `New secret expires ${secret.newSecretExpiresAt}; the previous one stops working ${secret.oldSecretExpiresAt}.`,
    )
    return secret
  }

  /** 4. Never store a secret LWA does not accept; a new one can take a few seconds to become active. */
  private async verify(secret: string): Promise<void> {
    const { plan, deps } = this
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

  /** 5. Write every target; each outcome is logged as it happens, so a stopped run's log shows how far it got. */
  private async store(secret: string): Promise<void> {
    const { plan, deps, report } = this
    await Promise.all(
      plan.targets.map(async (target, i) => {
        const entry = report.targets[i]!
        try {
          entry.status = await deps.store.write(target, plan.secretName, secret)
          deps.log.info(`${entry.target}: ${plan.secretName} ${entry.status}.`)
        } catch (error) {
          entry.status = 'failed'
          entry.detail = errorText(error)
          deps.log.warning(`${entry.target}: ${entry.detail}`)
        }
      }),
    )
    const failed = report.targets.filter((t) => t.status === 'failed')
    if (failed.length) throw new Error(`${failed.length} of ${report.targets.length} target(s) could not be written`)
  }

  /** 6. Every target holds the new secret: the message, and any older copies for this client, can go. */
  private async commit(): Promise<void> {
    const count = this.lease.values.length
    this.deps.log.info(`Every target holds the new secret; deleting ${count} new-secret message(s) for this client from the queue.`)
    this.committed = true
    const failed = await this.lease.delete()
    this.deps.log.info(`Deleted ${count - failed} of ${count}.`)
  }

  /** One look at the queue: receive until nothing new arrives; hold ours, give back everything else. */
  private async pass(firstWaitSeconds: number): Promise<void> {
    const { plan, deps } = this
    const foreign: QueueMessage[] = []
    try {
      let wait = firstWaitSeconds
      for (let i = 0; i < MAX_RECEIVES_PER_PASS; i++) {
        const batch = await deps.queue.receive(wait, PASS_VISIBILITY_SECONDS, plan.signal)
        if (batch.length === 0) break
        for (const message of batch) {
          const n = parseNotification(message.body)
          if (n.kind === 'new-secret') deps.log.mask(n.newSecret) // whoever's it is, it must never be printed
          if (n.kind === 'new-secret' && n.clientId === plan.clientId) {
            await this.lease.hold(message, n)
            continue
          }
          foreign.push(message)
          if (n.kind === 'invalid' && !this.reported.has(message.messageId)) {
            this.reported.add(message.messageId)
            deps.log.warning(`Left message ${message.messageId} in the queue untouched: ${n.reason}.`)
          }
        }
        // Drain what else is there; a 1 s wait makes SQS look at all of its servers.
        wait = 1
      }
    } finally {
      await Promise.allSettled(foreign.map((m) => deps.queue.setVisibility(m, 0)))
    }
  }

  /** Of several new secrets for this client, the one with the latest eventTime is current (invariant 4). */
  private newest(): NewSecret | undefined {
    return this.lease.values.reduce<NewSecret | undefined>((a, b) => (a && a.eventTime >= b.eventTime ? a : b), undefined)
  }

  /** True when every target's secret was written since this run began looking at the queue: by another run. */
  private async storedByAnotherRun(): Promise<boolean> {
    const since = this.startedAt - CLOCK_TOLERANCE_MS
    const times = await Promise.all(this.plan.targets.map((t) => this.deps.store.updatedAt(t, this.plan.secretName)))
    return times.every((t) => t !== undefined && t >= since)
  }
}

/** The run's error: what failed, where each target stands, and how the next run recovers. */
function failureMessage(phase: string, error: unknown, report: Report): string {
  const lines = [`Rotation failed during ${phase}: ${errorText(error)}`]
  if (report.result) {
    const written = report.targets.filter((t) => t.status === 'created' || t.status === 'updated').map((t) => t.target)
    const notWritten = report.targets
      .filter((t) => t.status === 'failed' || t.status === 'not written')
      .map((t) => (t.detail ? `${t.target} (${t.detail})` : t.target))
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
