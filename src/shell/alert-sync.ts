/**
 * Keeps the application's alert issue once a run's result is decided: opens it on the first problem, edits it to
 * the current state on every later run that finds one (and comments only when the state changed, so that a daily
 * failure is not a daily notification), and comments and closes it once a run is healthy. Never in the way: one
 * warning when it cannot, a total time bound, and nothing it does changes the run's result or outputs.
 */
import type { IssueTracker } from '../core/ports.js'
import { fingerprintIn, fingerprintOf, issueMarker, type AlertState } from './alert.js'
import { changeComment, issueBody, issueTitle, resolvedComment, type RenderContext } from './alert-text.js'

/** The longest a run spends on its alert issue, every request and retry included. */
export const ALERT_BOUND_MS = 20_000

export interface AlertLog {
  info(message: string): void
  warning(message: string): void
}

/**
 * Brings the issue in step with `state`. `tracker` gets a signal that aborts at the bound; every failure,
 * and running out of time, is one warning.
 */
export async function keepAlert(options: {
  state: AlertState
  clientId: string
  tracker: (signal: AbortSignal) => Promise<IssueTracker>
  context: RenderContext
  log: AlertLog
  boundMs?: number
}): Promise<void> {
  const { state, log } = options
  if (state.state === 'unchanged') return
  const boundMs = options.boundMs ?? ALERT_BOUND_MS
  const abort = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const outOfTime = new Promise<'out of time'>((resolve) => {
    timer = setTimeout(() => {
      abort.abort(new Error('the alert ran out of time'))
      resolve('out of time')
    }, boundMs)
  })
  try {
    const sync = (async () => bringInStep(await options.tracker(abort.signal), { ...options, state }))()
    if ((await Promise.race([sync, outOfTime])) === 'out of time') {
      log.warning(
        `The alert issue was not brought up to date: GitHub did not answer within ${boundMs / 1000} s. The run's result stands; the next run tries again.`,
      )
    }
  } catch (error) {
    log.warning(`The alert issue was not brought up to date: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    clearTimeout(timer)
  }
}

async function bringInStep(
  tracker: IssueTracker,
  {
    state,
    clientId,
    context,
    log,
  }: { state: Exclude<AlertState, { state: 'unchanged' }>; clientId: string; context: RenderContext; log: AlertLog },
): Promise<'done'> {
  const open = await tracker.findOpen(issueMarker(clientId))
  if (state.state === 'healthy') {
    if (!open) return 'done'
    await tracker.comment(open.number, resolvedComment(state.why, context))
    await tracker.close(open.number)
    log.info(`Closed the alert issue #${open.number} (${open.url}): resolved by this run.`)
    return 'done'
  }
  const title = issueTitle(state)
  const body = issueBody(state, context)
  if (!open) {
    const opened = await tracker.open(title, body)
    log.info(`Opened the alert issue #${opened.number} (${opened.url}).`)
    return 'done'
  }
  // The comment first: should the edit then fail, the next run comments again rather than never.
  const changed = fingerprintIn(open.body) !== fingerprintOf(state)
  if (changed) await tracker.comment(open.number, changeComment(state, context))
  await tracker.update(open.number, title, body)
  log.info(`${changed ? 'Commented on and updated' : 'Updated'} the alert issue #${open.number} (${open.url}).`)
  return 'done'
}
