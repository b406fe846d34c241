/**
 * The state one rotation carries from phase to phase. Each phase reads what the ones before it learned and
 * adds what it decides; the script that runs them is rotation.ts.
 */
import type { Deps, Plan, Report } from '../model.js'
import type { QueueStats } from '../ports.js'
import type { QueueReader } from '../queue-reader.js'
import type { Outstanding } from '../rotation-record.js'

export interface Run {
  readonly plan: Plan
  readonly deps: Deps
  readonly report: Report
  readonly reader: QueueReader
  /** When this run began to look at the queue. */
  readonly startedAt: number
  /** The rotation token, once LWA accepted the current secret. */
  token?: string
  /** LWA rejected the current secret (expired or wrong): a waiting new secret can still be stored. */
  currentRejected?: Error
  /** What the preflight learned of the queue. */
  queue?: QueueStats
  /** The expiry variable's value at the preflight (undefined: none, unreadable, or tracking off). */
  recorded?: Date | undefined
  /** A rotation whose secret is not in every target yet: an earlier run's (from the record), then this run's. */
  outstanding?: Outstanding | undefined
  /** This run waited for the earlier rotation's secret (it was recent enough to be on its way). */
  outstandingAwaited?: boolean
  /** The earlier rotation in `outstanding` was judged: stored after all (cleared), or forced past. */
  outstandingJudged?: boolean
  /** This run wrote the outstanding-rotation record (before its first rotate call). */
  recordWritten?: boolean
  /** This run's latest rotate call (epoch ms), once made. */
  rotatedAt?: number
}
