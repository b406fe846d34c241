/**
 * Phase 4, verify: which claim holds the new secret. The claims not judged yet are tried newest first, and
 * the first LWA accepts is the new secret (invariant 4). LWA's rejection is final for a claim no rotation of
 * this application explains: it is treated as forged, tried once and cleared at commit, so that a message
 * anyone could send blocks nothing. A claim sent after a rotation of ours (this run's, or an earlier one the
 * record remembers) gets the activation window and, while LWA still refuses it, is kept: it may be the only
 * copy of the new secret. With verify off, the newest readable claim by SQS's own time is taken as it is,
 * and only when every claim carries the same value.
 */
import { describe, isStale, newestSentFirst, sentSince, type Candidate } from '../candidates.js'
import { LwaError } from '../ports.js'
import type { Run } from './run.js'

/** A new secret can take a little while to become active at LWA. */
export const VERIFY_WINDOW_MS = 30_000
const VERIFY_INTERVAL_MS = 3_000

/** Whether a rotation of ours explains the claim: it was sent after one (this run's, or the recorded one). */
export function explained(run: Run, c: Candidate): boolean {
  const since = run.rotatedAt ?? run.outstanding?.rotatedAt.getTime()
  return since !== undefined && sentSince(c, since) && !isStale(c, run.deps.clock.now())
}

/** The newest claim `wanted` accepts whose secret LWA accepts (or, with verify off, the one to take). */
export async function choose(run: Run, wanted: (c: Candidate) => boolean = () => true): Promise<Candidate | undefined> {
  const { plan, deps } = run
  const claims = run.reader.untried().filter(wanted)
  // With verify off nothing proves a claim that failed strict parsing either, so it is never taken unchecked.
  for (const c of claims.filter((c) => c.secret === undefined || (!plan.verify && c.unreadable))) {
    // Nothing proves an unreadable claim; it is never taken, and blocks rotating only while a rotation of ours explains it.
    c.state = explained(run, c) ? 'young' : 'stale'
    deps.log.warning(
      `${describe(c)} names this client but ${c.unreadable}; ${c.state === 'young' ? 'it is kept in the queue' : 'it is cleared when this run commits'}.`,
    )
  }
  const readable = claims.filter((c) => c.state === 'untried')
  if (!plan.verify) return takeUnverified(run, readable)
  // Copies of one notification (SQS delivers at least once) share a verdict: LWA is asked once per secret.
  const verdicts = new Map<string, boolean>()
  for (const c of readable) {
    const ok = verdicts.get(c.secret!) ?? (await accepted(run, c))
    verdicts.set(c.secret!, ok)
    if (ok) {
      c.state = 'chosen'
      deps.log.info(
        `LWA accepted the new secret of ${describe(c)}${plan.refreshToken ? ' for the rotation token and the refresh_token grant' : ''}.`,
      )
      if (c.unreadable)
        deps.log.warning(`${describe(c)} is ${c.unreadable}; its secret works, so it is used, but its expiry times are unknown.`)
      return c
    }
    c.state = explained(run, c) ? 'young' : 'stale'
    deps.log.warning(
      c.state === 'young'
        ? `LWA does not accept the secret of ${describe(c)} yet; it is kept in the queue for a later run.`
        : `LWA rejects the secret of ${describe(c)}, and no rotation of this application's explains it (superseded, expired, or not from Amazon). It is not used and is cleared when this run commits.`,
    )
  }
  return undefined
}

/** With verify off nothing is proven, so nothing is guessed: one value, the newest copy by SQS's time. */
function takeUnverified(run: Run, readable: Candidate[]): Candidate | undefined {
  const values = new Set(readable.map((c) => c.secret))
  if (values.size > 1) {
    throw new Error(
      `nothing was stored: verify is false and the queue holds ${values.size} different new secrets for this client (${readable.map(describe).join(', ')}). ` +
        "Without LWA's word the action cannot tell Amazon's from a planted one. Set verify to true (the default).",
    )
  }
  const chosen = readable.sort(newestSentFirst)[0]
  if (!chosen) return undefined
  run.deps.log.info(`verify is false: taking ${describe(chosen)} without checking it against LWA.`)
  chosen.state = 'chosen'
  return chosen
}

/** Whether LWA accepts a claim's secret; one a rotation of ours explains gets the activation window, any other a single try. */
async function accepted(run: Run, c: Candidate): Promise<boolean> {
  const { plan, deps, reader } = run
  const { lwa, clock, log } = deps
  const until = explained(run, c)
    ? Math.min(clock.now() + VERIFY_WINDOW_MS, Math.max(reader.deadline, clock.now() + VERIFY_INTERVAL_MS))
    : 0
  for (;;) {
    try {
      await lwa.rotationToken(c.secret!)
      if (plan.refreshToken) await lwa.refreshGrant(c.secret!, plan.refreshToken)
      return true
    } catch (error) {
      if (!(error instanceof LwaError && error.secretRejected)) throw error
      if (clock.now() + VERIFY_INTERVAL_MS > until) return false
      log.info('LWA does not accept the new secret yet; it can take a few seconds to become active. Trying again.')
      await clock.sleep(VERIFY_INTERVAL_MS, plan.signal)
    }
  }
}
