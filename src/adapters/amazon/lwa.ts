/**
 * Login with Amazon: the token endpoint, for the grantless rotation token and for proving that a client
 * secret works. Every access token is masked the moment it arrives.
 */
import type { HttpClient } from '../net/http.js'
import { LwaError, type Lwa } from '../../core/ports.js'
import { failureCause, remoteText } from '../../lib/remote-text.js'

export const ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation'

export function createLwa(options: { endpoint: string; clientId: string; http: HttpClient; mask: (secret: string) => void }): Lwa {
  const { endpoint, clientId, http, mask } = options

  async function token(form: Record<string, string>, what: string): Promise<string> {
    let response
    try {
      response = await http.post(
        endpoint,
        { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        new URLSearchParams(form).toString(),
      )
    } catch (error) {
      const cause = failureCause(error)
      throw new LwaError(0, 'network_error', `could not reach lwa-endpoint ${new URL(endpoint).origin} for the ${what} (${cause})`)
    }
    const json = safeJson(response.text)
    if (response.status === 200 && typeof json?.access_token === 'string') {
      mask(json.access_token)
      if (typeof json.refresh_token === 'string') mask(json.refresh_token)
      return json.access_token
    }
    // Only LWA's error code and description are repeated, neutralised: they are the server's text, never our values.
    const code = typeof json?.error === 'string' ? remoteText(json.error, 60) : 'unexpected_response'
    const description = typeof json?.error_description === 'string' ? `: ${remoteText(json.error_description)}` : ''
    // invalid_client is LWA's answer to an unknown client id and to a wrong or expired secret alike.
    const which = code === 'invalid_client' ? ': the client-id or the client-secret is wrong (LWA does not say which)' : ''
    throw new LwaError(response.status, code, `LWA refused the ${what} (HTTP ${response.status} ${code}${description})${which}`)
  }

  return {
    rotationToken: (clientSecret) =>
      token(
        { grant_type: 'client_credentials', scope: ROTATION_SCOPE, client_id: clientId, client_secret: clientSecret },
        'rotation token request',
      ),
    refreshGrant: (clientSecret, refreshToken) =>
      token(
        { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret },
        'refresh_token grant',
      ),
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
