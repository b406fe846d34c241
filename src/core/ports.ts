/**
 * The ports: the narrow interfaces through which the rotation core (rotation.ts, and check mode) reaches Amazon,
 * SQS, GitHub and AWS Secrets Manager, and the errors the core tells apart. The adapters implement them
 * (lwa.ts, sp-api.ts, queue.ts, github.ts, secrets-manager.ts, variables.ts, github-dispatch.ts); the unit
 * tests hand in fakes. Nothing here does I/O.
 */
import type { Dispatch } from './dispatch.js'
import type { Target } from './targets.js'

// --- Login with Amazon ---

export class LwaError extends Error {
  constructor(
    readonly status: number,
    /** The OAuth error code (invalid_client, invalid_grant, …), or 'unexpected_response'. */
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'LwaError'
  }
  /** LWA answers invalid_client when the secret is wrong, expired, or (just after a rotation) not active yet. */
  get secretRejected(): boolean {
    return this.code === 'invalid_client'
  }
}

export interface Lwa {
  /** A client_credentials token with the rotation scope. */
  rotationToken(clientSecret: string): Promise<string>
  /** A seller token from a refresh_token grant: proves the secret works for SP-API calls too. */
  refreshGrant(clientSecret: string, refreshToken: string): Promise<string>
}

// --- The Application Management API ---

/** The usage plan allows about one call a minute: the wait before asking again when Amazon names none. */
export const DEFAULT_RETRY_AFTER_MS = 60_000

export class SpApiError extends Error {
  constructor(
    /** 0 when no HTTP answer came back. */
    readonly status: number,
    readonly code: string,
    message: string,
    /**
     * retry: Amazon did not act on the request; ask again after `retryAfterMs`.
     * unknown: the request may have reached Amazon (timeout, connection reset): it may have rotated.
     * final: refused; asking again will not help.
     */
    readonly outcome: 'retry' | 'unknown' | 'final',
    readonly retryAfterMs = DEFAULT_RETRY_AFTER_MS,
  ) {
    super(message)
    this.name = 'SpApiError'
  }
}

export interface SpApi {
  /** Resolves on 204; throws SpApiError with Amazon's error code, message, advice and whether to retry otherwise. */
  rotateClientSecret(accessToken: string): Promise<void>
}

// --- The SQS queue Amazon delivers notifications to ---

export interface QueueMessage {
  messageId: string
  receiptHandle: string
  body: string
  /** When SQS received it (SentTimestamp): the age of a message whose own time cannot be read. */
  sentAt: Date | undefined
}

export interface QueueStats {
  retentionSeconds: number
  /** Received by some consumer and not yet deleted or released (ApproximateNumberOfMessagesNotVisible). */
  inFlight: number
  /** Waiting to be received, visible or delayed (ApproximateNumberOfMessages and …Delayed); undefined when SQS did not say. */
  queued: number | undefined
  /** How long SQS took to answer this request: the queue's round trip. */
  roundTripMs: number
  /** The queue's access policy (JSON), when it has one. */
  policy: string | undefined
  /** A FIFO queue: Amazon delivers notifications only to standard queues. */
  fifo?: boolean
  /** The KMS key of the queue's server-side encryption (an id, ARN or alias), when it uses SSE-KMS. */
  kmsKeyId?: string | undefined
}

export interface Queue {
  stats(): Promise<QueueStats>
  /** Long-polls for up to `waitSeconds`; received messages stay invisible to others for `visibilitySeconds`. */
  receive(waitSeconds: number, visibilitySeconds: number, signal?: AbortSignal): Promise<QueueMessage[]>
  /** 0 makes the message visible again at once; more keeps it hidden that long from now. */
  setVisibility(message: QueueMessage, seconds: number): Promise<void>
  delete(message: QueueMessage): Promise<void>
}

// --- Where the new secret is written ---

export interface SecretStore {
  /** Reads the target's public key (and, for new organization secrets, resolves the selected repositories): proves the target is reachable. */
  check(target: Target): Promise<void>
  /**
   * Writes the value under the target's secret name, and resolves only once the write is confirmed;
   * idempotent. `versionKey` is the same for every run that stores one notification's secret (targets that
   * version their writes use it).
   */
  write(target: Target, value: string, versionKey: string): Promise<{ status: 'created' | 'updated'; version?: string | undefined }>
  /** When the target's secret was last written (epoch ms), or undefined when it does not exist. */
  updatedAt(target: Target): Promise<number | undefined>
  /**
   * Proves, before the rotate call, that a write to the target will be allowed, without touching the
   * target's own secret (GitHub: a throw-away secret written and deleted in the same scope). Resolves
   * 'unproven' where no such proof exists without writing the secret itself; throws when the write is refused.
   */
  proveWrite(target: Target): Promise<'proven' | 'unproven'>
  /**
   * The permissions a write to the target needs that neither check() nor proveWrite() could prove without
   * writing (e.g. 'ssm:PutParameter'), for mode: check to list; absent when the kind has none to report.
   */
  unproven?(target: Target): Promise<string[]>
}

/** The core's view of the record (see rotation.ts). */
export interface ExpiryRecord {
  /** The variable's name, for log lines and errors. */
  readonly name: string
  /** The recorded value, or undefined when the variable does not exist. */
  read(): Promise<string | undefined>
  /** Creates or updates the variable. */
  write(value: string): Promise<void>
}

/** The core's view of the outstanding-rotation record (see rotation-record.ts). */
export interface RotationRecord {
  /** The variable's name, for log lines and errors. */
  readonly name: string
  /** The recorded value, or undefined when there is none. */
  read(): Promise<string | undefined>
  write(value: string): Promise<void>
  /** Removes the record; resolves when there was none. */
  clear(): Promise<void>
}

/** The core's port: fires one event (adapter: src/github-dispatch.ts). */
export interface Dispatcher {
  fire(dispatch: Dispatch, payload: Record<string, unknown>): Promise<void>
}

// --- The alert issue: one open issue per application, kept by the shell (alert-sync.ts) after a run ---

export interface AlertIssue {
  number: number
  /** The issue's page, for the log. */
  url: string
  body: string
}

/** The repository's alert issues (adapter: adapters/github/issues.ts). Found by a label and a marker in the body. */
export interface IssueTracker {
  /** The open alert issue whose body holds `marker`, if any (the oldest when several do). */
  findOpen(marker: string): Promise<AlertIssue | undefined>
  /** Opens an issue with the alert label, which is created first when it is missing. */
  open(title: string, body: string): Promise<AlertIssue>
  update(issue: number, title: string, body: string): Promise<void>
  comment(issue: number, body: string): Promise<void>
  /** Closes the issue as completed. */
  close(issue: number): Promise<void>
  /** For mode check, reading only: how many alert issues are open, and whether their label exists. */
  probe(): Promise<{ open: number; label: string; labelExists: boolean }>
}
