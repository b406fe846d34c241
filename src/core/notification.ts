/**
 * SP-API notifications as they arrive on the queue: classify a message body without ever putting the
 * secret it may carry into an error text. Pure: no I/O.
 */
import * as v from 'valibot'
import { remoteText } from '../lib/remote-text.js'

export const NEW_SECRET = 'APPLICATION_OAUTH_CLIENT_NEW_SECRET'
export const SECRET_EXPIRY = 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY'

/**
 * The form of every LWA client secret Amazon issues for SP-API applications (Developer Console and
 * rotation alike): a versioned prefix and 64 hex digits. A value of any other form on the queue did not
 * come from Amazon, so it is never stored, nor registered for masking.
 */
export const SECRET_FORMAT = /^amzn1\.oa2-cs\.v1\.[0-9a-fA-F]{64}$/

export const isSecretFormat = (value: string): boolean => SECRET_FORMAT.test(value)

export interface NewSecret {
  kind: 'new-secret'
  clientId: string
  newSecret: string
  eventTime: Date
  newSecretExpiresAt: string
  oldSecretExpiresAt: string
  /** notificationMetadata.notificationId: the same for every copy of one notification. */
  notificationId: string | undefined
}

export type Notification =
  | NewSecret
  /** Amazon's warning that the current secret expires at `expiresAt`. */
  | { kind: 'secret-expiry'; clientId: string; expiresAt: Date; eventTime: Date }
  /** A well-formed notification of another type. */
  | { kind: 'other'; type: string; clientId: string | undefined }
  /**
   * A new-secret notification that names a client id but fails strict parsing: what could be read of it,
   * so that one for this client is never mistaken for someone else's.
   */
  | UnreadableNewSecret
  /** Not JSON, not a notification, or a new-secret notification without a client id. */
  | { kind: 'invalid'; reason: string }

export interface UnreadableNewSecret {
  kind: 'new-secret-unreadable'
  clientId: string
  newSecret: string | undefined
  eventTime: Date | undefined
  reason: string
}

// ISO 8601 date-time with a zone (Z or an offset), as Amazon's samples show.
const Timestamp = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/),
  v.check((text) => !Number.isNaN(Date.parse(text))),
)

const Envelope = v.object({
  notificationType: v.pipe(v.string(), v.nonEmpty()),
  eventTime: v.optional(v.string()),
  payload: v.optional(v.record(v.string(), v.unknown())),
})

const NewSecretPayload = v.object({
  eventTime: Timestamp,
  notificationMetadata: v.fallback(v.optional(v.object({ notificationId: v.optional(v.string()) })), undefined),
  payload: v.object({
    applicationOAuthClientNewSecret: v.object({
      clientId: v.pipe(v.string(), v.nonEmpty()),
      newClientSecret: v.pipe(v.string(), v.nonEmpty()),
      newClientSecretExpiryTime: Timestamp,
      oldClientSecretExpiryTime: Timestamp,
    }),
  }),
})

const SecretExpiryPayload = v.object({
  eventTime: Timestamp,
  payload: v.object({
    applicationOAuthClientSecretExpiry: v.object({
      clientId: v.pipe(v.string(), v.nonEmpty()),
      clientSecretExpiryTime: Timestamp,
    }),
  }),
})

/** What can still be read of a new-secret notification that fails the strict shape. */
const PartialNewSecret = v.object({
  eventTime: v.fallback(v.optional(v.string()), undefined),
  payload: v.fallback(
    v.optional(
      v.object({
        applicationOAuthClientNewSecret: v.fallback(
          v.optional(
            v.object({
              clientId: v.fallback(v.optional(v.string()), undefined),
              newClientSecret: v.fallback(v.optional(v.string()), undefined),
            }),
          ),
          undefined,
        ),
      }),
    ),
    undefined,
  ),
})

const SnsEnvelope = v.object({ Type: v.literal('Notification'), Message: v.string() })

export function parseNotification(body: string): Notification {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { kind: 'invalid', reason: 'the body is not JSON' }
  }
  // Amazon sends the notification itself; unwrap it when a user fans it out through SNS without raw delivery.
  const sns = v.safeParse(SnsEnvelope, json)
  if (sns.success) return parseNotification(sns.output.Message)

  const envelope = v.safeParse(Envelope, json)
  if (!envelope.success) return { kind: 'invalid', reason: 'it is not an SP-API notification (no notificationType)' }
  const { notificationType, payload } = envelope.output
  if (notificationType === SECRET_EXPIRY) {
    const expiry = v.safeParse(SecretExpiryPayload, json)
    if (expiry.success) {
      const { clientId, clientSecretExpiryTime } = expiry.output.payload.applicationOAuthClientSecretExpiry
      return { kind: 'secret-expiry', clientId, expiresAt: new Date(clientSecretExpiryTime), eventTime: new Date(expiry.output.eventTime) }
    }
  }
  if (notificationType !== NEW_SECRET) {
    return { kind: 'other', type: remoteText(notificationType, 80), clientId: clientIdOf(payload) }
  }

  const parsed = v.safeParse(NewSecretPayload, json)
  if (!parsed.success) {
    // Name the fields only: an issue's input could be the secret itself. Field names are the sender's text.
    const fields = parsed.issues.map((issue) => v.getDotPath(issue) ?? '(root)')
    const reason = remoteText(`a ${NEW_SECRET} notification with missing or malformed ${[...new Set(fields)].join(', ')}`)
    const partial = v.safeParse(PartialNewSecret, json)
    const inner = partial.success ? partial.output.payload?.applicationOAuthClientNewSecret : undefined
    if (!inner?.clientId) return { kind: 'invalid', reason }
    const eventTime = partial.success && partial.output.eventTime ? new Date(partial.output.eventTime) : undefined
    return {
      kind: 'new-secret-unreadable',
      clientId: inner.clientId,
      newSecret: inner.newClientSecret,
      eventTime: eventTime && !Number.isNaN(eventTime.getTime()) ? eventTime : undefined,
      reason,
    }
  }
  const n = parsed.output.payload.applicationOAuthClientNewSecret
  return {
    kind: 'new-secret',
    clientId: n.clientId,
    newSecret: n.newClientSecret,
    eventTime: new Date(parsed.output.eventTime),
    newSecretExpiresAt: new Date(n.newClientSecretExpiryTime).toISOString(),
    oldSecretExpiresAt: new Date(n.oldClientSecretExpiryTime).toISOString(),
    notificationId: parsed.output.notificationMetadata?.notificationId,
  }
}

/** Payloads nest one object named after the type (applicationOAuthClientSecretExpiry, …) holding clientId. */
function clientIdOf(payload: Record<string, unknown> | undefined): string | undefined {
  for (const inner of Object.values(payload ?? {})) {
    if (inner && typeof inner === 'object' && 'clientId' in inner && typeof inner.clientId === 'string') return inner.clientId
  }
  return undefined
}
