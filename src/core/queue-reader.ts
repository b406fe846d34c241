/**
 * Reading the queue, and what this run holds of it. A look sees the whole queue: it receives until SQS has
 * no visible message left, holding this client's messages (new-secret claims, expiry notices) and keeping
 * every other one hidden until the look ends, when they go back at once (invariant 3). A backlog of
 * thousands of other messages costs time, never a missed claim. Messages this run holds stay hidden by a
 * lease (lease.ts) until the run deletes or releases them.
 *
 * The first look runs beside the preflight. When SQS counts the queue empty and that look stays silent one
 * round trip past the count, the decision need not wait out the look's second (see quiet()).
 */
import { candidateOf, describe, forgery, newestFirst, type Candidate } from './candidates.js'
import { Lease } from './lease.js'
import type { Clock, Log } from './model.js'
import { errorText } from './model.js'
import { isSecretFormat, parseNotification } from './notification.js'
import type { Queue, QueueMessage, QueueStats } from './ports.js'

/** How long a message taken by this run stays hidden from other consumers without a renewal. */
export const LEASE_SECONDS = 30
/**
 * Visibility of what a look's first receive (a long poll) takes: short, since a run that dies during a long
 * poll leaves whatever SQS hands to its dropped connection hidden this long.
 */
const POLL_VISIBILITY_SECONDS = 10
/** Visibility of what the rest of a look receives, so that none is received twice in a long look; others' go back when it ends. */
const LOOK_VISIBILITY_SECONDS = 30
/** The least silence of a first look that counts as "nothing waiting", however fast the queue answers. */
const MIN_SILENCE_MS = 100
const LONG_POLL_SECONDS = 20
/** A bound on one look's receives (10 messages each): 20,000 messages, far beyond what any queue of this kind holds. */
const MAX_RECEIVES_PER_LOOK = 2_000
/**
 * On a queue shared with other applications, a look that finds only their messages gives them back at once;
 * waiting before the next look, longer each time, keeps them from being received again every second (and
 * from reaching a dead-letter queue through their receive count).
 */
const FOREIGN_BACKOFF_MS = { first: 2_000, max: 8_000 }

export interface ReaderContext {
  queue: Queue
  clock: Clock
  log: Log
  clientId: string
  signal?: AbortSignal | undefined
}

export class QueueReader {
  /** New-secret claims for this client: one of them may be the only copy of a new secret. */
  readonly claims: Lease<Candidate>
  /** Amazon's expiry notifications for this client: consumed once their content is recorded (invariant 3). */
  readonly expiryNotices: Lease<Date>
  /** The bound on every wait for the queue; the owner extends it (Amazon's retry waits, a rotation's receive). */
  deadline = 0
  /** Messages already warned about, so that a message seen on every look is reported once. */
  private readonly warned = new Set<string>()
  private backoffMs = 0
  /** The background rest of a look that found a claim early; awaited before anything is decided or settled. */
  private draining: Promise<void> = Promise.resolve()
  private firstLook: Promise<void> | undefined
  private firstLookDone = false
  /** Set when SQS counted the queue empty at the preflight: when the first look's silence shows it empty too. */
  private quietFrom: number | undefined
  /** A decision was taken on the first look's silence: it runs on for the receive, but counts as no look after. */
  private firstLookSpent = false

  constructor(private readonly ctx: ReaderContext) {
    this.claims = new Lease<Candidate>(ctx.queue, LEASE_SECONDS, ctx.log.warning)
    this.expiryNotices = new Lease<Date>(ctx.queue, LEASE_SECONDS, ctx.log.warning)
  }

  /** Starts the first look beside the preflight: it changes nothing, and what it holds goes back if the preflight fails. */
  beginFirstLook(): void {
    this.firstLook = this.pass(1).finally(() => (this.firstLookDone = true))
    this.firstLook.catch(() => {}) // a failure here is the preflight's to report (the queue check)
  }

