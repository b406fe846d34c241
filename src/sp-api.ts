/**
 * The Application Management API (v2023-11-30): rotateApplicationClientSecret. The new secret is never in
 * the response; Amazon puts it on the queue registered for "Application Client New Secret".
 */
import type { HttpClient } from './http.js'

export const ROTATE_PATH = '/applications/2023-11-30/clientSecret'

/** What each refusal usually means, and what the user can do about it. */
const ADVICE: Record<number, string> = {
  400: 'No queue is registered for the "Application Client New Secret" notification. In Developer Console → Notification Preferences, add your SQS queue ARN to "Application Client New Secret" and subscribe, then re-run.',
  403: 'The token was refused. Rotation needs a production application and the grantless rotation token; check client-id, client-secret and region.',
  404: 'The operation was not found: check region or sp-api-endpoint.',
  429: "Amazon's usage plan allows about one rotation a minute. Wait a minute and re-run.",
}

export class SpApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'SpApiError'
  }
}

export interface SpApi {
  /** Resolves on 204; throws SpApiError with Amazon's error code, message and advice otherwise. */
  rotateClientSecret(accessToken: string): Promise<void>
}

export function createSpApi(options: { endpoint: string; http: HttpClient }): SpApi {
  const { endpoint, http } = options
  return {
    async rotateClientSecret(accessToken) {
      const response = await http.post(`${endpoint}${ROTATE_PATH}`, { 'x-amz-access-token': accessToken, accept: 'application/json' }, '')
      if (response.status === 204) return
      const error = firstError(response.text)
      const requestId = response.headers['x-amzn-requestid']
      const advice = ADVICE[response.status] ?? (response.status >= 500 ? 'Amazon had a server error; re-run later.' : '')
      throw new SpApiError(
        response.status,
        error.code,
        `rotateApplicationClientSecret failed: HTTP ${response.status} ${error.code}: ${error.message}` +
          (requestId ? ` (x-amzn-RequestId ${String(requestId)})` : '') +
          (advice ? `. ${advice}` : ''),
      )
    },
  }
}

/** The first entry of Amazon's ErrorList ({"errors":[{code, message, details}]}), or a stand-in. */
function firstError(text: string): { code: string; message: string } {
  try {
    const first = (JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors?.[0]
    if (first && typeof first.code === 'string') {
      return { code: first.code, message: typeof first.message === 'string' ? first.message : '' }
    }
  } catch {
    // fall through: not Amazon's error shape
  }
  return { code: 'UnexpectedResponse', message: 'the response carried no error list' }
}
