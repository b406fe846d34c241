/**
 * The records the core keeps, as repository Actions variables of the workflow's repository, through the
 * variables REST API: the expiry record (when the current secret expires) and the outstanding-rotation
 * record (when a rotation whose secret is not stored yet was made). Times only, never a secret.
 */
import { GitHubError, request, type Octokit } from './octokit.js'
import type { RotationRecord } from '../../core/ports.js'

export function createVariable(octokit: Octokit, options: { repository: string; name: string; purpose: string }): RotationRecord {
  const [owner, repo] = options.repository.split('/') as [string, string]
  const { name } = options
  /** What the last read found: a variable known to be missing is created at once, not after a failed update. */
  let exists: boolean | undefined
  const advice = (status: number): string =>
    status === 403 || status === 404
      ? `The github-token needs the repository permission "Variables: read and write" on ${options.repository} (a GitHub App: the same permission) to keep ${options.purpose} in ${name}.`
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
      const create = () =>
        request(advice, `create the variable ${name}`, () =>
          octokit.request('POST /repos/{owner}/{repo}/actions/variables', { owner, repo, name, value }),
        )
      const update = () =>
        request(advice, `update the variable ${name}`, () =>
          octokit.request('PATCH /repos/{owner}/{repo}/actions/variables/{name}', { owner, repo, name, value }),
        )
      // Try what the last read suggests first; the other covers a variable made or removed since (409 or 404).
      const [first, second, fallbackOn] = exists === false ? [create, update, 409] : [update, create, 404]
      try {
        await first()
      } catch (error) {
        if (!(error instanceof GitHubError && error.status === fallbackOn)) throw error
        await second()
      }
      exists = true
    },
    async clear() {
      if (exists === false) return
      try {
        await request(advice, `delete the variable ${name}`, () =>
          octokit.request('DELETE /repos/{owner}/{repo}/actions/variables/{name}', { owner, repo, name }),
        )
      } catch (error) {
        if (!(error instanceof GitHubError && error.status === 404)) throw error
      }
      exists = false
    },
  }
}
