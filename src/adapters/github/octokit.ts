/**
 * The one Octokit client of a run (@actions/github), with GitHub's retry and rate-limit guidance applied by
 * @octokit/plugin-retry and @octokit/plugin-throttling, a timeout on every attempt, and errors that name
 * the cause and the input. Every GitHub adapter (secrets, variables) goes through it.
 */
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { failureCause, networkCause, remoteText } from '../../lib/remote-text.js'

export type Octokit = ReturnType<typeof getOctokit>

export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'GitHubError'
  }
}

/** A request that got no HTTP answer; its message names the input and the cause. */
class NetworkError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause })
    this.name = 'NetworkError'
  }
}

/** Longest rate-limit pause the action accepts before it gives up and leaves the rest to a re-run. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120
const RATE_LIMIT_RETRIES = 3
const REQUEST_TIMEOUT_MS = 30_000

export function createOctokit(options: {
  token: string
  baseUrl: string
  warn: (message: string) => void
  info: (message: string) => void
  /** The longest rate-limit pause to wait out (default 120 s); a client with a time bound of its own sets less. */
  maxRateLimitWaitSeconds?: number
}): Octokit {
  const { warn, info } = options
  const maxWait = options.maxRateLimitWaitSeconds ?? MAX_RATE_LIMIT_WAIT_SECONDS
  // @actions/github's fetch goes through the runner's proxy settings; add a timeout to each attempt, and say
  // why an attempt failed when it never got an answer (the retry plugin tries again without a word).
  const baseFetch = (defaults.request?.fetch ?? fetch) as typeof fetch
  const timedFetch: typeof fetch = async (url, init) => {
    try {
      return await baseFetch(url, {
        ...init,
        signal: init?.signal
          ? AbortSignal.any([init.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
          : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
    } catch (error) {
      const cause = failureCause(error)
      info(`GitHub API ${new URL(options.baseUrl).host} (github-api-url) could not be reached: ${cause}.`)
      throw new NetworkError(`could not reach github-api-url ${new URL(options.baseUrl).origin} (${cause})`, error)
    }
  }

  const onLimit =
    (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= maxWait
      warn(
        `GitHub ${kind} rate limit on ${request.method} ${remoteText(request.url, 200)}; ${retrying ? `retrying in ${retryAfter} s` : 'giving up'}.`,
      )
      return retrying
    }
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      request: { fetch: timedFetch },
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
      // The plugin's defaults, and 409: a conflict (a variable another run created meanwhile) is answered at once by
      // the caller, never waited out by repeating the same request.
      retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
      // Octokit's own notices (deprecations, with GitHub's headers in them) are remote text too.
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => warn(remoteText(message)),
        error: (message: string) => warn(remoteText(message)),
      },
    },
    retry,
    throttling,
  )
  return octokit
}

/**
 * Runs one request and turns a failure into a GitHubError that says what failed and why: the network cause,
 * or GitHub's own message (neutralised) with `advice` for the status. Never the request, which holds values.
 */
export async function request<T>(advice: (status: number) => string, what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    const e = error as { status?: unknown; response?: { data?: { message?: unknown } }; name?: string; cause?: unknown }
    // No HTTP answer at all: Octokit reports it as a 500 it never received; say what really happened.
    const network = [error, e.cause].find((x): x is NetworkError => x instanceof NetworkError)
    if (network || !e.response) {
      const cause =
        network?.message ?? `could not reach github-api-url (${networkCause(error) ?? remoteText(e.name ?? 'request failed', 60)})`
      throw new GitHubError(0, `could not ${what}: ${cause}.`)
    }
    const status = typeof e.status === 'number' ? e.status : 0
    // GitHub's own message only, neutralised: the Octokit error also carries the request, body included.
    const detail = typeof e.response.data?.message === 'string' ? remoteText(e.response.data.message) : `HTTP ${status}`
    const hint = advice(status)
    throw new GitHubError(
      status,
      `could not ${what}: HTTP ${status}${detail === `HTTP ${status}` ? '' : ` ${detail}`}.${hint ? ` ${hint}` : ''}`,
    )
  }
}
