/**
 * The IssueTracker adapter: the alert issues of the workflow's repository, through the issues and labels REST API.
 * An alert issue carries the label below and, in its body, the marker of its application; it is found by both,
 * never by its title. Every request carries the caller's signal (the alert's time bound) and is not retried. An
 * issue's link reaches the log neutralised; its body is only searched for markers, never printed.
 */
import type { AlertIssue, IssueTracker } from '../../core/ports.js'
import { GitHubError, request, type Octokit } from './octokit.js'
import { remoteText } from '../../lib/remote-text.js'

export const ALERT_LABEL = {
  name: 'lwa-secret-rotation',
  color: 'd93f0b',
  description: 'LWA client secret rotation: one open issue per application while it needs a person',
} as const

/** 100 a page (GitHub's most); the open alert issues of one repository fit on the first. */
const PER_PAGE = 100
/** A bound on the listing: beyond this many open issues with the label, the oldest are not looked at. */
const MAX_PAGES = 5

export function createIssueTracker(octokit: Octokit, options: { repository: string; signal: AbortSignal }): IssueTracker {
  const { repository } = options
  const [owner, repo] = repository.split('/') as [string, string]
  // No retries: the alert has a total bound, and the next run tries again anyway. (Any other count makes the retry
  // plugin repeat refusals too, 403 and 422 included.)
  const requestOptions = { signal: options.signal, retries: 0 }
  const advice = (status: number): string =>
    status === 403 || status === 404
      ? `The alert-token needs "issues: write" on ${repository}: add \`issues: write\` to the job's permissions (the default alert-token is the workflow's GITHUB_TOKEN), give a GitHub App token the App permission "Issues: read and write", or set alert: none.`
      : status === 410
        ? `Issues are turned off in ${repository}: turn them on (Settings → General → Features → Issues) or set alert: none.`
        : status === 401
          ? 'The alert-token is invalid or expired.'
          : ''
  const send = <T>(what: string, fn: () => Promise<T>) => request(advice, what, fn)

  const list = async (page: number) =>
    (
      await send('list the alert issues', () =>
        octokit.request('GET /repos/{owner}/{repo}/issues', {
          owner,
          repo,
          labels: ALERT_LABEL.name,
          state: 'open',
          sort: 'created',
          direction: 'asc',
          per_page: PER_PAGE,
          page,
          request: requestOptions,
        }),
      )
    ).data

  /** The label exists (true), or not (false): 404 is its absence here, not a missing permission. */
  const labelExists = async (): Promise<boolean> => {
    try {
      await send(`read the label ${ALERT_LABEL.name}`, () =>
        octokit.request('GET /repos/{owner}/{repo}/labels/{name}', { owner, repo, name: ALERT_LABEL.name, request: requestOptions }),
      )
      return true
    } catch (error) {
      if (error instanceof GitHubError && error.status === 404) return false
      throw error
    }
  }

  return {
    async findOpen(marker) {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const issues = await list(page)
        // Pull requests share the issues list; only an issue whose body holds the marker is this application's.
        const found = issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker))
        if (found) return { number: found.number, url: remoteText(found.html_url, 200), body: found.body ?? '' }
        if (issues.length < PER_PAGE) break
      }
      return undefined
    },

    async open(title, body): Promise<AlertIssue> {
      if (!(await labelExists())) {
        try {
          await send(`create the label ${ALERT_LABEL.name}`, () =>
            octokit.request('POST /repos/{owner}/{repo}/labels', { owner, repo, ...ALERT_LABEL, request: requestOptions }),
          )
        } catch (error) {
          // Another run created it meanwhile.
          if (!(error instanceof GitHubError && error.status === 422)) throw error
        }
      }
      const { data } = await send('open the alert issue', () =>
        octokit.request('POST /repos/{owner}/{repo}/issues', {
          owner,
          repo,
          title,
          body,
          labels: [ALERT_LABEL.name],
          request: requestOptions,
        }),
      )
      // GitHub drops the labels of a new issue, silently, when the token may not set them; without the label the
      // next run could not find the issue, and would open another.
      const labelled = data.labels.some((l) => (typeof l === 'string' ? l : l.name) === ALERT_LABEL.name)
      if (!labelled) {
        await send(`label the alert issue #${data.number} (without the label, the next run cannot find it)`, () =>
          octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
            owner,
            repo,
            issue_number: data.number,
            labels: [ALERT_LABEL.name],
            request: requestOptions,
          }),
        )
      }
      return { number: data.number, url: remoteText(data.html_url, 200), body }
    },

    async update(issue, title, body) {
      await send(`update the alert issue #${issue}`, () =>
        octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          owner,
          repo,
          issue_number: issue,
          title,
          body,
          request: requestOptions,
        }),
      )
    },

    async comment(issue, body) {
      await send(`comment on the alert issue #${issue}`, () =>
        octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo,
          issue_number: issue,
          body,
          request: requestOptions,
        }),
      )
    },

    async close(issue) {
      await send(`close the alert issue #${issue}`, () =>
        octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          owner,
          repo,
          issue_number: issue,
          state: 'closed',
          state_reason: 'completed',
          request: requestOptions,
        }),
      )
    },

    async probe() {
      const [issues, exists] = await Promise.all([list(1), labelExists()])
      return { open: issues.filter((i) => !i.pull_request).length, label: ALERT_LABEL.name, labelExists: exists }
    },
  }
}
