/**
 * GitHub Actions secrets through Octokit (@actions/github), with GitHub's retry and rate-limit guidance
 * applied by @octokit/plugin-retry and @octokit/plugin-throttling, and a timeout on every attempt.
 */
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { seal } from './seal.js'
import { formatTarget, type Target } from './targets.js'

export interface SecretStore {
  /** Reads the target's public key: proves the target exists and the token can reach it. */
  check(target: Target): Promise<void>
  /** Seals and writes the value; idempotent. */
  write(target: Target, name: string, value: string): Promise<'created' | 'updated'>
  /** When the secret was last written (epoch ms), or undefined when it does not exist. */
  updatedAt(target: Target, name: string): Promise<number | undefined>
}

export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'GitHubError'
  }
}

interface PublicKey {
  key_id: string
  key: string
}

/** Longest rate-limit pause the action accepts before it gives up and leaves the rest to a re-run. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120
const RATE_LIMIT_RETRIES = 3
const REQUEST_TIMEOUT_MS = 30_000

export function createGitHubStore(options: { token: string; baseUrl: string; warn: (message: string) => void }): SecretStore {
  const { warn } = options
  // @actions/github's fetch goes through the runner's proxy settings; add a timeout to each attempt.
  const baseFetch = (defaults.request?.fetch ?? fetch) as typeof fetch
  const timedFetch: typeof fetch = (url, init) =>
    baseFetch(url, {
      ...init,
      signal: init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
        : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })

  const onLimit =
    (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS
      warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}; ${retrying ? `retrying in ${retryAfter} s` : 'giving up'}.`)
      return retrying
    }
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      request: { fetch: timedFetch },
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    },
    retry,
    throttling,
  )

  const keys = new Map<string, PublicKey>()
  const paths = (target: Target) => {
    const params = { owner: target.owner, repo: target.repo }
    return target.kind === 'repository'
      ? ({
          params,
          key: 'GET /repos/{owner}/{repo}/actions/secrets/public-key',
          get: 'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}',
          put: 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
        } as const)
      : ({
          params: { ...params, environment_name: target.environment },
          key: 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key',
          get: 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
          put: 'PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
        } as const)
  }

  async function publicKey(target: Target, fresh = false): Promise<PublicKey> {
    const id = formatTarget(target)
    const cached = keys.get(id)
    if (cached && !fresh) return cached
    const { params, key } = paths(target)
    const { data } = await call(target, 'read the public key', () => octokit.request(key, params))
    keys.set(id, data)
    return data
  }

  async function put(target: Target, name: string, value: string, key: PublicKey): Promise<number> {
    const { params, put } = paths(target)
    const encrypted_value = await seal(value, key.key)
    const { status } = await call(target, 'write the secret', () =>
      octokit.request(put, { ...params, secret_name: name, encrypted_value, key_id: key.key_id }),
    )
    return status
  }

  return {
    async check(target) {
      await publicKey(target)
    },
    async write(target, name, value) {
      let status: number
      try {
        status = await put(target, name, value, await publicKey(target))
      } catch (error) {
        // 422 can mean GitHub rotated the target's key since we read it: read it again and retry once.
        if (!(error instanceof GitHubError && error.status === 422)) throw error
        status = await put(target, name, value, await publicKey(target, true))
      }
      return status === 201 ? 'created' : 'updated'
    },
    async updatedAt(target, name) {
      const { params, get } = paths(target)
      try {
        const { data } = await call(target, 'read the secret', () => octokit.request(get, { ...params, secret_name: name }))
        return Date.parse(data.updated_at)
      } catch (error) {
        if (error instanceof GitHubError && error.status === 404) return undefined
        throw error
      }
    },
  }
}

/** What a refusal usually means for a secrets call, and what to change. */
function advice(status: number, target: Target): string {
  switch (status) {
    case 401:
      return 'The github-token is invalid or expired.'
    case 403:
      return target.kind === 'environment'
        ? 'The github-token may not write this environment\'s secrets: it needs "Secrets: read and write" and "Environments" on the repository (GITHUB_TOKEN never can).'
        : 'The github-token may not write this repository\'s secrets: it needs "Secrets: read and write" on the repository (GITHUB_TOKEN never can).'
    case 404:
      return target.kind === 'environment'
        ? 'The repository or environment does not exist, or the token cannot see it.'
        : 'The repository does not exist, or the token cannot see it.'
    default:
      return ''
  }
}

async function call<T>(target: Target, what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    const e = error as { status?: unknown; response?: { data?: { message?: unknown } }; name?: string }
    const status = typeof e.status === 'number' ? e.status : 0
    // GitHub's own message only: the Octokit error also carries the request, body included.
    const detail =
      typeof e.response?.data?.message === 'string'
        ? e.response.data.message
        : status
          ? `HTTP ${status}`
          : String(e.name ?? 'request failed')
    const hint = advice(status, target)
    throw new GitHubError(status, `could not ${what}: ${status ? `HTTP ${status} ` : ''}${detail}.${hint ? ` ${hint}` : ''}`)
  }
}
