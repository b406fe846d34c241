/**
 * What the rotation core is given (Plan, Deps) and what it gives back (Report, or RotationFailed carrying
 * one). Types and the report's starting state only: no decisions, no I/O.
 */
import { formatDispatch, type Dispatch } from './dispatch.js'
import type { Dispatcher, ExpiryRecord, Lwa, Queue, RotationRecord, SecretStore, SpApi } from './ports.js'
import { formatTarget, type Target } from './targets.js'

export interface Plan {
  clientId: string
  currentSecret: string
  refreshToken: string | undefined
  verify: boolean
  targets: Target[]
  receiveTimeoutMs: number
  /** Rotate only when the secret expires within this many ms (rotate-before-expiry); undefined: every run. */
  rotateBeforeMs?: number | undefined
  /** Rotate even though an earlier rotation's secret never arrived (the force input). */
  force?: boolean
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
  /** Where a rotation whose secret is not stored yet is remembered; undefined when tracking is off. */
  rotationRecord?: RotationRecord | undefined
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
  /**
   * not due: the secret expires after the rotate-before-expiry window; stored by another run: while this one
   * waited; already stored: the waiting secret is in every target already, and only its message was left.
   */
  skipReason?: 'not due' | 'stored by another run' | 'already stored'
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
  /**
   * A rotation whose new secret is not in every target yet: when Amazon was asked, and the day the secret the
   * targets hold stops working (7 days later). Set while one is outstanding at the end of the run.
   */
  outstanding?: { rotatedAt: string; deadline: string }
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

export function newReport(plan: Plan, deps: Deps): Report {
  return {
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
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
