/**
 * The rotate call: proven first (prove.ts), remembered first (the outstanding-rotation record), then made.
 * Amazon's refusals are retried at the usage plan's pace by the decision, which looks at the queue again
 * before each new call. A call that may have reached Amazon (no answer) counts as a rotation.
 */
import { errorText } from '../model.js'
import { SpApiError } from '../ports.js'
import { outstandingFrom } from '../rotation-record.js'
import { prove } from './prove.js'
import type { Run } from './run.js'

/** Calls of rotateApplicationClientSecret a run makes at most (Amazon refusing with 429, 500 or 503). */
export const MAX_ROTATE_ATTEMPTS = 4
/** Time a rotation always gets to receive its secret (or a quarter of receive-timeout, when that is shorter). */
const MIN_RECEIVE_MS = 15_000

export async function callRotate(run: Run, attempt: number): Promise<{ rotated: true } | { rotated: false; contended: boolean }> {
  const { deps, plan, reader } = run
  const { clock, log } = deps
  if (attempt === 1) await prove(run, run.queue!)
  // Before every call: Amazon refused the one before, and a run stopped while it waited left nothing outstanding.
  await remember(run)
  try {
    // Claims sent before this call are not its secret: an earlier rotation's secret is the old one now.
    run.rotatedAt = clock.now()
    await deps.spApi.rotateClientSecret(run.token!)
    log.info('Amazon accepted the rotation (HTTP 204). The new secret is on its way to the queue.')
    leaveTimeToReceive(run)
    return { rotated: true }
  } catch (error) {
    if (error instanceof SpApiError && error.outcome === 'unknown') {
      log.warning(`${error.message}. Waiting for the new-secret message in case it did.`)
      leaveTimeToReceive(run)
      return { rotated: true }
    }
    if (!(error instanceof SpApiError) || error.outcome === 'final' || attempt >= MAX_ROTATE_ATTEMPTS) {
      await forget(run)
      throw error
    }
    log.info(
      `${error.message} Trying again in ${Math.round(error.retryAfterMs / 1000)} s (attempt ${attempt + 1} of ${MAX_ROTATE_ATTEMPTS}).`,
    )
    try {
      await clock.sleep(error.retryAfterMs, plan.signal)
    } catch (cancelled) {
      await forget(run)
      throw cancelled
    }
    reader.deadline += error.retryAfterMs
    return { rotated: false, contended: error.status === 429 }
  }
}

/**
 * Before the call, so that a run that dies on its way is still remembered. An earlier rotation forced past
 * stays the record: the secret the targets hold stops working 7 days after the first rotation not stored.
 */
async function remember(run: Run): Promise<void> {
  const { deps } = run
  if (run.outstanding) return
  const at = new Date(deps.clock.now())
  if (deps.rotationRecord) {
    try {
      await deps.rotationRecord.write(at.toISOString())
    } catch (error) {
      throw new Error(
        `nothing was rotated: the rotation could not be recorded in the variable ${deps.rotationRecord.name} first, ` +
          `and without that record a later run could not tell that a rotation is outstanding: ${errorText(error)}`,
        { cause: error },
      )
    }
  }
  run.outstanding = outstandingFrom(at)
  run.recordWritten = true
}

/** Amazon did not act on the call: what this run recorded goes (an earlier rotation forced past stays). */
export async function forget(run: Run): Promise<void> {
  run.rotatedAt = undefined
  if (!run.recordWritten) return
  run.recordWritten = false
  run.outstanding = undefined
  try {
    await run.deps.rotationRecord?.clear()
  } catch (error) {
    run.deps.log.warning(
      `Amazon did not rotate, but the record ${run.deps.rotationRecord!.name} could not be cleared (${errorText(error)}); delete that variable, or the next run stops and asks for force: true.`,
    )
  }
}

/** However long the wait before it took, a rotation gets time to receive its secret: a bounded margin past receive-timeout. */
function leaveTimeToReceive(run: Run): void {
  const { plan, deps, reader } = run
  reader.deadline = Math.max(reader.deadline, deps.clock.now() + Math.min(plan.receiveTimeoutMs / 4, MIN_RECEIVE_MS))
}
