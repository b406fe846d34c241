/**
 * The rotation, start to finish: preflight → resume or rotate → receive → verify → store → commit → report
 * (record the expiry, start the deploys).
 *
 * Amazon puts the new secret on the queue and nowhere else, so the queue message is treated as the only
 * copy: it is deleted only once every target holds the secret, and released for the next run on any
 * failure. A message already waiting for this client id means an earlier run rotated and did not finish:
 * that run is resumed instead of rotating again. Every message is a claim to be judged (candidates.ts). The
 * core talks to Amazon, SQS, GitHub and Secrets Manager only through the ports (ports.ts) in Deps; main.ts
 * wires the real adapters.
 */
import { candidateOf, deletable, describe, forgery, isStale, newestFirst, versionKey, type Candidate } from './candidates.js'
import { formatDispatch, type Dispatch } from './dispatch.js'
import { daysLeft, parseRecordedExpiry, plannedExpiry } from './expiry.js'
import { Lease } from './lease.js'
import { isSecretFormat, parseNotification } from './notification.js'
import {
  LwaError,
  SpApiError,
  type Dispatcher,
  type ExpiryRecord,
  type Lwa,
  type Queue,
  type QueueMessage,
  type QueueStats,
  type SecretStore,
  type SpApi,
} from './ports.js'
import { formatTarget, type Target } from './targets.js'

/** How long a message taken by this run stays hidden from other consumers without a renewal. */
export const LEASE_SECONDS = 30
/** Visibility of messages while one pass over the queue looks at them; others' are released after the pass. */
const PASS_VISIBILITY_SECONDS = 10
const MAX_RECEIVES_PER_PASS = 10
/** The least silence of a first look that counts as "nothing waiting", however fast the queue answers (see queueCheck). */
const MIN_SILENCE_MS = 100
const LONG_POLL_SECONDS = 20
const IN_FLIGHT_POLL_MS = 5_000
/** A new secret can take a little while to become active at LWA. */
const VERIFY_WINDOW_MS = 30_000
const VERIFY_INTERVAL_MS = 3_000
/**
 * On a queue shared with other applications, a pass that finds only their messages gives them back at once
 * (invariant 3); waiting before the next look, longer each time, keeps them from being received again every
 * second (and from reaching a dead-letter queue through their receive count).
 */
const FOREIGN_BACKOFF_MS = { first: 2_000, max: 8_000 }
/** Time a rotation always gets to receive its secret (or a quarter of receive-timeout, when that is shorter). */
const MIN_RECEIVE_MS = 15_000
/** Calls of rotateApplicationClientSecret a run makes at most (Amazon refusing with 429, 500 or 503). */
const MAX_ROTATE_ATTEMPTS = 4
/** GitHub's timestamps have whole seconds, and two clocks never agree exactly. */
const CLOCK_TOLERANCE_MS = 5_000
/** The old secret lives 7 days after a rotation; the message must outlive it (invariant 2). */
export const MIN_RETENTION_SECONDS = 8 * 24 * 3600

export interface Plan {
  clientId: string
  currentSecret: string
  refreshToken: string | undefined
  verify: boolean
  targets: Target[]
  receiveTimeoutMs: number
  /** Rotate only when the secret expires within this many ms (rotate-before-expiry); undefined: every run. */
  rotateBeforeMs?: number | undefined
  /** Deploys to start once every target holds the new secret (the dispatch input). */
  dispatches?: Dispatch[]
  /** This workflow run's page, for the dispatch payload. */
  runUrl?: string | undefined
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
  /** Where the current secret's expiry is recorded; undefined when tracking is off. */
  expiry?: ExpiryRecord | undefined
  dispatcher?: Dispatcher | undefined
}

export type TargetStatus = 'created' | 'updated' | 'failed' | 'not written'

