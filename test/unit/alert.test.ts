import { describe, expect, it } from 'vitest'
import { alertState, fingerprintIn, fingerprintOf, issueMarker, type AlertState, type Problem } from '../../src/shell/alert.ts'
import { changeComment, escapeMarkdown, issueBody, issueTitle, resolvedComment } from '../../src/shell/alert-text.ts'
import type { CheckReport } from '../../src/shell/check.ts'
import { RotationFailed, type Report } from '../../src/core/rotation.ts'
import { InputError } from '../../src/lib/input-error.ts'

const CLIENT = 'amzn1.application-oa2-client.0123456789abcdef'
const NOW = Date.parse('2026-03-01T05:23:00Z')
const DAY = 86_400_000
const at = (days: number) => new Date(NOW + days * DAY).toISOString()
const RUN = 'https://github.com/octo/shop/actions/runs/42'

function report(overrides: Partial<Report> = {}): Report {
  return {
    clientId: CLIENT,
    result: 'rotated',
    secretExpiresAt: at(180),
    previousSecretExpiresAt: at(7),
    targets: [{ target: 'repository:octo/shop', status: 'updated' }],
    messageKept: false,
    message: 'deleted',
    dispatches: [],
    expiryRecord: { name: 'LWA_CLIENT_SECRET_EXPIRES_AT', status: 'recorded' },
    ...overrides,
  }
}
const rotated = (overrides: Partial<Report> = {}): AlertState => alertState({ mode: 'rotate', report: report(overrides) }, CLIENT, NOW)
/** A failed run: before a rotation unless `overrides` say otherwise. */
const failedWith = (message: string, overrides: Partial<Report> = {}): Problem =>
  alertState(
    {
      mode: 'failed',
      error: new RotationFailed(
        message,
        report({ result: undefined, secretExpiresAt: undefined, previousSecretExpiresAt: undefined, ...overrides }),
      ),
    },
    CLIENT,
    NOW,
  ) as Problem
const checked = (checks: CheckReport['checks'], secretExpiresAt?: string): AlertState =>
  alertState({ mode: 'check', result: { clientId: CLIENT, checks, secretExpiresAt } }, CLIENT, NOW)

const PREFLIGHT = (subjects: string[]) =>
  `Rotation failed during preflight: nothing was rotated or changed.\n${subjects.map((s) => `- ${s}: could not read (request 8f7c-${Math.random()})`).join('\n')}`

