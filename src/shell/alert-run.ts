/**
 * The alert issue of a finished run (alert: issue): brought in step with how the run ended, through its own
 * Octokit client, within ALERT_BOUND_MS; a warning when that cannot be done. Never changes the run's result.
 */
import * as core from '@actions/core'
import type { IssueTracker } from '../core/ports.js'
import type { Log } from '../core/rotation.js'
import { alertState, type RunOutcome } from './alert.js'
import { keepAlert } from './alert-sync.js'
import { alertCheckName } from './check.js'
import type { AlertTarget, readAlertTarget } from './inputs.js'

/** The alert issue (alert: issue), brought in step with how the run ended; a warning when that cannot be done. */
export async function sendAlert(alerting: ReturnType<typeof readAlertTarget>, outcome: RunOutcome, log: Log): Promise<void> {
  if ('off' in alerting) return
  const clientId = 'target' in alerting ? alerting.target.clientId : core.getInput('client-id')
  const state = alertState(outcome, clientId, Date.now())
  if ('unavailable' in alerting) {
    if (state.state !== 'healthy' && state.state !== 'unchanged') log.warning(`No alert issue could be written: ${alerting.unavailable}.`)
    return
  }
  // check mode's own row says why it could not read the issues: no second word about it.
  if (outcome.mode === 'check' && outcome.result.checks.some((c) => !c.ok && c.name === alertCheckName(alerting.target.repository))) return
  await keepAlert({
    state,
    clientId,
    tracker: issueTracker(alerting.target, log),
    context: { runUrl: alerting.target.runUrl, now: Date.now() },
    log,
  })
}

/** The alert issues, through their own Octokit client (the alert's token; no rate-limit waits past the alert's bound). */
export function issueTracker(target: AlertTarget, log: Log): (signal: AbortSignal) => Promise<IssueTracker> {
  return async (signal) => {
    const [{ createOctokit }, { createIssueTracker }] = await Promise.all([
      // In the chunk of the other GitHub adapters.
      import(/* webpackChunkName: "github" */ '../adapters/github/octokit.js'),
      import(/* webpackChunkName: "github" */ '../adapters/github/issues.js'),
    ])
    const octokit = createOctokit({
      token: target.token,
      baseUrl: target.githubApiUrl,
      warn: log.warning,
      info: log.info,
      maxRateLimitWaitSeconds: 0,
    })
    return createIssueTracker(octokit, { repository: target.repository, signal })
  }
}
