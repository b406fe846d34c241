/**
 * Alert issues, end to end through the bundled action and the GitHub simulator: one issue per application,
 * found by its label and the marker in its body; edited without a comment when a run finds the same problem,
 * commented when the state changes, commented and closed once a run succeeds. A token that may not write issues
 * costs one warning and changes nothing else. world.run checks every run for leaks, the issues' text included.
 * The cases only wait, so they run concurrently.
 */
import { describe, expect, it } from 'vitest'
import { isAlertRequest } from '../sim/github.ts'
import { findLeaks } from '../support/action.ts'
import { REPO, withWorld, type World } from '../support/world.ts'

const LABEL = 'lwa-secret-rotation'
const marker = (clientId: string) => `<!-- lwa-secret-rotation: client-id=${clientId} -->`
const runEnv = (id: number) => ({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: String(id) })
const runUrl = (id: number) => `https://github.com/${REPO}/actions/runs/${id}`
/** A secret in LWA's format that LWA refuses: with no new secret waiting to store instead, the run stops before rotating. */
const WRONG_SECRET = `amzn1.oa2-cs.v1.${'0'.repeat(64)}`
const DAY = 86_400_000
/** A queue policy that lets Amazon's notifications in: check mode passes only with one. */
const AMAZON_MAY_SEND = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::437568002678:root' }, Action: 'sqs:SendMessage', Resource: '*' }],
})

/** The repository's issues that carry the alert label, pull requests left out. */
const alertIssues = (world: World) => world.github.issues(REPO).filter((i) => i.labels.includes(LABEL) && !i.pullRequest)
/** Requests the action sent to the issues and labels endpoints. */
const issueRequests = (world: World) => world.github.requests.filter(isAlertRequest)