describe('alertState: what a run leaves to tell', () => {
  it('is healthy after a rotation, a resume, a skip with time to spare, or a passing check', () => {
    expect(rotated()).toEqual({ state: 'healthy', why: `the secret was rotated; the new one expires ${at(180).slice(0, 10)}` })
    expect(rotated({ result: 'resumed' })).toMatchObject({ state: 'healthy' })
    expect(
      rotated({ result: 'skipped', skipReason: 'not due', currentSecretExpiresAt: at(60), previousSecretExpiresAt: undefined }),
    ).toEqual({
      state: 'healthy',
      why: `the secret is not due (it expires ${at(60).slice(0, 10)})`,
    })
    // A 14-day warning is a warning in the log, not an issue.
    expect(
      rotated({ result: 'skipped', skipReason: 'not due', currentSecretExpiresAt: at(10), previousSecretExpiresAt: undefined }),
    ).toMatchObject({
      state: 'healthy',
    })
    expect(checked([{ name: 'The queue answers', ok: true, detail: 'GetQueueAttributes succeeded' }], at(90))).toEqual({
      state: 'healthy',
      why: 'every check passed',
    })
  })

  it('says nothing for a run that waited while another run stored the secret', () => {
    expect(rotated({ result: 'skipped', skipReason: 'stored by another run' })).toEqual({ state: 'unchanged' })
  })

  it('is expiring when a run that did not replace the secret leaves it less than 2 days', () => {
    const skipped = rotated({
      result: 'skipped',
      skipReason: 'not due',
      currentSecretExpiresAt: at(1.5),
      previousSecretExpiresAt: undefined,
    })
    expect(skipped).toMatchObject({ state: 'expiring', deadline: at(1.5), phase: 'expiry' })
    expect(issueTitle(skipped as Problem)).toBe(`LWA client secret for ${CLIENT} expires on ${at(1.5).slice(0, 10)}`)
    expect(checked([], at(1))).toMatchObject({ state: 'expiring', deadline: at(1) })
    expect(checked([], at(-1))).toMatchObject({ details: [expect.stringContaining('already expired')] })
  })

  it('is unfinished when a run succeeded but left targets, messages, deploys or the expiry record behind', () => {
    const state = rotated({
      targets: [
        { target: 'repository:octo/shop', status: 'updated' },
        { target: 'environment:octo/shop:production', status: 'failed', detail: 'HTTP 403' },
      ],
      dispatches: [{ event: 'workflow:octo/shop:deploy.yml', status: 'failed', detail: 'could not start the workflow: HTTP 404' }],
      expiryRecord: { name: 'LWA_CLIENT_SECRET_EXPIRES_AT', status: 'failed' },
      message: 'delete failed',
    }) as Problem
    expect(state).toMatchObject({ state: 'unfinished', phase: 'report', deadline: at(7) })
    expect(state.details).toEqual([
      'environment:octo/shop:production was not written: HTTP 403.',
      expect.stringMatching(/^The new-secret message could not be deleted from the queue: .*sqs:DeleteMessage/),
      'workflow:octo/shop:deploy.yml did not start: could not start the workflow: HTTP 404. Start that deploy by hand.',
      expect.stringContaining('The expiry could not be recorded in the variable LWA_CLIENT_SECRET_EXPIRES_AT'),
    ])
    expect(issueTitle(state)).toBe(`LWA client secret rotation left work to do (${CLIENT})`)
    // Only the deploy failing: no deadline, since every target holds the new secret.
    expect(rotated({ dispatches: [{ event: 'repository_dispatch:octo/shop:deploy', status: 'failed' }] })).toMatchObject({
      state: 'unfinished',
      deadline: undefined,
    })
  })

  it('is failed, with the phase and the deadline, when the rotation failed', () => {
    const state = failedWith(PREFLIGHT(['The current client-secret']), { currentSecretExpiresAt: at(20) })
    expect(state).toMatchObject({ state: 'failed', phase: 'preflight', deadline: at(20) })
    expect(state.safety).toMatch(/^Nothing was rotated/)
    expect(issueTitle(state)).toBe(`LWA client secret rotation failed: preflight (${CLIENT})`)

    const kept = failedWith('Rotation failed during store: 1 of 2 target(s) could not be written', {
      result: 'rotated',
      previousSecretExpiresAt: at(7),
      messageKept: true,
      targets: [
        { target: 'repository:octo/shop', status: 'updated' },
        { target: 'environment:octo/shop:production', status: 'failed', detail: 'HTTP 403' },
      ],
    })
    expect(kept).toMatchObject({ phase: 'store', deadline: at(7) })
    expect(kept.safety).toContain('The new secret is kept in the queue')
    expect(kept.safety).toContain('Already written: repository:octo/shop.')
    expect(kept.safety).toContain(`still hold the previous secret, which stops working ${at(7)}`)
  })

  it('is failed at the inputs for an input error, and at the start for anything else', () => {
    const input = alertState(
      { mode: 'failed', error: new InputError('receive-timeout', 'must be between 1 and 3600 seconds (got 0).') },
      CLIENT,
      NOW,
    )
    expect(input).toMatchObject({ state: 'failed', phase: 'inputs', cause: 'input receive-timeout', deadline: undefined })
    expect(alertState({ mode: 'failed', error: new Error('boom') }, CLIENT, NOW)).toMatchObject({ state: 'failed', phase: 'start' })
  })

  it('is failed at check when a check failed, each failed check a line', () => {
    const state = checked([
      { name: 'The queue answers', ok: true, detail: 'ok' },
      { name: 'Target repository:octo/shop is reachable', ok: false, detail: 'HTTP 403' },
    ]) as Problem
    expect(state).toMatchObject({ state: 'failed', phase: 'check', details: ['Target repository:octo/shop is reachable: HTTP 403'] })
    expect(state.safety).toContain('changes nothing')
  })
})

describe('fingerprints: the same state seen again, or a change', () => {
  it('is the same for the same failure whatever its run-specific ids and remote words', () => {
    const a = failedWith(PREFLIGHT(['The current client-secret']))
    const b = failedWith(PREFLIGHT(['The current client-secret']))
    expect(a.details).not.toEqual(b.details)
    expect(fingerprintOf(a)).toBe(fingerprintOf(b))
    const amazon = (id: string, words: string) =>
      failedWith(
        `Rotation failed during resume or rotate: rotateApplicationClientSecret failed: HTTP 403 Unauthorized: ${words} (x-amzn-RequestId ${id}). The token was refused.`,
      )
    expect(fingerprintOf(amazon('a1', 'Access denied'))).toBe(fingerprintOf(amazon('b2', 'Access to the resource is denied')))
    expect(fingerprintOf(amazon('a1', 'x'))).toMatch(/^failed\/resume-or-rotate\/[0-9a-f]{12}\/no-deadline$/)
  })

  it('changes with the phase, the cause and the deadline day', () => {
    const base = failedWith(PREFLIGHT(['The current client-secret']))
    const others = [
      failedWith(PREFLIGHT(['The current client-secret', 'repository:octo/shop'])),
      failedWith(PREFLIGHT(['The queue (sqs-queue-url)'])),
      failedWith(PREFLIGHT(['The current client-secret']), { currentSecretExpiresAt: at(3) }),
      failedWith('Rotation failed during receive: No new-secret message arrived within 300 s of the rotation.', { result: 'rotated' }),
      failedWith('Rotation failed during resume or rotate: rotateApplicationClientSecret failed: HTTP 400 InvalidInput: x'),
      failedWith('Rotation failed during resume or rotate: rotateApplicationClientSecret failed: HTTP 403 Unauthorized: x'),
    ]
    const prints = new Set([base, ...others].map(fingerprintOf))
    expect(prints.size).toBe(others.length + 1)
    // The same deadline day at another hour is no change.
    expect(
      fingerprintOf(failedWith(PREFLIGHT(['The current client-secret']), { currentSecretExpiresAt: '2026-03-04T01:00:00.000Z' })),
    ).toBe(fingerprintOf(failedWith(PREFLIGHT(['The current client-secret']), { currentSecretExpiresAt: '2026-03-04T23:00:00.000Z' })))
  })

  it('is read back from the body it is written into', () => {
    const state = failedWith(PREFLIGHT(['The current client-secret']))
    const body = issueBody(state, { runUrl: RUN, now: NOW })
    expect(fingerprintIn(body)).toBe(fingerprintOf(state))
    expect(fingerprintIn('a body someone wrote by hand')).toBeUndefined()
  })
})

