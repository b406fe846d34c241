/**
 * Phase 3, receive: Amazon delivers the new secret a few seconds after the rotate call. The run waits for
 * a claim sent after its call (one sent before is an earlier rotation's, whose secret is the old one now),
 * then verifies it (verify.ts).
 */
import { describe, sentSince, type Candidate } from '../candidates.js'
import { isoDay } from '../rotation-record.js'
import { storedSince } from './decide.js'
import type { Run } from './run.js'
import { choose, VERIFY_WINDOW_MS } from './verify.js'

/** The claim that arrived for this run's rotation; undefined when another run took it and stored it everywhere. */
export async function receive(run: Run): Promise<Candidate | undefined> {
  const { plan, deps, reader } = run
  const arrived = await reader.waitForClaim(ours(run))
  if (arrived) {
    deps.log.info(`Received the new secret in ${describe(arrived)} (${reader.claims.size} message(s) for this client held).`)
    return arrived
  }
  // Another run for this application may have taken this rotation's message and finished the job: every target
  // written after this run's rotate call (a write before it cannot hold this rotation's secret).
  if (await storedSince(run, run.rotatedAt ?? run.startedAt)) {
    deps.log.info('Another run took the new secret from the queue and stored it in every target.')
    return undefined
  }
  const day = run.outstanding ? ` The secret the targets hold stops working on ${isoDay(run.outstanding.deadline)}.` : ''
  throw new Error(
    `No new-secret message for ${plan.clientId} arrived within ${Math.round((deps.clock.now() - (run.rotatedAt ?? run.startedAt)) / 1000)} s of the rotation.${day} ` +
      'If Amazon delivers it later, the next run stores it without rotating again; if it never arrives, the next run stops and says so. ' +
      'Check that the queue is subscribed to "Application Client New Secret" in Developer Console → Notification Preferences and that its access policy lets Amazon (account 437568002678) send to it.',
  )
}

/**
 * The claim LWA accepts among those sent after the rotate call, or the run fails keeping them: one may yet
 * become valid. It does not wait for the rest of the queue: everything sent before the call was seen by the
 * look that decided to rotate, and only another rotation after this one could send a newer secret.
 */
export async function verifyArrived(run: Run): Promise<Candidate> {
  const since = run.deps.clock.now()
  const chosen = await choose(run, ours(run))
  if (chosen) return chosen
  const young = run.reader.claims.values.filter((c) => c.state === 'young')
  throw new Error(
    `LWA did not accept the new secret of ${young.map(describe).join(', ') || 'the new-secret message'} within ${Math.round((run.deps.clock.now() - since) / 1000)} s (at most ${VERIFY_WINDOW_MS / 1000} s, within receive-timeout); it is kept in the queue. ` +
      'A new secret can take a while to become active: the next run tries it again before anything else, and one that LWA still refuses an hour after it was sent is cleared. ' +
      'If LWA keeps refusing it, check that client-id names the application that was rotated.',
  )
}

function ours(run: Run): (c: Candidate) => boolean {
  const since = run.rotatedAt
  return (c) => since === undefined || sentSince(c, since)
}
