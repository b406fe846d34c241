/**
 * Phase 2, resume or rotate. Every rotate call starts the 7-day clock of the secret the targets hold, so a
 * run rotates only once it has seen the whole queue and found nothing that could be the new secret of an
 * unfinished rotation, nothing held by another consumer, and no earlier rotation of ours still outstanding;
 * and only once everything the rotation will need is proven (prove.ts). After any wait it looks again:
 * the wait is exactly when an earlier rotation's secret may arrive.
 */
import { CLOCK_TOLERANCE_MS, describe, sentSince, type Candidate } from '../candidates.js'
import { parseRecordedExpiry } from '../expiry.js'
import { isoDay } from '../rotation-record.js'
import type { Report } from '../model.js'
import { notDue } from './schedule.js'
import { callRotate, forget } from './rotate-call.js'
import type { Run } from './run.js'
import { choose } from './verify.js'

const IN_FLIGHT_POLL_MS = 5_000

export type Start =
  { decision: 'rotated' | 'resumed'; chosen?: Candidate } | { decision: 'skipped'; reason: NonNullable<Report['skipReason']> }

export async function decide(run: Run): Promise<Start> {
  const { deps, reader, plan } = run
  const { clock, log } = deps
  // Set once another run may be at work on this application: messages in flight, or Amazon refused a call.
  let contended = false
  for (let attempt = 1; ;) {
    const quiet = attempt === 1 && (await reader.quiet())
    if (!quiet) await reader.look()
    markStored(run)
    const chosen = reader.untried().length ? await resume(run) : undefined
    if (chosen) return { decision: 'resumed', chosen }
    refuseToPassYoung(run)
    if (reader.claims.values.some((c) => c.state === 'stored')) return { decision: 'skipped', reason: 'already stored' }
    if (!run.outstanding && attempt === 1 && !contended && notDue(run)) return { decision: 'skipped', reason: 'not due' }

    // What this run holds itself (claims, expiry notices) is not another consumer's; a quiet queue was counted empty.
    const elsewhere = quiet ? 0 : await reader.heldElsewhere()
    if (elsewhere > 0) {
      contended = true
      if (clock.now() >= reader.deadline) {
        throw new Error(
          `${elsewhere} message(s) in the queue stayed held by another consumer, possibly another run for this application, so rotating could rotate twice. ` +
            'Nothing was rotated. Re-run when the other run has finished, and keep runs apart with a workflow concurrency group.',
        )
      }
      log.info(`${elsewhere} message(s) in the queue are held by another consumer; waiting for them before deciding to rotate.`)
      await clock.sleep(Math.min(IN_FLIGHT_POLL_MS, reader.deadline - clock.now()), plan.signal)
      continue
    }
    const earlier = run.outstanding && !run.outstandingJudged && !run.recordWritten
    if (earlier && (await awaitOutstanding(run))) continue
    const cleared = earlier && (await settleOutstanding(run)) === 'cleared'
    if (cleared && attempt === 1 && !contended && notDue(run)) return { decision: 'skipped', reason: 'not due' }
    if (contended && (await storedSince(run, run.startedAt))) {
      log.info('Another run stored a new secret in every target while this one waited: nothing to rotate.')
      await forget(run)
      return { decision: 'skipped', reason: 'stored by another run' }
    }
    if (run.currentRejected) throw currentSecretRejected(run)
    const outcome = await callRotate(run, attempt)
    if (outcome.rotated) return { decision: 'rotated' }
    contended ||= outcome.contended
    attempt++
  }
}

async function resume(run: Run): Promise<Candidate | undefined> {
  run.deps.log.info('Found a new secret from an unfinished rotation in the queue; checking it before deciding to rotate.')
  const chosen = await choose(run)
  if (chosen) run.deps.log.info(`Resuming the rotation of ${describe(chosen)}, not rotating again.`)
  return chosen
}

/**
 * A claim whose new secret's expiry is the one recorded was stored everywhere by an earlier run whose delete
 * failed: it is not stored, nor are deploys started, again; its message only goes.
 */
function markStored(run: Run): void {
  const recorded = run.recorded?.getTime()
  if (recorded === undefined || run.outstanding) return
  for (const c of run.reader.untried()) {
    if (parseRecordedExpiry(c.newSecretExpiresAt)?.getTime() !== recorded) continue
    c.state = 'stored'
    run.deps.log.info(
      `The new secret of ${describe(c)} is in every target already (the expiry variable names its expiry): only its message is left to delete.`,
    )
  }
}