describe('rendering', () => {
  const hostile = [
    'Rotation failed during store: 1 of 1 target(s) could not be written',
    `repository:octo/shop: HTTP 422 ${issueMarker('amzn1.application-oa2-client.forged')} <img src=x onerror=alert(1)> @octocat #1 [click](https://evil.example) ![x](http://evil.example/x.png) | a | b | **bold** $x^2$ www.evil.example`,
    '::error::pwned',
  ].join('\n')
  const state = failedWith(hostile, { result: 'rotated', messageKept: true, previousSecretExpiresAt: at(7) })
  const body = issueBody(state, { runUrl: RUN, now: NOW })

  it('gives the application, the deadline, what was kept safe, what to do, the run link and the two markers', () => {
    expect(body).toContain(`- **Application:** \`${CLIENT}\``)
    expect(body).toContain(`- **Deadline:** ${at(7).slice(0, 10)}: the secret the targets hold stops working ${at(7)} (7 days left).`)
    expect(body).toContain(`- **Run:** [this run](${RUN}), 2026-03-01 05:23 UTC`)
    expect(body).toContain('#### What the action did to keep things safe')
    expect(body).toContain('The new secret is kept in the queue')
    expect(body).toContain('#### What to do')
    expect(body.trimEnd().split('\n').slice(-2)).toEqual([
      issueMarker(CLIENT),
      `<!-- lwa-secret-rotation-state: ${fingerprintOf(state)} -->`,
    ])
    expect(issueBody(state, { runUrl: undefined, now: NOW })).toContain('a run outside a workflow (no link)')
    expect(issueBody({ ...state, deadline: at(1) }, { runUrl: RUN, now: NOW })).toContain('**less than 2 days left**')
  })

  it('shows remote text inert: no tag, hidden comment, mention, link, image, table, emphasis, math or workflow command', () => {
    // Exactly the two markers of the action's own.
    expect(body.match(/<!--/g)).toHaveLength(2)
    const happened = body.slice(body.indexOf('#### What happened'), body.indexOf('#### What the action did'))
    for (const live of [/<img/, /@octocat/, /\]\(/, /https?:\/\/evil/, /(?<!\\)\|/, /(?<!\\)\*\*bold/, /(?<!\\)\$x/, /^>? ?::/m]) {
      expect(happened).not.toMatch(live)
    }
    expect(body).toContain('&lt;img src\\=x onerror\\=alert\\(1\\)&gt;')
    expect(body).toContain('@&#8203;octocat \\#1 \\[click\\]\\(https:&#8203;//evil.example\\)')
    expect(body).toContain('www&#8203;.evil.example')
    expect(body).toContain('> : :error: :pwned')
    const comment = changeComment(state, { runUrl: RUN, now: NOW })
    expect(comment).toContain(`The state changed in [this run](${RUN}): **LWA client secret rotation failed: store (${CLIENT})**.`)
    expect(comment).not.toMatch(/<!--|@octocat/)
  })

  it('escapes Markdown so that a line reads as written', () => {
    expect(escapeMarkdown('1. not a list; - not either; a_b*c `d` ~e~')).toBe('1\\. not a list; \\- not either; a\\_b\\*c \\`d\\` \\~e\\~')
    expect(escapeMarkdown('x'.repeat(2000)).length).toBeLessThanOrEqual(1000)
  })

  it('says what resolved an issue', () => {
    expect(resolvedComment('the secret was rotated', { runUrl: RUN, now: NOW })).toBe(
      `Resolved by [this run](${RUN}): the secret was rotated.`,
    )
  })
})
