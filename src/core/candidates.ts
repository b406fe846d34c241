/**
 * Candidates: the new-secret messages for this client that a run holds. A message is a claim, not a fact
 * (invariant 4): anyone who may send to the queue can plant one, and a genuine one can outlive its secret.
 * These rules decide, before any request, which claims are forged and which are too old to matter; the core
 * then asks LWA about the rest, newest first. Pure: no I/O.
 */
import { isSecretFormat, type NewSecret, type UnreadableNewSecret } from './notification.js'

/** Amazon's clock and the runner's never agree exactly; a claim further ahead than this is forged. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000
/** A claim LWA rejects this long after it was issued will never be accepted: it is stale, not pending. */
export const STALE_AFTER_MS = 60 * 60_000

export type CandidateState =
  /** Not judged by LWA yet. */
  | 'untried'
  /** Its secret is not in LWA's format, or it is dated in the future: never stored, deleted at commit. */
  | 'forged'
  /** Rejected by LWA (or unreadable) more than STALE_AFTER_MS after it was issued: deleted at commit. */
  | 'stale'
  /** Rejected by LWA, or unreadable, but young: it may still become valid, so it is kept and blocks rotating. */
  | 'young'
  /** Accepted by LWA (or, with verify off, taken as it is): the secret this run stores. */
  | 'chosen'
  /** Its secret is in every target already (the expiry record names its expiry): only the message is left to delete. */
  | 'stored'

export interface Candidate {
  messageId: string
  /** Undefined when the message names this client but its secret cannot be read. */
  secret: string | undefined
  /** The notification's eventTime, else when SQS received the message. */
  issuedAt: Date | undefined
  /** When SQS received the message (SentTimestamp): a time no sender chooses. */
  sentAt: Date | undefined
  newSecretExpiresAt: string | undefined
  oldSecretExpiresAt: string | undefined
  /** The notification's id, when it has one: the same for every copy of one notification. */
  notificationId: string | undefined
  /** Why the message failed strict parsing, when it did. */
  unreadable: string | undefined
  state: CandidateState
}

export function candidateOf(messageId: string, n: NewSecret | UnreadableNewSecret, sentAt: Date | undefined): Candidate {
  const readable = n.kind === 'new-secret'
  return {
    messageId,
    secret: n.newSecret,
    issuedAt: n.eventTime ?? sentAt,
    sentAt,
    newSecretExpiresAt: readable ? n.newSecretExpiresAt : undefined,
    oldSecretExpiresAt: readable ? n.oldSecretExpiresAt : undefined,
    notificationId: readable ? n.notificationId : undefined,
    unreadable: readable ? undefined : n.reason,
    state: 'untried',
  }
}

/** Why a claim is forged on its face, or undefined when only LWA can tell. */
export function forgery(c: Candidate, now: number): string | undefined {
  if (c.secret !== undefined && !isSecretFormat(c.secret)) return "its secret is not in LWA's format"
  if (c.issuedAt && c.issuedAt.getTime() > now + FUTURE_TOLERANCE_MS) return `it is dated in the future (${c.issuedAt.toISOString()})`
  return undefined
}

/** Old enough that a rejection is final. A claim of unknown age is treated as young: it may be the only copy. */
export function isStale(c: Candidate, now: number): boolean {
  return c.issuedAt !== undefined && now - c.issuedAt.getTime() > STALE_AFTER_MS
}

/** Amazon's clock, SQS's and the runner's never agree exactly: the tolerance when a claim is dated against a rotation. */
export const CLOCK_TOLERANCE_MS = 5_000

/**
 * Whether a claim was sent at or after `since` (epoch ms): by SQS's own time when known, which no sender
 * chooses, else by the claim's date.
 */
export function sentSince(c: Candidate, since: number): boolean {
  const at = c.sentAt ?? c.issuedAt
  return at !== undefined && at.getTime() >= since - CLOCK_TOLERANCE_MS
}

/** Newest first by SQS's time (for verify off, where nothing else is proven): the sender chooses eventTime. */
export function newestSentFirst(a: Candidate, b: Candidate): number {
  return ((b.sentAt ?? b.issuedAt)?.getTime() ?? 0) - ((a.sentAt ?? a.issuedAt)?.getTime() ?? 0)
}

/** Newest first: the order in which LWA is asked (invariant 4: the newest that works wins). */
export function newestFirst(a: Candidate, b: Candidate): number {
  return (b.issuedAt?.getTime() ?? 0) - (a.issuedAt?.getTime() ?? 0)
}

/**
 * Which held messages may go once `chosen` is in every target: forged and stale claims, every copy of the
 * stored value, and older claims it supersedes. Young claims that are not the stored value stay for the
 * next run. With verify off nothing was proven, so only copies of the stored value go.
 */
export function deletable(c: Candidate, chosen: Candidate, verified: boolean): boolean {
  if (c.secret !== undefined && c.secret === chosen.secret) return true
  if (c.state === 'stored') return true
  if (!verified) return false
  if (c.state === 'forged' || c.state === 'stale') return true
  // Older claims are superseded by the stored secret, unreadable ones included.
  return (c.state === 'untried' || (c.state === 'young' && c.secret === undefined)) && newestFirst(c, chosen) >= 0
}

/** A claim as the log names it: message id and time, never the value. */
export function describe(c: Candidate): string {
  return `message ${c.messageId}${c.issuedAt ? ` (event time ${c.issuedAt.toISOString()})` : ''}`
}

/**
 * A key that is the same for every run that stores this notification's secret (the notification id, else the
 * client id and event time): a target that versions its writes (Secrets Manager's ClientRequestToken) then
 * repeats the same version on a re-run instead of making a new one.
 */
export function versionKey(c: Candidate, clientId: string): string {
  if (c.notificationId && /^[\w-]{32,64}$/.test(c.notificationId)) return c.notificationId
  return `${clientId}@${c.issuedAt?.toISOString() ?? c.messageId}`
}