/** Never rotate past a claim that may hold the only copy of a new secret of ours and may still become valid. */
function refuseToPassYoung(run: Run): void {
  const young = run.reader.claims.values.filter((c) => c.state === 'young')
  if (!young.length) return
  throw new Error(
    `nothing was rotated: the queue holds ${young.length} new-secret message(s) for this client, sent after the rotation of ${run.outstanding ? run.outstanding.rotatedAt.toISOString() : 'this run'}, that LWA does not accept yet (${young
      .map((c) => `${describe(c)}${c.unreadable ? `: ${c.unreadable}` : ''}`)
      .join('; ')}). ` +
      'Rotating now could make the secret it may hold unusable. The next run tries it again first; one LWA still refuses an hour after it was sent is cleared.',
  )
}

/**
 * An earlier run's rotation so recent that its secret may still be on its way (the run was stopped right
 * after its call): wait for it as that run would have, within receive-timeout of the call. True when a
 * claim sent after that call arrived; the decision then judges it like any other.
 */
async function awaitOutstanding(run: Run): Promise<boolean> {
  const { deps, plan, reader } = run
  const rotatedAt = run.outstanding!.rotatedAt.getTime()
  const until = rotatedAt + plan.receiveTimeoutMs
  if (plan.force || run.outstandingAwaited || deps.clock.now() >= until) return false
  run.outstandingAwaited = true
  deps.log.info(
    `An earlier run asked Amazon to rotate at ${run.outstanding!.rotatedAt.toISOString()}; its new secret may still be on its way: waiting for it until ${new Date(until).toISOString()}.`,
  )
  return (await reader.waitForClaim((c) => sentSince(c, rotatedAt), until)) !== undefined
}

/**
 * An earlier rotation of ours whose secret is not in the queue: stored after all (a run that stopped before
 * clearing the record), or never delivered. Only `force` rotates past an undelivered one.
 */
async function settleOutstanding(run: Run): Promise<'cleared' | 'forced'> {
  const { deps, plan } = run
  const outstanding = run.outstanding!
  run.outstandingJudged = true
  if (await storedSince(run, outstanding.rotatedAt.getTime())) {
    deps.log.info(
      `Every target was written after the rotation of ${outstanding.rotatedAt.toISOString()}: its secret is stored; clearing the record.`,
    )
    await deps.rotationRecord?.clear()
    run.outstanding = undefined
    return 'cleared'
  }
  const day = isoDay(outstanding.deadline)
  if (plan.force) {
    deps.log.warning(
      `force is true: rotating although the new secret of the rotation of ${outstanding.rotatedAt.toISOString()} never reached the queue. ` +
        `The targets' secret still stops working on ${day}.`,
    )
    return 'forced'
  }
  throw new Error(
    `nothing was rotated: Amazon was asked to rotate at ${outstanding.rotatedAt.toISOString()} (recorded in ${deps.rotationRecord?.name ?? 'the rotation record'}), ` +
      `and its new secret is not in the queue. The secret the targets hold stops working on ${day}. ` +
      'Likely causes: the "Application Client New Secret" subscription names another queue (Developer Console → Notification Preferences), ' +
      "or the queue policy or the queue's KMS key policy keeps Amazon (account 437568002678) out; `mode: check` tests the queue side. " +
      `Fix the delivery, then re-run with force: true to rotate again before ${day}; or, if a person stored a new secret by hand, delete the variable ${deps.rotationRecord?.name ?? ''}.`,
  )
}

/** True when every target's secret was written at or after `since` (epoch ms), less the clocks' disagreement. */
export async function storedSince(run: Run, since: number): Promise<boolean> {
  const times = await Promise.all(run.plan.targets.map((t) => run.deps.store.updatedAt(t)))
  return times.every((t) => t !== undefined && t >= since - CLOCK_TOLERANCE_MS)
}

function currentSecretRejected(run: Run): Error {
  return new Error(
    `nothing was rotated: LWA rejects the client-id or client-secret (${run.currentRejected!.message}), and no new secret for this client waits in the queue. ` +
      'If it expired, generate a new secret for the application in Solution Provider Portal / Developer Console (Apps and Services → Develop Apps → ' +
      'LWA credentials → Rotate secret), store it in the secret this workflow reads, and re-run. If client-id or client-secret is wrong, correct it.',
  )
}
