/**
 * The Application Management API (v2023-11-30): rotateApplicationClientSecret. The new secret is never in
 * the response; Amazon puts it on the queue registered for "Application Client New Secret".
 */
import type { HttpClient } from '../net/http.js'
import { DEFAULT_RETRY_AFTER_MS, SpApiError, type SpApi } from '../../core/ports.js'
import { NOT_SENT_ERRORS, retryAfterMs } from '../net/transient.js'
import { networkCause, remoteText } from '../../lib/remote-text.js'

export const ROTATE_PATH = '/applications/2023-11-30/clientSecret'

/** What each refusal usually means, and what the user can do about it. */
const ADVICE: Record<number, string> = {
  400: 'No queue is registered for the "Application Client New Secret" notification. In Developer Console → Notification Preferences, add your SQS queue ARN to "Application Client New Secret" and subscribe, then re-run.',
  403: 'The token was refused. Rotation needs a production application and the grantless rotation token; check client-id, client-secret and region.',
  404: 'The operation was not found: check region or sp-api-endpoint.',
  429: "Amazon's usage plan allows about one rotation a minute.",
}

/** Statuses that say Amazon did not act on the request, so asking again is safe. */
const RETRYABLE_STATUSES = [429, 500, 503]
/** A server cannot stall the run with a long retry-after. */
const MAX_RETRY_AFTER_MS = 120_000

export function createSpApi(options: { endpoint: string; http: HttpClient }): SpApi {
  const { endpoint, http } = options
  return {
    async rotateClientSecret(accessToken) {
      let response
      try {
        response = await http.post(`${endpoint}${ROTATE_PATH}`, { 'x-amz-access-token': accessToken, accept: 'application/json' }, '')
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'NetworkError'
        const cause = networkCause(error) ?? remoteText(code, 60)
        if (NOT_SENT_ERRORS.includes(code)) {
          throw new SpApiError(
            0,
            code,
            `rotateApplicationClientSecret could not reach sp-api-endpoint ${endpoint} (${cause})`,
            'retry',
            5_000,
          )
        }
        throw new SpApiError(
          0,
          code,
          `rotateApplicationClientSecret got no answer (${cause}); Amazon may or may not have rotated`,
          'unknown',
        )
      }
      if (response.status === 204) return
      const error = firstError(response.text)
      const requestId = response.headers['x-amzn-requestid']
      const advice = ADVICE[response.status] ?? (response.status >= 500 ? 'Amazon had a server error; re-run later.' : '')
      throw new SpApiError(
        response.status,
        error.code,
        `rotateApplicationClientSecret failed: HTTP ${response.status} ${error.code}: ${error.message}` +
          (requestId ? ` (x-amzn-RequestId ${remoteText(requestId, 80)})` : '') +
          (advice ? `. ${advice}` : ''),
        RETRYABLE_STATUSES.includes(response.status) ? 'retry' : 'final',
        retryAfterMs(response.headers['retry-after'], MAX_RETRY_AFTER_MS) ?? DEFAULT_RETRY_AFTER_MS,
      )
    },
  }
}

/** The first entry of Amazon's ErrorList ({"errors":[{code, message, details}]}), or a stand-in. */
function firstError(text: string): { code: string; message: string } {
  try {
    const first = (JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors?.[0]
    // Amazon's words are remote text: they reach the log only neutralised.
    if (first && typeof first.code === 'string') {
      return { code: remoteText(first.code, 60), message: typeof first.message === 'string' ? remoteText(first.message) : '' }
    }
  } catch {
    // fall through: not Amazon's error shape
  }
  return { code: 'UnexpectedResponse', message: 'the response carried no error list' }
}
