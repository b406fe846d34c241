/**
 * The expiry record: a repository Actions variable of the workflow's repository that holds when the current
 * secret expires (an ISO 8601 date-time, never the secret), through the variables REST API.
 */
import { GitHubError, request, type Octokit } from './octokit.js'
import type { ExpiryRecord } from '../../core/ports.js'

export function createExpiryRecord(octokit: Octokit, options: { repository: string; name: string }): ExpiryRecord {
  const [owner, repo] = options.repository.split('/') as [string, string]
  const { name } = options
  /** What the last read found: a variable known to be missing is created at once, not after a failed update. */
  let exists: boolean | undefined
  const advice = (status: number): string =>
    status === 403 || status === 404
      ? `The github-token needs the repository permission "Variables: read and write" on ${options.repository} (a GitHub App: the same permission) to keep the expiry in ${name}.`
      : status === 401
        ? 'The github-token is invalid or expired.'
        : ''
  return {
    name,
    async read() {
      try {
        const { data } = await request(advice, `read the variable ${name}`, () =>
          octokit.request('GET /repos/{owner}/{repo}/actions/variables/{name}', { owner, repo, name }),
        )
        exists = true
        return data.value
      } catch (error) {
        // 404 is also what a token without the permission gets for a private repository: told apart by the list below.
        if (error instanceof GitHubError && error.status === 404) {
          await request(advice, 'list the variables', () =>
            octokit.request('GET /repos/{owner}/{repo}/actions/variables', { owner, repo, per_page: 1 }),
          )
          exists = false
          return undefined
        }
        throw error
      }
    },
    async write(value) {
      if (exists === false) {
        await request(advice, `create the variable ${name}`, () =>
          octokit.request('POST /repos/{owner}/{repo}/actions/variables', { owner, repo, name, value }),
        )
        exists = true
        return
      }
      try {
        await request(advice, `update the variable ${name}`, () =>
          octokit.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', { owner, repo, name, value }),
        )
      } catch (error) {
        if (!(error instanceof GitHubError && error.status === 404)) throw error
        await request(advice, `create the variable ${name}`, () =>
          octokit.request('POST /repos/{owner}/{repo}/actions/variables', { owner, repo, name, value }),
        )
      }
    },
  }
}
