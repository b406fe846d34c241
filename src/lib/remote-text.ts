/**
 * Text that came from outside (Amazon, GitHub or SQS responses, queue message bodies) is data. The runner
 * reads any stdout line that starts with `::` (or holds a legacy `##[`) as a workflow command, so a
 * response could stop command processing, unmask values or fake annotations. Every adapter passes remote
 * text through here before it can reach a log line, an error or the summary. Pure: no I/O.
 */

/** Long enough for any error message a service writes; short enough that a body cannot flood the log. */
const MAX_LENGTH = 300

// C0/C1 controls (line breaks, escape sequences), the Unicode line and paragraph separators (line breaks to
// some readers), the bidirectional marks and overrides (U+061C, U+200E/F, U+202A-E, U+2066-9) that could
// disguise a line, and lone surrogates (\p{Cs} matches only unpaired ones under the u flag).
const UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu

/**
 * One line of neutralised text: no control characters, no `::` or `##[` left intact, capped at `max` code
 * points, so that a cut never leaves half a surrogate pair.
 */
export function remoteText(value: unknown, max = MAX_LENGTH): string {
  const text = String(value)
    .replace(UNSAFE, ' ')
    // A zero-width joiner-free break: ': :' and '# #[' read the same to a person and are no command to the runner.
    .replace(/:(?=:)/g, ': ')
    .replace(/##\[/g, '# #[')
    .trim()
  if (text.length <= max) return text
  const points = Array.from(text)
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text
}

/** What a network error code means, for an error text a person can act on. */
const NETWORK_CAUSES: Record<string, string> = {
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stalled',
  UND_ERR_SOCKET: 'connection closed',
  TimeoutError: 'no answer in time',
  AbortError: 'no answer in time',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
}

/**
 * The cause of a failed request, from the error or its `cause` chain (fetch wraps the socket error):
 * e.g. 'DNS lookup failed (ENOTFOUND)'. Undefined when the error is not a network error.
 */
export function networkCause(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown }
    for (const key of [code, name]) {
      if (typeof key === 'string' && key in NETWORK_CAUSES) return `${NETWORK_CAUSES[key]} (${key})`
    }
  }
  return undefined
}

/** The cause of a failed request for an error text: the network cause when known, else the innermost message. */
export function failureCause(error: unknown): string {
  const known = networkCause(error)
  if (known) return known
  let e: unknown = error
  for (let depth = 0; depth < 5 && e instanceof Error && e.cause instanceof Error; depth++) e = e.cause
  return remoteText(e instanceof Error ? e.message : String(e), 120)
}