export interface Report {
  clientId: string
  /**
   * rotated: this run rotated; resumed: this run finished an earlier run's rotation; skipped: nothing was due
   * (see skipReason).
   */
  result: 'rotated' | 'resumed' | 'skipped' | undefined
  /** not due: the secret expires after the rotate-before-expiry window; stored by another run: while this one waited. */
  skipReason?: 'not due' | 'stored by another run'
  /** The new secret's expiry after a rotation or resume; the current secret's (as recorded) otherwise, when known. */
  secretExpiresAt: string | undefined
  previousSecretExpiresAt: string | undefined
  /** Each target's outcome; `version` for targets that version their writes (Secrets Manager). */
  targets: Array<{ target: string; status: TargetStatus; detail?: string; version?: string }>
  /** True when the new-secret message was left in the queue for the next run. */
  messageKept: boolean
  /** What became of the new-secret messages this run took: deleted at commit, kept for the next run, a delete that failed (they reappear), or none taken. */
  message: 'deleted' | 'kept' | 'delete failed' | 'none'
  /** Each dispatch line: started, failed (a warning: the secret is stored), or not started (the run failed or skipped). */
  dispatches: Array<{ event: string; status: 'started' | 'failed' | 'not started'; detail?: string }>
  /** The expiry of the secret in use before this run, as recorded (or learned from Amazon), when known. */
  currentSecretExpiresAt?: string
  /** The expiry variable: recorded (written this run), unchanged, failed (could not be written), or off. */
  expiryRecord: { name: string; status: 'recorded' | 'unchanged' | 'failed' } | undefined
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
type Start =
  { decision: Exclude<Decision, 'skipped'>; chosen?: Candidate } | { decision: 'skipped'; reason: NonNullable<Report['skipReason']> }

class Rotation {
  private readonly report: Report
  /** New-secret messages for this client taken from the queue: candidates, one of which may be the only copy of the new secret. */
  private readonly lease: Lease<Candidate>
  /** Messages already warned about, so a message seen on every pass is reported once. */
  private readonly reported = new Set<string>()
  private phase = 'preflight'
  private committed = false
  /** When this run began to look at the queue; the bound on waiting for it (extended by Amazon's retry waits). */
  private startedAt = 0
  private deadline = 0
  /** Wait before the next pass after one that found only other applications' messages; 0 otherwise. */
  private backoffMs = 0
  /** Amazon's expiry notifications for this client: consumed once their content is recorded (invariant 3). */
  private readonly expiryNotices: Lease<Date>
  /** The background rest of the last look at the queue, if one is running: awaited before the lease is settled. */
  private draining: Promise<void> = Promise.resolve()
  /** The first look at the queue, made beside the preflight; it may run on into the receive (see lookFoundNothing). */
  private firstLook: Promise<void> | undefined
  private firstLookDone = false
  /** Set when SQS counted the queue empty at the preflight: when the first look's silence shows it empty too. */
  private quietFrom: number | undefined
  /** The expiry variable's value at the preflight (undefined: none, unreadable, or tracking off). */
  private recorded: Date | undefined

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
      message: 'none',
      expiryRecord: deps.expiry ? { name: deps.expiry.name, status: 'unchanged' } : undefined,
      dispatches: (plan.dispatches ?? []).map((d) => ({ event: formatDispatch(d), status: 'not started' })),
    }
    this.lease = new Lease<Candidate>(deps.queue, LEASE_SECONDS, deps.log.warning)
    this.expiryNotices = new Lease<Date>(deps.queue, LEASE_SECONDS, deps.log.warning)
  }

  async run(): Promise<Report> {
    const { plan, report } = this
    try {
      this.startedAt = this.deps.clock.now()
      this.deadline = this.startedAt + plan.receiveTimeoutMs
      // The first look for a waiting message runs beside the preflight: it changes nothing, and whatever it
      // holds goes back to the queue if the preflight fails.
      this.firstLook = this.pass(1).finally(() => (this.firstLookDone = true))
      this.firstLook.catch(() => {}) // a failure here is the preflight's to report (the queue check)
      const token = await this.step('preflight', 'Preflight', () => this.preflight())
      const start = await this.step('resume or rotate', 'Resume or rotate', () => this.resumeOrRotate(token))
      report.result = start.decision
      if (start.decision === 'skipped') {
        report.skipReason = start.reason
        if (start.reason === 'not due') await this.step('report', 'Record the expiry', () => this.recordLearnedExpiry())
        return report
      }
      const decision = start.decision

      let chosen = start.chosen
      if (!chosen) {
        const arrived = await this.step('receive', 'Receive the new secret', () => this.receive(decision))
        if (!arrived) return report // another run took this rotation's message and stored it everywhere
        chosen = await this.step('verification', plan.verify ? 'Verify the new secret' : 'Take the new secret', () => this.chooseArrived())
      }
      const secret = chosen
      report.secretExpiresAt = secret.newSecretExpiresAt
      report.previousSecretExpiresAt = secret.oldSecretExpiresAt
      await this.step('store', 'Store the new secret', () => this.store(secret))
      // Every target holds the new secret: deleting its messages and recording its expiry do not wait for each other.
      const recorded = this.recordExpiry(secret.newSecretExpiresAt)
      await this.step('commit', 'Commit', () => this.commit(secret))
      await this.step('report', 'Record the expiry', () => recorded)
      if (plan.dispatches?.length) await this.step('report', 'Start deploys', () => this.dispatch(secret))
      return report
    } catch (error) {
      report.messageKept = this.lease.values.some((c) => c.state === 'untried' || c.state === 'young' || c.state === 'chosen')
      if (report.messageKept) report.message = 'kept'
      // A cancelled run reports the cancellation, not the AbortError of whatever it was waiting on.
      const cause: unknown = plan.signal?.aborted ? plan.signal.reason : error
      throw new RotationFailed(failureMessage(this.phase, cause, report), report)
    } finally {
      // On any failure every message goes back to the queue at once, for the next run.
      await this.firstLook?.catch(() => {})
      await this.draining
      if (!this.committed) await this.lease.release()
      await this.expiryNotices.release() // those not consumed by a recorded expiry
      if (this.recorded) report.currentSecretExpiresAt ??= this.recorded.toISOString()
    }
  }

  /** A phase in its own log group; a cancelled run stops at the next phase. */
  private step<T>(phase: string, title: string, fn: () => Promise<T>): Promise<T> {
    this.plan.signal?.throwIfAborted()
    this.phase = phase
    return this.deps.log.group(title, fn)
  }

  /**
   * 1. Nothing irreversible happens unless every input a later step depends on is proven: LWA accepts the
   * current secret (and the refresh token, when given), the queue answers, every target is reachable.
   * Returns the rotation token.
   */
  private async preflight(): Promise<string> {
    const { plan, deps } = this
    const checks: Array<[string, Promise<unknown>]> = [
      ['LWA', deps.lwa.rotationToken(plan.currentSecret)],
      ...(plan.refreshToken
        ? [['refresh-token', deps.lwa.refreshGrant(plan.currentSecret, plan.refreshToken)] as [string, Promise<unknown>]]
        : []),
      ['The queue (sqs-queue-url)', this.queueCheck()],
      ...plan.targets.map((t): [string, Promise<unknown>] => [formatTarget(t), deps.store.check(t)]),
    ]
    const record = deps.expiry?.read()
    // Rotating only when due depends on the record: unreadable, it stops the run; otherwise it is worth a word.
    if (record && plan.rotateBeforeMs !== undefined) checks.push([`The expiry variable ${deps.expiry!.name} (expiry-variable)`, record])
    else if (record) {
      record.catch((error: unknown) =>
        deps.log.warning(`The expiry variable ${deps.expiry!.name} could not be read, so the expiry is not tracked: ${errorText(error)}`),
      )
    }
    const results = await Promise.allSettled(checks.map(([, check]) => check))
    // Known even when the preflight fails, so that the run can still warn of an expiry close at hand.
    this.recorded = parseRecordedExpiry(await record?.catch(() => undefined))
    const problems = results.flatMap((r, i) => {
      if (r.status === 'fulfilled') return []
      return [`${preflightSubject(checks[i]![0], r.reason)}: ${errorText(r.reason)}`]
    })
    if (problems.length) throw new Error(`nothing was rotated or changed.\n- ${problems.join('\n- ')}`)

    const token = (results[0] as PromiseFulfilledResult<string>).value
    const stats = (results[plan.refreshToken ? 2 : 1] as PromiseFulfilledResult<QueueStats>).value
    const days = (stats.retentionSeconds / 86400).toFixed(1)
    if (stats.retentionSeconds < MIN_RETENTION_SECONDS) {
      deps.log.warning(
        `The queue keeps messages for ${days} days, less than the 8 days the new secret's message may have to wait ` +
          "(the old secret lives 7 days after a rotation). Set the queue's MessageRetentionPeriod to at least 691200 s (8 days); 14 days is the maximum.",
      )
    }
    deps.log.info(
      `LWA accepted the current secret${plan.refreshToken ? ' and the refresh token' : ''}; the queue answered (retention ${days} days); ` +
        `${plan.targets.length} target(s) reachable.`,
    )
    return token
  }

  /**
   * 2. Rotate only when no new secret for this client can be waiting: none visible that LWA accepts or that
   * may still become valid, and none in flight with another consumer (a run that died holds one for at most
   * LEASE_SECONDS). Forged and stale claims do not stop a rotation; they are cleared at commit. Amazon's
   * refusals are retried at the usage plan's pace, looking at the queue again first, since another run may
   * have just rotated.
   */
  private async resumeOrRotate(token: string): Promise<Start> {
    const { plan, deps } = this
    const { clock, log } = deps
    // Set once another run may be at work on this application: messages in flight, or Amazon refused a call.
    let contended = false
    for (let attempt = 1; ;) {
      const quiet = attempt === 1 && (await this.lookFoundNothing())
      if (!quiet) {
        if (this.firstLook) await this.firstLook
        else await this.pass(1)
        this.firstLook = undefined
      }
      // Judge what the look found, the part the background rest of it brings in too, before deciding.
      for (;;) {
        if (this.untried().length) {
          log.info('Found a new secret from an unfinished rotation in the queue; checking it before deciding to rotate.')
          const chosen = await this.choose()
          if (chosen) {
            log.info(`Resuming the rotation of ${describe(chosen)}, not rotating again.`)
            return { decision: 'resumed', chosen }
          }
        }
        const held = this.lease.size + this.expiryNotices.size
        await this.draining
        if (this.lease.size + this.expiryNotices.size === held) break
      }
      this.refuseToPassYoung()
      if (attempt === 1 && !contended && this.notDue()) return { decision: 'skipped', reason: 'not due' }

      // A quiet queue was counted at the preflight, with nothing in flight.
      const inFlight = quiet ? 0 : (await deps.queue.stats()).inFlight
      // What this run holds itself (stale and forged claims, expiry notices) is not another consumer's.
      const elsewhere = inFlight - this.lease.size - this.expiryNotices.size
      if (elsewhere > 0) {
        contended = true
        if (clock.now() >= this.deadline) {
          throw new Error(
            `${elsewhere} message(s) in the queue stayed held by another consumer, possibly another run for this application, so rotating could rotate twice. ` +
              'Nothing was rotated. Re-run when the other run has finished, and keep runs apart with a workflow concurrency group.',
          )
        }
        log.info(`${elsewhere} message(s) in the queue are held by another consumer; waiting for them before deciding to rotate.`)
        await clock.sleep(Math.min(IN_FLIGHT_POLL_MS, this.deadline - clock.now()), plan.signal)
        continue
      }
      if (contended && (await this.storedByAnotherRun())) {
        log.info('Another run stored a new secret in every target while this one waited: nothing to rotate.')
        return { decision: 'skipped', reason: 'stored by another run' }
      }
      try {
        await deps.spApi.rotateClientSecret(token)
        log.info('Amazon accepted the rotation (HTTP 204). The new secret is on its way to the queue.')
        this.leaveTimeToReceive()
        return { decision: 'rotated' }
      } catch (error) {
        if (!(error instanceof SpApiError) || error.outcome === 'final') throw error
        if (error.outcome === 'unknown') {
          log.warning(`${error.message}. Waiting for the new-secret message in case it did.`)
          this.leaveTimeToReceive()
          return { decision: 'rotated' }
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

  /**
   * The preflight's queue check, sent beside the first look. A long poll answers at once when a message is
   * waiting, so when SQS counts the queue empty, a look still silent one round trip after this answer (two
   * since both were sent; at least MIN_SILENCE_MS, for the calls' different times at SQS) has found nothing
   * either. Both signs count: SQS's counts are approximate for a while after a change.
   */
  private async queueCheck(): Promise<QueueStats> {
    const stats = await this.deps.queue.stats()
    if (stats.queued === 0 && stats.inFlight === 0) {
      this.quietFrom = this.deps.clock.now() + Math.max(stats.roundTripMs, MIN_SILENCE_MS)
    }
    return stats
  }

  /**
   * True when the first look, still running, has found nothing (see queueCheck). The decision then goes ahead
   * without the rest of the look's second; the look runs on in the background, and what it brings in (the
   * rotation's own message, if Amazon is quick) is received as any later look's would be.
   */
  private async lookFoundNothing(): Promise<boolean> {
    if (!this.firstLook || this.firstLookDone || this.quietFrom === undefined) return false
    const wait = this.quietFrom - this.deps.clock.now()
    if (wait > 0) await Promise.race([this.firstLook.catch(() => {}), this.deps.clock.sleep(wait)])
    this.plan.signal?.throwIfAborted()
    return !this.firstLookDone && this.lease.size + this.expiryNotices.size === 0
  }

  /** However long the wait before it took, a rotation gets time to receive its secret: a bounded margin past receive-timeout. */
  private leaveTimeToReceive(): void {
    const { plan, deps } = this
    this.deadline = Math.max(this.deadline, deps.clock.now() + Math.min(plan.receiveTimeoutMs / 4, MIN_RECEIVE_MS))
  }

  /**
   * 3. Amazon delivers the new secret a few seconds after the rotation; long-poll until a claim not judged
   * yet arrives, or the deadline. Resolves false when another run has stored the new secret meanwhile.
   */
  private async receive(decision: Exclude<Decision, 'skipped'>): Promise<boolean> {
    const { plan, deps } = this
    // A first look left running by the decision may bring the message in itself: it ends within its second.
    if (this.firstLook) {
      const look = this.firstLook
      this.firstLook = undefined
      await look.catch(() => {}) // a queue that fails again fails the passes below
    }
    while (!this.untried().length) {
      const wait = Math.min(LONG_POLL_SECONDS, Math.floor((this.deadline - deps.clock.now()) / 1000))
      if (wait <= 0) {
        // Another run for this application may have taken this rotation's message and finished the job.
        if (await this.storedByAnotherRun()) {
          deps.log.info('Another run took the new secret from the queue and stored it in every target.')
          return false
        }
        throw new Error(
          `No new-secret message for ${plan.clientId} arrived within ${Math.round(plan.receiveTimeoutMs / 1000)} s` +
            `${decision === 'rotated' ? ' of the rotation' : ''}. If Amazon delivers it later, the next run stores it without rotating again. ` +
            'If it never arrives, check that the queue is subscribed to "Application Client New Secret" in Developer Console → Notification Preferences and that its access policy lets Amazon (account 437568002678) send to it.',
        )
      }
      await this.pass(wait)
    }
    const arrived = this.untried()[0]!
    deps.log.info(`Received the new secret in ${describe(arrived)} (${this.lease.size} message(s) for this client held).`)
    return true
  }

  /**
   * 4. The claims not judged yet, newest first: the first LWA accepts is the new secret (invariant 4). One
   * that LWA rejects is stale when it is over an hour old, else young: kept for a later run. With verify off,
   * the newest readable, well-formed claim is taken as it is.
   */
  private async choose(): Promise<Candidate | undefined> {
    const { plan, deps } = this
    // Copies of one notification (SQS delivers at least once) share a verdict: LWA is asked once per secret.
    const verdicts = new Map<string, boolean>()
    for (const candidate of this.untried()) {
      if (!plan.verify) {
        if (candidate.unreadable) {
          // Nothing proves an unreadable claim, so it is never taken unverified; nor is it rotated past while young.
          candidate.state = isStale(candidate, deps.clock.now()) ? 'stale' : 'young'
          continue
        }
        deps.log.info(`verify is false: taking ${describe(candidate)} without checking it against LWA.`)
        candidate.state = 'chosen'
        return candidate
      }
      const known = verdicts.get(candidate.secret!)
      const ok = known ?? (await this.accepted(candidate))
      verdicts.set(candidate.secret!, ok)
      if (ok) {
        candidate.state = 'chosen'
        deps.log.info(
          `LWA accepted the new secret of ${describe(candidate)}${plan.refreshToken ? ' for the rotation token and the refresh_token grant' : ''}.`,
        )
        if (candidate.unreadable)
          deps.log.warning(
            `${describe(candidate)} is ${candidate.unreadable}; its secret works, so it is used, but its expiry times are unknown.`,
          )
        return candidate
      }
      const stale = isStale(candidate, deps.clock.now())
      candidate.state = stale ? 'stale' : 'young'
      deps.log.warning(
        stale
          ? `LWA rejects the secret of ${describe(candidate)}, issued over an hour ago: stale (superseded or expired). It is not used and is cleared when this run commits.`
          : `LWA does not accept the secret of ${describe(candidate)} yet; it is kept in the queue for a later run.`,
      )
    }
    return undefined
  }

  /** The claim that arrived after the rotation, or the run fails keeping it: it may yet become valid. */
  private async chooseArrived(): Promise<Candidate> {
    const chosen = await this.choose()
    if (chosen) return chosen
    const young = this.lease.values.filter((c) => c.state === 'young')
    throw new Error(
      `LWA did not accept the new secret of ${young.map(describe).join(', ') || 'the new-secret message'} within ${VERIFY_WINDOW_MS / 1000} s; it is kept in the queue. ` +
        'A new secret can take a while to become active: the next run tries it again before anything else, and one that LWA still refuses an hour after it was issued counts as stale and is cleared. ' +
        'If LWA keeps refusing it, check that client-id names the application that was rotated.',
    )
  }

  /** Whether LWA accepts a claim's secret; a young one gets the activation window, a stale-aged one a single try. */
  private async accepted(candidate: Candidate): Promise<boolean> {
    const { plan, deps } = this
    const { lwa, clock, log } = deps
    const secret = candidate.secret!
    // A young claim gets the activation window, within the run's deadline; a stale-aged one a single try.
    const until = isStale(candidate, clock.now())
      ? 0
      : Math.min(clock.now() + VERIFY_WINDOW_MS, Math.max(this.deadline, clock.now() + VERIFY_INTERVAL_MS))
    for (;;) {
      try {
        await lwa.rotationToken(secret)
        if (plan.refreshToken) await lwa.refreshGrant(secret, plan.refreshToken)
        return true
      } catch (error) {
        if (!(error instanceof LwaError && error.secretRejected)) throw error
        if (clock.now() + VERIFY_INTERVAL_MS > until) return false
        log.info('LWA does not accept the new secret yet; it can take a few seconds to become active. Trying again.')
        await clock.sleep(VERIFY_INTERVAL_MS, plan.signal)
      }
    }
  }

  /**
   * With rotate-before-expiry, a run rotates only inside the window before the expiry: the recorded one, or
   * an earlier one an expiry notification names. An unknown expiry means rotate.
   */
  private notDue(): boolean {
    const { plan, deps } = this
    if (plan.rotateBeforeMs === undefined) return false
    const now = deps.clock.now()
    const expiry = plannedExpiry(this.recorded, this.expiryNotices.values, now)
    if (!expiry) {
      deps.log.info("The current secret's expiry is not known: rotating.")
      return false
    }
    const days = daysLeft(expiry, now)
    if (expiry.getTime() - now <= plan.rotateBeforeMs) {
      deps.log.info(`The current secret expires ${expiry.toISOString()} (${days} days left), within rotate-before-expiry: rotating.`)
      return false
    }
    this.report.secretExpiresAt = expiry.toISOString()
    this.report.currentSecretExpiresAt = expiry.toISOString()
    deps.log.info(
      `Not due: the current secret expires ${expiry.toISOString()} (${days} days left); the next rotation is due ` +
        `${new Date(expiry.getTime() - plan.rotateBeforeMs).toISOString()}. Nothing was rotated or written.`,
    )
    return true
  }

  /** After a skip: an expiry notification may have taught an earlier expiry than the record holds. */
  private async recordLearnedExpiry(): Promise<void> {
    const learned = plannedExpiry(this.recorded, this.expiryNotices.values, this.deps.clock.now())
    if (learned && learned.getTime() !== this.recorded?.getTime()) await this.recordExpiry(learned.toISOString())
    else if (this.expiryNotices.size) await this.expiryNotices.settle(() => 'delete')
  }

  /**
   * Keeps the expiry (never the secret) in the expiry variable, then consumes the expiry notifications it
   * supersedes. The secrets are safe by now: a variable that cannot be written is a warning, not a failure.
   */
  private async recordExpiry(expiresAt: string | undefined): Promise<void> {
    const { deps, report } = this
    if (!deps.expiry || !expiresAt) return
    try {
      await deps.expiry.write(expiresAt)
      report.expiryRecord = { name: deps.expiry.name, status: 'recorded' }
      deps.log.info(`Recorded the expiry ${expiresAt} in the variable ${deps.expiry.name}.`)
      await this.expiryNotices.settle(() => 'delete')
    } catch (error) {
      report.expiryRecord = { name: deps.expiry.name, status: 'failed' }
      deps.log.warning(`The secret is stored, but its expiry could not be recorded in ${deps.expiry.name}: ${errorText(error)}`)
    }
  }

  /**
   * 7. Every target holds the new secret and its message is gone: start the deploys that read it. The payload
   * names the secret, never its value. A deploy that does not start is a warning: the rotation is done.
   */
  private async dispatch(chosen: Candidate): Promise<void> {
    const { plan, deps, report } = this
    const payload = {
      client_id: plan.clientId,
      secret_names: [...new Set(plan.targets.map((t) => t.secretName))],
      secret_expires_at: chosen.newSecretExpiresAt ?? null,
      result: report.result,
      run_url: plan.runUrl ?? null,
    }
    await Promise.all(
      (plan.dispatches ?? []).map(async (d, i) => {
        const entry = report.dispatches[i]!
        try {
          await deps.dispatcher!.fire(d, payload)
          entry.status = 'started'
          deps.log.info(`Started ${entry.event}.`)
        } catch (error) {
          entry.status = 'failed'
          entry.detail = errorText(error)
          deps.log.warning(`Could not start ${entry.event}: ${entry.detail} The secret is stored; start that deploy by hand.`)
        }
      }),
    )
  }

  /** Never rotate past a claim that may hold the only copy of a new secret and may still become valid. */
  private refuseToPassYoung(): void {
    const young = this.lease.values.filter((c) => c.state === 'young')
    if (!young.length) return
    const unreadable = young.filter((c) => c.unreadable && c.secret === undefined)
    throw new Error(
      `nothing was rotated: the queue holds ${young.length} recent new-secret message(s) for this client that cannot be used yet (${young
        .map((c) => `${describe(c)}${c.unreadable ? `: ${c.unreadable}` : ', not accepted by LWA'}`)
        .join('; ')}). ` +
        'Rotating now could make the secret it may hold unusable. ' +
        `A message LWA still refuses once it is an hour old counts as stale, and the next run then rotates and clears it${unreadable.length ? '' : '; if LWA accepts it before that, the next run stores it'}. ` +
        'If nobody rotated in the last hour, something else is sending to the queue: see the README on locking the queue policy down.',
    )
  }

  /**
   * 5. Write every target; each store confirms its own write (GitHub: the secret's metadata read back shows
   * the update; Secrets Manager: the version is AWSCURRENT). A target that fails does not stop the others;
   * each outcome is logged as it happens, so a stopped run's log shows how far it got.
   */
  private async store(chosen: Candidate): Promise<void> {
    const { plan, deps, report } = this
    const secret = chosen.secret!
    const key = versionKey(chosen, plan.clientId)
    await Promise.all(
      plan.targets.map(async (target, i) => {
        const entry = report.targets[i]!
        try {
          const { status, version } = await deps.store.write(target, secret, key)
          entry.status = status
          if (version) entry.version = version
          deps.log.info(
            target.kind === 'aws-secretsmanager'
              ? `${entry.target}: version ${version ?? '?'} is AWSCURRENT.`
              : `${entry.target}: ${target.secretName} ${entry.status}.`,
          )
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

  /**
   * 6. Every target holds the new secret: its messages go, with the claims it supersedes and the forged and
   * stale ones. Young claims for another value stay for the next run.
   */
  private async commit(chosen: Candidate): Promise<void> {
    await this.draining
    this.committed = true
    const { deleted, failed, released } = await this.lease.settle((c) => (deletable(c, chosen, this.plan.verify) ? 'delete' : 'release'))
    this.report.message = failed ? 'delete failed' : 'deleted'
    this.deps.log.info(
      `Every target holds the new secret; deleted ${deleted} new-secret message(s) for this client from the queue` +
        `${failed ? ` (${failed} could not be deleted: they reappear, and a later run stores the same value again; check that the credentials may sqs:DeleteMessage)` : ''}` +
        `${released ? `, left ${released} for a later run` : ''}.`,
    )
  }

  /**
   * One look at the queue: receive until nothing new arrives; hold every claim for this client, give back
   * everything else at once. Once a claim not judged yet is in hand, the rest of the queue is drained in the
   * background (for duplicates and older claims) beside verification and the writes, not before them; the
   * commit waits for it. After a look that found only others' messages, wait longer before the next.
   */
  private async pass(firstWaitSeconds: number): Promise<void> {
    const { plan, deps } = this
    if (this.backoffMs) await deps.clock.sleep(Math.max(0, Math.min(this.backoffMs, this.deadline - deps.clock.now() - 1_000)), plan.signal)
    const foreign: QueueMessage[] = []
    let ours = 0
    let rest = MAX_RECEIVES_PER_PASS
    try {
      const batch = await deps.queue.receive(firstWaitSeconds, PASS_VISIBILITY_SECONDS, plan.signal)
      rest--
      for (const message of batch) {
        if (this.take(message)) ours++
        else foreign.push(message)
      }
      if (batch.length && this.untried().length) {
        this.draining = this.drain(rest, foreign.splice(0))
        return
      }
      if (batch.length) ours += await this.receiveRest(rest, foreign)
    } finally {
      await Promise.allSettled(foreign.map((m) => deps.queue.setVisibility(m, 0)))
    }
    this.backoffMs =
      foreign.length && !ours ? Math.min(this.backoffMs ? this.backoffMs * 2 : FOREIGN_BACKOFF_MS.first, FOREIGN_BACKOFF_MS.max) : 0
  }

  /** Receives until the queue has nothing more (a 1 s wait makes SQS look at all of its servers); returns how many were ours. */
  private async receiveRest(receives: number, foreign: QueueMessage[]): Promise<number> {
    let ours = 0
    for (let i = 0; i < receives; i++) {
      // Not cancelled half way: a long poll whose connection is dropped may still take a message on the
      // server side, hiding it from everyone for a while. A 1 s poll is allowed to finish, then released.
      if (this.plan.signal?.aborted) break
      const batch = await this.deps.queue.receive(1, PASS_VISIBILITY_SECONDS)
      if (batch.length === 0) break
      for (const message of batch) {
        if (this.take(message)) ours++
        else foreign.push(message)
      }
    }
    return ours
  }

  /** The rest of a look, in the background: never fails the run (what it misses, a later run finds). */
  private async drain(receives: number, foreign: QueueMessage[]): Promise<void> {
    try {
      await this.receiveRest(receives, foreign)
    } catch (error) {
      if (!this.plan.signal?.aborted) this.deps.log.info(`Looking for duplicates in the queue stopped early: ${errorText(error)}`)
    } finally {
      await Promise.allSettled(foreign.map((m) => this.deps.queue.setVisibility(m, 0)))
    }
  }

  /** Holds a message that claims a new secret for this client (judging what it can on its face); false for any other. */
  private take(message: QueueMessage): boolean {
    const { plan, deps } = this
    const n = parseNotification(message.body)
    const claim = n.kind === 'new-secret' || n.kind === 'new-secret-unreadable' ? n : undefined
    // Only a value in LWA's format can be a secret; masking anything else would let a sender blank out the log.
    if (claim?.newSecret && isSecretFormat(claim.newSecret) && claim.clientId !== plan.clientId) deps.log.mask(claim.newSecret)
    if (claim?.clientId === plan.clientId) {
      const candidate = candidateOf(message.messageId, claim, message.sentAt)
      const now = deps.clock.now()
      const forged = forgery(candidate, now)
      // A forged claim is never masked either: a sender must not decide what the log hides.
      if (!forged && candidate.secret) deps.log.mask(candidate.secret)
      if (forged) {
        candidate.state = 'forged'
        deps.log.warning(
          `Ignored ${describe(candidate)}: it claims a new secret for this client, but ${forged}, so it did not come from Amazon. ` +
            'It is never stored; a run that stores a verified secret deletes it. See docs/security.md on locking the queue policy down.',
        )
      } else if (candidate.secret === undefined || !isSecretFormat(candidate.secret)) {
        candidate.state = isStale(candidate, now) ? 'stale' : 'young'
        deps.log.warning(
          `${describe(candidate)} names this client but ${candidate.unreadable}; ${candidate.state === 'stale' ? 'it is over an hour old: stale, cleared when this run commits' : 'it is kept in the queue'}.`,
        )
      }
      this.lease.hold(message, candidate)
      return true
    }
    if (n.kind === 'secret-expiry' && n.clientId === plan.clientId) {
      deps.log.info(`Amazon's expiry notification ${message.messageId}: the current secret expires ${n.expiresAt.toISOString()}.`)
      this.expiryNotices.hold(message, n.expiresAt)
      return true
    }
    if (n.kind === 'invalid' && !this.reported.has(message.messageId)) {
      this.reported.add(message.messageId)
      deps.log.warning(`Left message ${message.messageId} in the queue untouched: ${n.reason}.`)
    }
    return false
  }

  /** Held claims LWA has not judged yet, newest first. */
  private untried(): Candidate[] {
    return this.lease.values.filter((c) => c.state === 'untried').sort(newestFirst)
  }

  /** True when every target's secret was written since this run began looking at the queue: by another run. */
  private async storedByAnotherRun(): Promise<boolean> {
    const since = this.startedAt - CLOCK_TOLERANCE_MS
    const times = await Promise.all(this.plan.targets.map((t) => this.deps.store.updatedAt(t)))
    return times.every((t) => t !== undefined && t >= since)
  }
}

/** Who a preflight failure belongs to: the input a person must change. */
function preflightSubject(check: string, error: unknown): string {
  if (check === 'LWA') return error instanceof LwaError && error.secretRejected ? 'The client-id or client-secret' : 'LWA (lwa-endpoint)'
  if (check === 'refresh-token') {
    return error instanceof LwaError && (error.code === 'invalid_grant' || error.secretRejected)
      ? 'The refresh-token'
      : 'LWA (lwa-endpoint)'
  }
  return check
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
      lines.push(
        'The new secret is still in the queue: the next run checks it first, and stores it without rotating again if LWA accepts it.',
      )
    }
  }
  return lines.join('\n')
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
