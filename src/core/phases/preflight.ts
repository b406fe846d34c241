/**
 * Phase 1, preflight: nothing irreversible happens unless every input a later phase depends on is proven:
 * LWA accepts the current secret (and the refresh token, when given), the queue answers, every target is
 * reachable, and the records this run keeps can be read. A current secret LWA rejects does not stop the
 * run here: a new secret waiting in the queue can still be stored (the decision says so when none waits).
 */
import { parseRecordedExpiry } from '../expiry.js'
import { errorText } from '../model.js'
import { LwaError, type QueueStats } from '../ports.js'
import { parseOutstanding } from '../rotation-record.js'
import { formatTarget } from '../targets.js'
import type { Run } from './run.js'

/** The old secret lives 7 days after a rotation; the message must outlive it (invariant 2). */
export const MIN_RETENTION_SECONDS = 8 * 24 * 3600

type Check = [subject: string, result: Promise<unknown>]
const QUEUE = 'The queue (sqs-queue-url)'

export async function preflight(run: Run): Promise<void> {
  const { plan, deps } = run
  const checks: Check[] = [
    ['LWA', deps.lwa.rotationToken(plan.currentSecret)],
    ...(plan.refreshToken ? [['refresh-token', deps.lwa.refreshGrant(plan.currentSecret, plan.refreshToken)] as Check] : []),
    [QUEUE, run.reader.stats()],
    ...plan.targets.map((t): Check => [formatTarget(t), deps.store.check(t)]),
  ]
  const expiry = deps.expiry?.read()
  // Rotating only when due depends on the expiry record: unreadable, it stops the run; otherwise it is worth a word.
  if (expiry && plan.rotateBeforeMs !== undefined) checks.push([`The expiry variable ${deps.expiry!.name} (expiry-variable)`, expiry])
  else if (expiry) {
    expiry.catch((error: unknown) =>
      deps.log.warning(`The expiry variable ${deps.expiry!.name} could not be read, so the expiry is not tracked: ${errorText(error)}`),
    )
  }
  // Without the outstanding-rotation record a run could start the 7-day clock again blind: it must be readable.
  const record = deps.rotationRecord?.read()
  if (record) checks.push([`The rotation record ${deps.rotationRecord!.name} (kept beside expiry-variable)`, record])
  else deps.log.warning(rotationRecordOff)

  const results = await Promise.allSettled(checks.map(([, check]) => check))
  // Known even when the preflight fails, so that the run can still warn of an expiry close at hand.
  run.recorded = parseRecordedExpiry(await expiry?.catch(() => undefined))
  run.outstanding = parseOutstanding(await record?.catch(() => undefined))

  const rejected = rejection(results[0]!)
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ subject: checks[i]![0], reason: r.reason as unknown }] : []))
  // A rejected current secret alone is the decision's to judge: a new secret waiting in the queue may still be stored.
  const onlyRejected = failures.every(
    (f) => f.subject === 'LWA' || (f.subject === 'refresh-token' && rejection({ status: 'rejected', reason: f.reason })),
  )
  if (failures.length && !(rejected && onlyRejected)) {
    const problems = failures.map((f) => `${preflightSubject(f.subject, f.reason)}: ${errorText(f.reason)}`)
    throw new Error(`nothing was rotated or changed.\n- ${problems.join('\n- ')}`)
  }
  if (rejected) run.currentRejected = rejected
  else run.token = (results[0] as PromiseFulfilledResult<string>).value
  const stats = (results[checks.findIndex(([subject]) => subject === QUEUE)] as PromiseFulfilledResult<QueueStats>).value
  run.queue = stats
  const days = (stats.retentionSeconds / 86400).toFixed(1)
  deps.log.info(
    `${rejected ? 'LWA rejects the current secret' : `LWA accepted the current secret${plan.refreshToken ? ' and the refresh token' : ''}`}; ` +
      `the queue answered (retention ${days} days); ${plan.targets.length} target(s) reachable.`,
  )
}

const rotationRecordOff =
  'expiry-variable is none, so no rotation is remembered between runs: a rotation whose new secret never arrives is not ' +
  'noticed by the next run, which rotates again. Set expiry-variable to a variable name to keep that protection.'

/** LWA's rejection of a secret (wrong, expired, or not active yet), when that is what a check failed on. */
function rejection(result: PromiseSettledResult<unknown>): LwaError | undefined {
  return result.status === 'rejected' && result.reason instanceof LwaError && result.reason.secretRejected ? result.reason : undefined
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
