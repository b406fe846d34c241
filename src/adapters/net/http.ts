/**
 * HTTP for the Amazon endpoints: undici with a timeout on every request and undici's RetryAgent for
 * transient failures (retry-after honoured, attempts bounded), through the runner's proxy if it sets one
 * (src/proxy.ts). Each caller states which failures are safe to repeat: a token request always is, a
 * rotation only when Amazon certainly did not act on it.
 */
import { RetryAgent, type Dispatcher } from 'undici'
import { createDispatcher } from './proxy.js'
import { retryAfterMs } from './transient.js'

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number
  /** Delay before the first retry when the server sends no retry-after; doubles each time up to maxDelayMs. */
  minDelayMs: number
  maxDelayMs: number
  /** Response statuses worth another attempt. */
  statusCodes: number[]
  /** undici/network error codes worth another attempt. */
  errorCodes: string[]
}

export interface HttpClient {
  post(url: string, headers: Record<string, string>, body: string): Promise<HttpResponse>
  close(): Promise<void>
}

export function createHttpClient(options: {
  timeoutMs: number
  retry: RetryPolicy
  onRetry?: (what: string, delayMs: number, attempt: number) => void
}): HttpClient {
  const { timeoutMs, retry, onRetry } = options
  // A plain Agent, or one that routes through the runner's proxy when it sets one (loopback always directly).
  const agent = createDispatcher(timeoutMs)
  const dispatcher = new RetryAgent(agent, {
    maxRetries: retry.retries,
    methods: ['POST'],
    statusCodes: retry.statusCodes,
    errorCodes: retry.errorCodes,
    // Hand the last response to the caller (with its error body) instead of a generic error.
    throwOnError: false,
    retry(err, { state }, callback) {
      const { statusCode, code, headers } = err as Error & { statusCode?: number; code?: string; headers?: Record<string, string> }
      const retryable = statusCode !== undefined ? retry.statusCodes.includes(statusCode) : retry.errorCodes.includes(code ?? '')
      if (!retryable || state.counter > retry.retries) return callback(err)
      const delayMs =
        retryAfterMs(headers?.['retry-after'], retry.maxDelayMs) ?? Math.min(retry.minDelayMs * 2 ** (state.counter - 1), retry.maxDelayMs)
      onRetry?.(statusCode !== undefined ? `HTTP ${statusCode}` : (code ?? 'network error'), delayMs, state.counter)
      setTimeout(() => callback(null), delayMs)
    },
  })

  return {
    async post(url, headers, body) {
      const response: Dispatcher.ResponseData = await dispatcher.request({
        origin: new URL(url).origin,
        path: new URL(url).pathname + new URL(url).search,
        method: 'POST',
        headers,
        body,
      })
      return { status: response.statusCode, headers: response.headers, text: await response.body.text() }
    },
    close: () => dispatcher.close(),
  }
}