  /** The preflight's queue check, sent beside the first look (see quiet()). */
  async stats(): Promise<QueueStats> {
    const stats = await this.ctx.queue.stats()
    if (stats.queued === 0 && stats.inFlight === 0) {
      this.quietFrom = this.ctx.clock.now() + Math.max(stats.roundTripMs, MIN_SILENCE_MS)
    }
    return stats
  }

  /**
   * True when the first look, still running, has found nothing on a queue SQS counted empty: a long poll
   * answers at once when a message waits, so one silent round trip past the count (at least MIN_SILENCE_MS)
   * means nothing is there. Both signs count: SQS's counts are approximate for a while after a change. The
   * look runs on; what it brings in (the rotation's own message, if Amazon is quick) is received as any
   * later look's would be.
   */
  async quiet(): Promise<boolean> {
    if (!this.firstLook || this.firstLookDone || this.quietFrom === undefined) return false
    const wait = this.quietFrom - this.ctx.clock.now()
    if (wait > 0) await Promise.race([this.firstLook.catch(() => {}), this.ctx.clock.sleep(wait)])
    this.ctx.signal?.throwIfAborted()
    this.firstLookSpent = !this.firstLookDone && this.claims.size + this.expiryNotices.size === 0
    return this.firstLookSpent
  }

  /**
   * A whole look at the queue. The first call finishes the first look instead of starting another, unless a
   * decision was already taken on its silence: a look after any wait is a new one.
   */
  async look(): Promise<void> {
    const first = this.firstLook
    this.firstLook = undefined
    if (first && !this.firstLookSpent) await first
    else {
      await first?.catch(() => {}) // what it brought in is held; a failure here shows in the new look
      await this.pass(1)
    }
    await this.draining
  }

  /**
   * Long-polls until a claim `wanted` accepts is held, or `until` (at most the deadline): that claim, or
   * undefined. The rest of the look that brought it runs on in the background (settled() waits for it).
   */
  async waitForClaim(wanted: (c: Candidate) => boolean, until = this.deadline): Promise<Candidate | undefined> {
    const first = this.firstLook
    this.firstLook = undefined
    await first?.catch(() => {}) // a queue that fails again fails the looks below
    for (;;) {
      const found = this.untried().find(wanted)
      if (found) return found
      const wait = Math.min(LONG_POLL_SECONDS, Math.floor((Math.min(until, this.deadline) - this.ctx.clock.now()) / 1000))
      if (wait <= 0) return undefined
      await this.pass(wait, { background: true })
    }
  }

  /** Claims LWA has not judged yet, newest first. */
  untried(): Candidate[] {
    return this.claims.values.filter((c) => c.state === 'untried').sort(newestFirst)
  }

  /** How many messages another consumer holds (in flight and not this run's): possibly another run's. */
  async heldElsewhere(): Promise<number> {
    const { inFlight } = await this.ctx.queue.stats()
    return inFlight - this.claims.size - this.expiryNotices.size
  }

  /** Waits for the background rest of a look. */
  settled(): Promise<void> {
    return this.draining
  }

  /** Whether this run holds anything a later run needs: a claim not judged, young, or chosen but not stored. */
  get keepsSecret(): boolean {
    return this.claims.values.some((c) => c.state === 'untried' || c.state === 'young' || c.state === 'chosen')
  }

  /** Gives back everything still held: on any failure, and whatever a finished run did not consume. Never throws. */
  async close(): Promise<void> {
    await this.firstLook?.catch(() => {})
    await this.draining
    await this.claims.release()
    await this.expiryNotices.release()
  }