describe.concurrent('alert issues', () => {
  it('a failure opens one issue; the same failure edits it without a comment; another failure comments; success comments and closes it', () =>
    withWorld(async (world) => {
      const first = await world.run({ inputs: world.inputs({ 'client-secret': WRONG_SECRET }), env: runEnv(101) })
      expect(first.code).toBe(1)
      expect(world.amazon.rotateCalls()).toBe(0)
      let [issue] = alertIssues(world)
      expect(alertIssues(world)).toHaveLength(1)
      expect(issue!.title).toBe(`LWA client secret rotation failed: resume or rotate (${world.clientId})`)
      expect(issue!.body).toContain(marker(world.clientId))
      expect(issue!.body).toMatch(/<!-- lwa-secret-rotation-state: failed\/resume-or-rotate\/[0-9a-f]{12}\/no-deadline -->/)
      expect(issue!.body).toContain(`[this run](${runUrl(101)})`)
      expect(issue!.body).toContain('LWA rejects the client\\-id or client\\-secret')
      expect(issue!.body).toContain('Nothing was rotated')
      expect(issue!.comments).toEqual([])
      const label = world.github.label(REPO, LABEL)
      expect(label).toMatchObject({ name: LABEL, color: 'd93f0b' })
      expect(label?.description).toContain('one open issue per application')
      expect(first.stdout).toMatch(/Opened the alert issue #\d+/)

      // The same failure the next day: the body shows the new run, and nobody is notified again.
      const again = await world.run({ inputs: world.inputs({ 'client-secret': WRONG_SECRET }), env: runEnv(102) })
      expect(again.code).toBe(1)
      ;[issue] = alertIssues(world)
      expect(alertIssues(world)).toHaveLength(1)
      expect(issue!.comments).toEqual([])
      expect(issue!.body).toContain(runUrl(102))
      expect(issue!.body).not.toContain(runUrl(101))

      // Another cause, whose remote text tries a forged marker, a mention, a link and an image: a comment, all shown inert.
      const hostile = `Not Found ${marker('amzn1.application-oa2-client.forged')} @octocat [click](https://evil.example) ![x](https://evil.example/x.png)`
      world.github.failNext({ method: 'GET', path: /actions\/secrets\/public-key$/ }, { status: 404, body: { message: hostile } })
      const other = await world.run({ inputs: world.inputs(), env: runEnv(103) })
      expect(other.code).toBe(1)
      ;[issue] = alertIssues(world)
      expect(alertIssues(world)).toHaveLength(1)
      expect(issue!.comments).toHaveLength(1)
      expect(issue!.comments[0]).toContain(`The state changed in [this run](${runUrl(103)})`)
      for (const text of [issue!.body ?? '', issue!.comments[0]!]) {
        expect(text.match(/<!--/g) ?? []).toHaveLength(text === issue!.body ? 2 : 0)
        expect(text).not.toMatch(/@octocat|\]\(https:\/\/evil|https:\/\/evil/)
      }
      expect(issue!.body).toContain('@&#8203;octocat')
      expect(issue!.body).toContain('repository:octo/shop')

      // A run that rotates resolves it.
      const healthy = await world.run({ inputs: world.inputs(), env: runEnv(104) })
      expect(healthy.code, healthy.stdout).toBe(0)
      expect(healthy.outputs.result).toBe('rotated')
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      ;[issue] = alertIssues(world)
      expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' })
      expect(issue!.comments).toHaveLength(2)
      expect(issue!.comments[1]).toMatch(
        new RegExp(`^Resolved by \\[this run\\]\\(${runUrl(104).replace(/[/.]/g, '\\$&')}\\): the secret was rotated`),
      )
    }))

  it('keeps one issue per application, finds it by label and marker only, and labels it even when GitHub drops labels on create', () =>
    withWorld(async (world) => {
      const other = world.addApplication()
      // Look-alikes: an issue with the label but no marker, and a pull request with both.
      const foreign = world.github.addIssue(REPO, {
        title: `LWA client secret rotation failed: resume or rotate (${world.clientId})`,
        labels: [LABEL],
      })
      const pr = world.github.addIssue(REPO, { title: 'A pull request', body: marker(world.clientId), labels: [LABEL], pullRequest: true })
      world.github.setIssues(REPO, { labelsDroppedOnCreate: true })

      for (const [clientId, secret] of [
        [world.clientId, WRONG_SECRET],
        [other.clientId, WRONG_SECRET],
      ] as const) {
        const run = await world.run({ inputs: world.inputs({ 'client-id': clientId, 'client-secret': secret }) })
        expect(run.code).toBe(1)
      }
      const ours = (clientId: string) => alertIssues(world).filter((i) => i.body?.includes(marker(clientId)))
      expect(ours(world.clientId)).toHaveLength(1)
      expect(ours(other.clientId)).toHaveLength(1)
      // Labelled after all (GitHub dropped the label on create), so the next run finds them: no third issue.
      expect(alertIssues(world).map((i) => i.number)).toEqual([foreign, ours(world.clientId)[0]!.number, ours(other.clientId)[0]!.number])

      const healthy = await world.run()
      expect(healthy.code, healthy.stdout).toBe(0)
      expect(ours(world.clientId)[0]).toMatchObject({ state: 'closed' })
      expect(ours(other.clientId)[0]).toMatchObject({ state: 'open', comments: [] })
      const [foreignIssue, prIssue] = [foreign, pr].map((n) => world.github.issues(REPO).find((i) => i.number === n)!)
      expect(foreignIssue).toMatchObject({ state: 'open', comments: [], body: null })
      expect(prIssue).toMatchObject({ state: 'open', comments: [] })
    }))

  it('a token that may not write issues: one warning naming the permission, and the rotation as it would be without alerts; alert-token writes it instead', () =>
    withWorld(async (world) => {
      const token = `ghs_${'n'.repeat(36)}`
      world.github.addToken(token, { write: [REPO, `variables:${REPO}`] })
      const run = await world.run({ inputs: world.inputs({ 'github-token': token }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(JSON.parse(run.outputs['updated-targets']!)).toEqual([`repository:${REPO}`])
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(world.pendingSecrets()).toEqual([])
      const alertWarnings = run.warnings.filter((w) => w.includes('alert issue'))
      expect(alertWarnings).toHaveLength(1)
      expect(alertWarnings[0]).toContain('"issues: write"')
      expect(alertWarnings[0]).toContain('HTTP 403')
      expect(issueRequests(world).map((r) => r.method)).toEqual(['GET'])

      // alert-token (by default the workflow's GITHUB_TOKEN, with issues: write) writes the issue instead.
      const workflowToken = `ghs_${'w'.repeat(36)}`
      world.github.addToken(workflowToken, { write: [`issues:${REPO}`], login: 'github-actions[bot]' })
      const failed = await world.run({
        inputs: world.inputs({ 'github-token': token, 'alert-token': workflowToken, 'client-secret': WRONG_SECRET }),
      })
      expect(failed.code).toBe(1)
      expect(failed.errors.join('\n')).toContain('LWA rejects the client-id or client-secret')
      expect(failed.warnings.filter((w) => w.includes('alert issue'))).toEqual([])
      expect(alertIssues(world)).toMatchObject([{ state: 'open', author: 'github-actions[bot]' }])
      expect(findLeaks(failed, [workflowToken])).toEqual([])
      expect(failed.stdout).toContain(`::add-mask::${workflowToken}`)
    }))

  it('an input error opens the issue too; a run that cannot name its application only warns; a passing check closes it; alert: none writes nothing', () =>
    withWorld(
      async (world) => {
        const bad = await world.run({ inputs: world.inputs({ 'receive-timeout': '0' }) })
        expect(bad.code).toBe(1)
        expect(world.amazon.requests).toEqual([])
        const [issue] = alertIssues(world)
        expect(issue!.title).toBe(`LWA client secret rotation failed: inputs (${world.clientId})`)
        expect(issue!.body).toContain('Input receive\\-timeout')
        expect(issue!.body).toContain('a run outside a workflow (no link)')

        const nameless = await world.run({ inputs: world.inputs({ 'client-id': '' }) })
        expect(nameless.code).toBe(1)
        expect(nameless.warnings).toContain('No alert issue could be written: client-id does not name an application.')
        expect(alertIssues(world)).toHaveLength(1)

        const before = issueRequests(world).length
        const checked = await world.run({ inputs: world.inputs({ mode: 'check' }) })
        expect(checked.code, checked.stdout).toBe(0)
        expect(checked.summary).toMatch(/\| Alert issues can be kept in octo\/shop \| passed \| .*issues: write unproven/)
        // The check itself only read (list and label); then the passing check resolved the issue.
        expect(
          issueRequests(world)
            .slice(before)
            .map((r) => r.method),
        ).toEqual(['GET', 'GET', 'GET', 'POST', 'PATCH'])
        expect(alertIssues(world)[0]).toMatchObject({ state: 'closed', comments: [expect.stringContaining('every check passed')] })

        const quiet = issueRequests(world).length
        const off = await world.run({ inputs: world.inputs({ alert: 'none', 'client-secret': WRONG_SECRET }) })
        expect(off.code).toBe(1)
        expect(issueRequests(world)).toHaveLength(quiet)
        expect(off.warnings.filter((w) => /alert/i.test(w))).toEqual([])
      },
      { queueAttributes: { Policy: AMAZON_MAY_SEND } },
    ))

  it('a secret that expires within 2 days opens an expiry issue, which a run with a healthy expiry closes', () =>
    withWorld(async (world) => {
      const variable = 'LWA_CLIENT_SECRET_EXPIRES_AT'
      const soon = new Date(Date.now() + 1.5 * DAY).toISOString()
      world.github.setVariable(REPO, variable, soon)
      const skipped = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '24h' }) })
      expect(skipped.code, skipped.stdout).toBe(0)
      expect(skipped.outputs.result).toBe('skipped')
      const [issue] = alertIssues(world)
      expect(issue!.title).toBe(`LWA client secret for ${world.clientId} expires on ${soon.slice(0, 10)}`)
      expect(issue!.body).toContain('less than 2 days left')

      world.github.setVariable(REPO, variable, new Date(Date.now() + 100 * DAY).toISOString())
      const later = await world.run({ inputs: world.inputs({ 'rotate-before-expiry': '24h' }) })
      expect(later.outputs.result).toBe('skipped')
      expect(alertIssues(world)[0]).toMatchObject({
        state: 'closed',
        comments: [expect.stringMatching(/^Resolved by .*: the secret is not due/)],
      })
      expect(world.amazon.rotateCalls()).toBe(0)
    }))
})
