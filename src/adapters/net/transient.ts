/**
 * Which failures of a request are worth another attempt, and how long a server asks us to wait: shared by
 * the HTTP client (http.ts) and the SP-API adapter, without loading either's transport. Pure.
 */

/** Errors where the request never reached the server: always safe to repeat. */
export const NOT_SENT_ERRORS = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']
/** Errors where the request may have been processed: repeat only idempotent requests. */
export const AMBIGUOUS_ERRORS = ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']

/** retry-after in seconds or as an HTTP date; capped so that a server cannot stall the run. */
export function retryAfterMs(header: string | string[] | undefined, capMs: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now()
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, capMs) : undefined
}
