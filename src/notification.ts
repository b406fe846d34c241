/**
 * SP-API notifications as they arrive on the queue: classify a message body without ever putting the
 * secret it may carry into an error text. Pure: no I/O.
 */
import * as v from 'valibot'

export const NEW_SECRET = 'APPLICATION_OAUTH_CLIENT_NEW_SECRET'

export interface NewSecret {
  kind: 'new-secret'
  clientId: string
  newSecret: string
  eventTime: Date
  newSecretExpiresAt: string
  oldSecretExpiresAt: string
}

export type Notification =
  | NewSecret
  /** A well-formed notification of another type (an expiry warning, say). */
  | { kind: 'other'; type: string; clientId: string | undefined }
  /** Not JSON, not a notification, or a new-secret notification missing a field. */
  | { kind: 'invalid'; reason: string }

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
  payload: v.object({
    applicationOAuthClientNewSecret: v.object({
      clientId: v.pipe(v.string(), v.nonEmpty()),
      newClientSecret: v.pipe(v.string(), v.nonEmpty()),
      newClientSecretExpiryTime: Timestamp,
      oldClientSecretExpiryTime: Timestamp,
    }),
  }),
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
  if (notificationType !== NEW_SECRET) {
    return { kind: 'other', type: notificationType, clientId: clientIdOf(payload) }
  }

  const parsed = v.safeParse(NewSecretPayload, json)
  if (!parsed.success) {
    // Name the fields only: an issue's input could be the secret itself.
    const fields = parsed.issues.map((issue) => v.getDotPath(issue) ?? '(root)')
    return { kind: 'invalid', reason: `a ${NEW_SECRET} notification with missing or malformed ${[...new Set(fields)].join(', ')}` }
  }
  const n = parsed.output.payload.applicationOAuthClientNewSecret
  return {
    kind: 'new-secret',
    clientId: n.clientId,
    newSecret: n.newClientSecret,
    eventTime: new Date(parsed.output.eventTime),
    newSecretExpiresAt: new Date(n.newClientSecretExpiryTime).toISOString(),
    oldSecretExpiresAt: new Date(n.oldClientSecretExpiryTime).toISOString(),
  }
}

/** Payloads nest one object named after the type (applicationOAuthClientSecretExpiry, …) holding clientId. */
function clientIdOf(payload: Record<string, unknown> | undefined): string | undefined {
  for (const inner of Object.values(payload ?? {})) {
    if (inner && typeof inner === 'object' && 'clientId' in inner && typeof inner.clientId === 'string') return inner.clientId
  }
  return undefined
}
