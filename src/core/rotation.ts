/**
 * The rotation, start to finish: preflight → resume or rotate → receive → verify → store → commit → report
 * (record the expiry, start the deploys). Each phase lives in phases/ and says what it decides and why.
 *
 * Amazon puts the new secret on the queue and nowhere else, so the queue message is treated as the only
 * copy: it is deleted only once every target holds the secret, and released for the next run on any
 * failure. Every rotate call starts the 7-day clock of the secret the targets hold, so it is made only
 * when nothing waiting could be the new secret, everything the rotation needs is proven, and the call is
 * remembered until its secret is stored. The core talks to Amazon, SQS, GitHub and AWS only through the
 * ports (ports.ts) in Deps; the shell (src/shell/main.ts) wires the real adapters.
 */
import { newReport, RotationFailed, type Deps, type Plan, type Report } from './model.js'
import { decide } from './phases/decide.js'
import { preflight } from './phases/preflight.js'
import { receive, verifyArrived } from './phases/receive.js'
import { dispatch, failureMessage, recordExpiry, recordLearnedExpiry } from './phases/report.js'
import type { Run } from './phases/run.js'
import { commit, finishStored, store } from './phases/store.js'
import { QueueReader } from './queue-reader.js'
import { isoDay } from './rotation-record.js'

export { MIN_RETENTION_SECONDS } from './phases/preflight.js'
export { LEASE_SECONDS } from './queue-reader.js'
export { RotationFailed, type Clock, type Deps, type Log, type Plan, type Report, type TargetStatus } from './model.js'

/** Runs one rotation; resolves with the report, or rejects with RotationFailed (which carries it too). */
export async function rotate(plan: Plan, deps: Deps): Promise<Report> {
  const report = newReport(plan, deps)
  const reader = new QueueReader({ queue: deps.queue, clock: deps.clock, log: deps.log, clientId: plan.clientId, signal: plan.signal })
  const run: Run = { plan, deps, report, reader, startedAt: deps.clock.now() }
  reader.deadline = run.startedAt + plan.receiveTimeoutMs
  let phase = 'preflight'
  /** A phase in its own log group; a cancelled run stops at the next phase. */
  const step = <T>(name: string, title: string, fn: () => Promise<T>): Promise<T> => {
    plan.signal?.throwIfAborted()
    phase = name
    return deps.log.group(title, fn)
  }
  try {
    // The first look for a waiting message runs beside the preflight: it changes nothing.
    reader.beginFirstLook()
    await step('preflight', 'Preflight', () => preflight(run))
    const start = await step('resume or rotate', 'Resume or rotate', () => decide(run))
    report.result = start.decision
    if (start.decision === 'skipped') {
      report.skipReason = start.reason
      if (start.reason === 'not due') await step('report', 'Record the expiry', () => recordLearnedExpiry(run))
      if (start.reason === 'already stored') await step('commit', 'Commit', () => finishStored(run))
      return report
    }
    let chosen = start.chosen
    if (!chosen) {
      const arrived = await step('receive', 'Receive the new secret', () => receive(run))
      if (!arrived) return report // another run took this rotation's message and stored it everywhere
      chosen = await step('verification', plan.verify ? 'Verify the new secret' : 'Take the new secret', () => verifyArrived(run))
    }
    const secret = chosen
    report.secretExpiresAt = secret.newSecretExpiresAt
    report.previousSecretExpiresAt = secret.oldSecretExpiresAt
    await step('store', 'Store the new secret', () => store(run, secret))
    // Every target holds the new secret: deleting its messages and recording its expiry do not wait for each other.
    const recorded = recordExpiry(run, secret.newSecretExpiresAt)
    await step('commit', 'Commit', () => commit(run, secret))
    await step('report', 'Record the expiry', () => recorded)
    if (plan.dispatches?.length) await step('report', 'Start deploys', () => dispatch(run, secret))
    return report
  } catch (error) {
    report.messageKept = reader.keepsSecret
    if (report.messageKept) report.message = 'kept'
    // A cancelled run reports the cancellation, not the AbortError of whatever it was waiting on.
    const cause: unknown = plan.signal?.aborted ? plan.signal.reason : error
    if (run.outstanding) report.outstanding = outstandingOf(run)
    throw new RotationFailed(failureMessage(phase, cause, report), report)
  } finally {
    // On any failure every message goes back to the queue at once, for the next run.
    await reader.close()
    if (run.recorded) report.currentSecretExpiresAt ??= run.recorded.toISOString()
    if (run.outstanding) report.outstanding = outstandingOf(run)
  }
}

function outstandingOf(run: Run): NonNullable<Report['outstanding']> {
  return { rotatedAt: run.outstanding!.rotatedAt.toISOString(), deadline: isoDay(run.outstanding!.deadline) }
}