  /** One look: receive until nothing new; hold this client's messages, give back every other one when it ends. */
  private async pass(firstWaitSeconds: number, options: { background?: boolean } = {}): Promise<void> {
    const { queue, clock, signal } = this.ctx
    if (this.backoffMs) await clock.sleep(Math.max(0, Math.min(this.backoffMs, this.deadline - clock.now() - 1_000)), signal)
    const foreign: QueueMessage[] = []
    let ours = 0
    try {
      const batch = await queue.receive(firstWaitSeconds, POLL_VISIBILITY_SECONDS, signal)
      for (const message of batch) {
        if (this.take(message)) ours++
        else foreign.push(message)
      }
      // A claim in hand while waiting for one: the rest of the queue is read beside verification, not before it.
      if (batch.length && options.background && this.untried().length) {
        this.draining = this.drain(foreign.splice(0))
        return
      }
      if (batch.length) ours += await this.receiveRest(foreign)
    } finally {
      await Promise.allSettled(foreign.map((m) => queue.setVisibility(m, 0)))
    }
    this.backoffMs =
      foreign.length && !ours ? Math.min(this.backoffMs ? this.backoffMs * 2 : FOREIGN_BACKOFF_MS.first, FOREIGN_BACKOFF_MS.max) : 0
  }

  /**
   * Receives until the queue has nothing visible left (a 1 s wait makes SQS look at all of its servers);
   * returns how many were this client's. Every message stays hidden until the look ends, so each is seen once.
   */
  private async receiveRest(foreign: QueueMessage[]): Promise<number> {
    let ours = 0
    for (let i = 0; i < MAX_RECEIVES_PER_LOOK; i++) {
      // Not cancelled half way: a long poll whose connection is dropped may still take a message on the
      // server side, hiding it from everyone for a while. A 1 s poll is allowed to finish, then released.
      if (this.ctx.signal?.aborted) break
      const batch = await this.ctx.queue.receive(1, LOOK_VISIBILITY_SECONDS)
      if (batch.length === 0) break
      for (const message of batch) {
        if (this.take(message)) ours++
        else foreign.push(message)
      }
    }
    return ours
  }

  /** The rest of a look, in the background: never fails the run (what it misses, a later run finds). */
  private async drain(foreign: QueueMessage[]): Promise<void> {
    try {
      await this.receiveRest(foreign)
    } catch (error) {
      if (!this.ctx.signal?.aborted) this.ctx.log.info(`Reading the rest of the queue stopped early: ${errorText(error)}`)
    } finally {
      await Promise.allSettled(foreign.map((m) => this.ctx.queue.setVisibility(m, 0)))
    }
  }

  /** Holds a message of Amazon's for this client (judging a claim on its face); false for any other. */
  private take(message: QueueMessage): boolean {
    const { clientId, log, clock } = this.ctx
    const n = parseNotification(message.body)
    const claim = n.kind === 'new-secret' || n.kind === 'new-secret-unreadable' ? n : undefined
    // Only a value in LWA's format can be a secret; masking anything else would let a sender blank out the log.
    if (claim?.newSecret && isSecretFormat(claim.newSecret) && claim.clientId !== clientId) log.mask(claim.newSecret)
    if (claim?.clientId === clientId) {
      const candidate = candidateOf(message.messageId, claim, message.sentAt)
      const forged = forgery(candidate, clock.now())
      // A forged claim is never masked either: a sender must not decide what the log hides.
      if (!forged && candidate.secret) log.mask(candidate.secret)
      if (forged) {
        candidate.state = 'forged'
        log.warning(
          `Ignored ${describe(candidate)}: it claims a new secret for this client, but ${forged}, so it did not come from Amazon. ` +
            'It is never stored; a run that stores a verified secret deletes it. See docs/security.md on locking the queue policy down.',
        )
      }
      this.claims.hold(message, candidate)
      return true
    }
    if (n.kind === 'secret-expiry' && n.clientId === clientId) {
      log.info(`Amazon's expiry notification ${message.messageId}: the current secret expires ${n.expiresAt.toISOString()}.`)
      this.expiryNotices.hold(message, n.expiresAt)
      return true
    }
    if (n.kind === 'invalid' && !this.warned.has(message.messageId)) {
      this.warned.add(message.messageId)
      log.warning(`Left message ${message.messageId} in the queue untouched: ${n.reason}.`)
    }
    return false
  }
}
