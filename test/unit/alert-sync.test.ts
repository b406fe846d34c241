import { describe, expect, it } from 'vitest'
import type { AlertIssue, IssueTracker } from '../../src/core/ports.ts'
import { fingerprintOf, issueMarker, type AlertState, type Problem } from '../../src/shell/alert.ts'
import { keepAlert } from '../../src/shell/alert-sync.ts'

const CLIENT = 'amzn1.application-oa2-client.0123456789abcdef'
const context = { runUrl: 'https://github.com/octo/shop/actions/runs/7', now: Date.parse('2026-03-01T00:00:00Z') }

const problem = (overrides: Partial<Problem> = {}): Problem => ({
  state: 'failed',
  clientId: CLIENT,
  phase: 'preflight',
  cause: 'The current client-secret',
  deadline: undefined,
  details: ['Rotation failed during preflight: nothing was rotated or changed.', '- The current client-secret: LWA refused it'],
  safety: 'Nothing was rotated.',
  ...overrides,
})

/** An in-memory tracker recording each call; `open` is the issue findOpen finds. */
function fakeTracker(open?: AlertIssue): IssueTracker & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    findOpen: (marker) => (calls.push(`find ${marker === issueMarker(CLIENT)}`), Promise.resolve(open)),
    open: (title) => (calls.push(`open ${title}`), Promise.resolve({ number: 9, url: 'https://github.com/octo/shop/issues/9', body: '' })),
    update: (n) => (calls.push(`update #${n}`), Promise.resolve()),
    comment: (n, body) => (calls.push(`comment #${n}: ${body.split('\n')[0]}`), Promise.resolve()),
    close: (n) => (calls.push(`close #${n}`), Promise.resolve()),
    probe: () => Promise.resolve({ open: 0, label: 'lwa-secret-rotation', labelExists: true }),
  }
}

async function keep(state: AlertState, tracker: IssueTracker, boundMs?: number) {
  const log = { info: [] as string[], warning: [] as string[] }
  let made = 0
  await keepAlert({
    state,
    clientId: CLIENT,
    tracker: () => (made++, Promise.resolve(tracker)),
    context,
    log: { info: (m) => log.info.push(m), warning: (m) => log.warning.push(m) },
    ...(boundMs === undefined ? {} : { boundMs }),
  })
  return { ...log, made }
}

const issue = (body: string): AlertIssue => ({ number: 3, url: 'https://github.com/octo/shop/issues/3', body })

describe('keepAlert', () => {
  it('opens an issue for a problem when none is open', async () => {
    const tracker = fakeTracker()
    const { info, warning } = await keep(problem(), tracker)
    expect(tracker.calls).toEqual(['find true', `open LWA client secret rotation failed: preflight (${CLIENT})`])
    expect(info).toEqual(['Opened the alert issue #9 (https://github.com/octo/shop/issues/9).'])
    expect(warning).toEqual([])
  })

  it('edits the open issue without a comment when the state is the same, and comments first when it changed', async () => {
    const same = fakeTracker(issue(`text\n<!-- lwa-secret-rotation-state: ${fingerprintOf(problem())} -->`))
    await keep(problem(), same)
    expect(same.calls).toEqual(['find true', 'update #3'])

    const changed = fakeTracker(issue(`text\n<!-- lwa-secret-rotation-state: ${fingerprintOf(problem())} -->`))
    await keep(problem({ phase: 'store', cause: 'targets repository:octo/shop' }), changed)
    expect(changed.calls).toEqual([
      'find true',
      `comment #3: The state changed in [this run](${context.runUrl}): **LWA client secret rotation failed: store (${CLIENT})**.`,
      'update #3',
    ])

    // A body without the state marker (edited by hand) counts as a change.
    const edited = fakeTracker(issue('edited by someone'))
    await keep(problem(), edited)
    expect(edited.calls.map((c) => c.split(' ')[0])).toEqual(['find', 'comment', 'update'])
  })

  it('comments and closes the open issue when healthy; with none open, one look and nothing else', async () => {
    const open = fakeTracker(issue('x'))
    const { info } = await keep({ state: 'healthy', why: 'the secret was rotated' }, open)
    expect(open.calls).toEqual(['find true', `comment #3: Resolved by [this run](${context.runUrl}): the secret was rotated.`, 'close #3'])
    expect(info).toEqual(['Closed the alert issue #3 (https://github.com/octo/shop/issues/3): resolved by this run.'])

    const none = fakeTracker()
    expect((await keep({ state: 'healthy', why: 'x' }, none)).info).toEqual([])
    expect(none.calls).toEqual(['find true'])
  })

  it('does nothing at all for an unchanged state', async () => {
    const tracker = fakeTracker(issue('x'))
    expect(await keep({ state: 'unchanged' }, tracker)).toEqual({ info: [], warning: [], made: 0 })
    expect(tracker.calls).toEqual([])
  })

  it('turns any failure into one warning, and stops there', async () => {
    const tracker = fakeTracker()
    tracker.findOpen = () =>
      Promise.reject(
        new Error(
          'could not list the alert issues: HTTP 403 Resource not accessible by integration. The alert-token needs "issues: write"',
        ),
      )
    const { warning } = await keep(problem(), tracker)
    expect(warning).toEqual([
      'The alert issue was not brought up to date: could not list the alert issues: HTTP 403 Resource not accessible by integration. The alert-token needs "issues: write"',
    ])
    expect(tracker.calls).toEqual([])
  })

  it('gives up at its bound with one warning, and aborts the requests on their way', async () => {
    let signal: AbortSignal | undefined
    const hanging = fakeTracker()
    hanging.findOpen = () => new Promise<never>(() => {})
    const log = { warning: [] as string[] }
    await keepAlert({
      state: problem(),
      clientId: CLIENT,
      tracker: (s) => ((signal = s), Promise.resolve(hanging)),
      context,
      log: { info: () => {}, warning: (m) => log.warning.push(m) },
      boundMs: 20,
    })
    expect(log.warning).toEqual([
      "The alert issue was not brought up to date: GitHub did not answer within 0.02 s. The run's result stands; the next run tries again.",
    ])
    expect(signal?.aborted).toBe(true)
  })
})
