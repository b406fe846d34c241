// Amazon simulator: the Login with Amazon token endpoint and the SP-API Application Management API
// (rotateApplicationClientSecret, v2023-11-30), on one loopback HTTP server. New secrets are delivered the way
// Amazon does it: never in the HTTP response, only as an APPLICATION_OAUTH_CLIENT_NEW_SECRET message on the
// application's SQS queue (here a fauxqs queue). Behaviour follows Amazon's SP-API documentation on
// client secret rotation and the verbatim model test/specs/application_2023-11-30.json.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import {
  FaultQueue,
  header,
  mediaType,
  mergeHeaders,
  serveFault,
  startLoopbackServer,
  type Fault,
  type HandlerResult,
  type LoopbackServer,
  type RecordedRequest,
  type SimRequest,
  type SimResponse,
} from './http.ts'

export type { Fault, RecordedRequest } from './http.ts'

export interface AmazonSimOptions {
  /** Client pointed at fauxqs, used to deliver notifications. */
  sqs: SQSClient
  /** Delay between a 204 rotate and the SendMessage (default 200). */
  notificationDelayMs?: number
  /** A new secret is rejected (invalid_client) until this long after rotation (default 0). */
  activationDelayMs?: number
  /** Min time between two accepted (204) rotate calls per application (default 60_000; burst 1) -> 429 otherwise. */
  usagePlanIntervalMs?: number
  /** Delay every answer by this long, as a network round trip would (default 0). A delivery's delay runs from the rotate's arrival. */
  latencyMs?: number
  /** Extra copies of each rotation's notification (at-least-once delivery; default 0). */
  duplicateDeliveries?: number
  /** Copy n of a notification is sent n times this long after the first (default 0). */
  duplicateDelayMs?: number
}

/** One rotation Amazon accepted (204): what it issued and what became of its notification. */
export interface RotationRecord {
  clientId: string
  /** The secret it issued. Test data: assert on it, never print it. */
  secret: string
  /** Date.now() when Amazon accepted it. */
  at: number
  /** pending: not on the queue yet; delivered: the first copy is on the queue; dropped: never sent (dropNextDelivery). */
  delivery: 'pending' | 'delivered' | 'dropped'
  /** When the first and the last copy reached the queue. */
  deliveredAt?: number
  lastDeliveredAt?: number
}

export interface AmazonSim {
  /** http://127.0.0.1:PORT */
  url: string
  /** `${url}/auth/o2/token` */
  lwaEndpoint: string
  /** `url`; the rotate path is /applications/2023-11-30/clientSecret */
  spApiEndpoint: string
  requests: RecordedRequest[]
  /** queueUrl undefined = not enrolled for the "Application Client New Secret" notification -> 400 on rotate. */
  addApplication(a: { clientId: string; secret: string; refreshToken?: string | undefined; queueUrl?: string | undefined }): void
  /** Where the application's notifications go from now on (a subscription changed in the Developer Console). */
  subscribe(clientId: string, queueUrl: string | undefined): void
  /** Every rotate request that reached the handler (faults and all statuses) for that client, or for all. */
  rotateCalls(clientId?: string): number
  /** Successful (204) rotations. */
  rotations(clientId: string): number
  /** Newest issued secret. */
  currentSecret(clientId: string): string
  /** Secrets LWA accepts right now. */
  validSecrets(clientId: string): string[]
  /** When true, secrets issued after addApplication (by rotation or sendNotification) are never accepted by LWA. */
  rejectNewSecrets: boolean
  /** Queued faults, consumed in order; each serves `times` requests (default 1). */
  failNext(endpoint: 'token' | 'rotate', fault: Fault): void
  /** Puts a new-secret message on the app's queue directly and makes that secret valid at once; returns it. */
  sendNotification(clientId: string, opts?: { eventTime?: Date; secret?: string }): Promise<string>
  /**
   * Every credential value the simulator knows (client secrets, initial and issued; refresh tokens; access
   * tokens): what a leak check must never find in a run's output.
   */
  issued(): string[]
  /** Errors from notification deliveries scheduled by rotate calls (they run on a timer, nobody awaits them). */
  deliveryErrors: unknown[]
  /** Every rotation Amazon accepted, in order. */
  rotationLog: RotationRecord[]
  /** Calls `listener` the moment Amazon accepts a rotation, before its answer is sent. */
  onRotation(listener: (record: RotationRecord) => void): void
  /** The next rotation accepted for this client is never delivered: Amazon answers 204, and no message follows. */
  dropNextDelivery(clientId: string): void
  /** The next rotation Amazon accepts (a secret is issued and delivered) is answered with `fault` instead of 204. */
  failNextAccepted(fault: Fault): void
  /** Drops the faults queued by failNext and failNextAccepted, and the drops of dropNextDelivery not used yet. */
  clearFaults(): void
  /** Resolves once no notification of a rotation is waiting to be sent or being sent. */
  deliveriesSettled(): Promise<void>
  /** Closes the server, clears pending timers (undelivered notifications are dropped), destroys hung sockets. */
  close(): Promise<void>
}

export const ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation'
export const ROTATE_PATH = '/applications/2023-11-30/clientSecret'
export const TOKEN_PATH = '/auth/o2/token'
/** The usage plan rate the model documents (requests per second), sent as x-amzn-RateLimit-Limit. */
const RATE_LIMIT = '0.0167'
const DAY_MS = 24 * 60 * 60 * 1000
/** The previous secret keeps working this long after a rotation. */
const OLD_SECRET_LIFETIME_MS = 7 * DAY_MS
const NEW_SECRET_LIFETIME_MS = 180 * DAY_MS
const TOKEN_LIFETIME_S = 3600
/** Rotate bodies are tiny ({} at most); anything this big gets 413. */
const MAX_ROTATE_BODY_BYTES = 64 * 1024
/** Bound on one SendMessage to the (local) queue. */
const SEND_TIMEOUT_MS = 5000

interface IssuedSecret {
  value: string
  /** Not accepted before this time (activationDelayMs after a rotation). */
  validFrom: number
  /** Not accepted from this time on (7 days after the next rotation). */
  validUntil: number
  /** False only for the secret given to addApplication: rejectNewSecrets applies to all others. */
  issuedLater: boolean
}

interface Application {
  clientId: string
  queueUrl: string | undefined
  secrets: IssuedSecret[]
  /** When the last 204 rotate was accepted (usage plan). */
  lastAcceptedRotate: number | undefined
  rotations: number
}

interface IssuedToken {
  clientId: string
  kind: 'rotation' | 'seller'
  expiresAt: number
}

/** Builds the body of an APPLICATION_OAUTH_CLIENT_NEW_SECRET notification, field for field as Amazon's sample. */
export function newSecretNotification(p: { clientId: string; secret: string; eventTime: Date }): string {
  const t = p.eventTime.getTime()
  return JSON.stringify({
    notificationVersion: '1.0',
    notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET',
    payloadVersion: '2023-11-30',
    eventTime: p.eventTime.toISOString(),
    payload: {
      applicationOAuthClientNewSecret: {
        clientId: p.clientId,
        newClientSecret: p.secret,
        newClientSecretExpiryTime: new Date(t + NEW_SECRET_LIFETIME_MS).toISOString(),
        oldClientSecretExpiryTime: new Date(t + OLD_SECRET_LIFETIME_MS).toISOString(),
      },
    },
    notificationMetadata: metadata(p.clientId, t),
  })
}

/** Builds the body of an APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY notification, field for field as Amazon's sample. */
export function expiryNotification(p: { clientId: string; eventTime: Date; expiresAt: Date }): string {
  return JSON.stringify({
    notificationVersion: '1.0',
    notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY',
    payloadVersion: '2023-11-30',
    eventTime: p.eventTime.toISOString(),
    payload: {
      applicationOAuthClientSecretExpiry: {
        clientId: p.clientId,
        clientSecretExpiryTime: p.expiresAt.toISOString(),
        clientSecretExpiryReason: 'PERIODIC_ROTATION',
      },
    },
    notificationMetadata: metadata(p.clientId, p.eventTime.getTime()),
  })
}

function metadata(clientId: string, eventTime: number): Record<string, string> {
  return {
    applicationId: applicationIdFor(clientId),
    subscriptionId: randomUUID(),
    // Amazon publishes a moment after the event; never before it.
    publishTime: new Date(Math.max(Date.now(), eventTime)).toISOString(),
    notificationId: randomUUID(),
  }
}

/** The SP-API application id belonging to a client id: stable, so several notifications of one app agree. */
function applicationIdFor(clientId: string): string {
  const h = createHash('sha256').update(clientId).digest('hex')
  return `amzn1.sp.solution.${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

const newSecretValue = (): string => `amzn1.oa2-cs.v1.${randomBytes(32).toString('hex')}`
const newAccessToken = (): string => `Atza|${randomBytes(96).toString('base64url')}`

/** LWA answers errors in the OAuth 2.0 shape. */
function lwaError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } }
}

/** SP-API error body (ErrorList in the model). */
function spErrors(status: number, code: string, message: string, details?: string): SimResponse {
  return { status, body: { errors: [details === undefined ? { code, message } : { code, message, details }] } }
}

export async function startAmazonSim(opts: AmazonSimOptions): Promise<AmazonSim> {
  const notificationDelayMs = opts.notificationDelayMs ?? 200
  const activationDelayMs = opts.activationDelayMs ?? 0
  const usagePlanIntervalMs = opts.usagePlanIntervalMs ?? 60_000

  const apps = new Map<string, Application>()
  const tokens = new Map<string, IssuedToken>()
  const refreshTokens = new Map<string, string>() // refresh token -> client id
  const faults = new FaultQueue<'token' | 'rotate'>()
  /** Client id per rotate request (undefined when the token named no known client). */
  const rotateLog: (string | undefined)[] = []
  const deliveries = new Set<Promise<void>>()
  const deliveryErrors: unknown[] = []
  const rotationLog: RotationRecord[] = []
  const rotationListeners: Array<(record: RotationRecord) => void> = []
  const drops = new Set<string>()
  const acceptedFaults = new FaultQueue<'accepted'>()
  /** Notifications scheduled on a timer and not sent yet. */
  let scheduled = 0
  let closed = false

  const app = (clientId: string): Application => {
    const a = apps.get(clientId)
    if (!a) throw new Error(`amazon sim: unknown client id ${clientId}`)
    return a
  }

  const isValid = (s: IssuedSecret, now: number): boolean =>
    s.validFrom <= now && now < s.validUntil && !(s.issuedLater && sim.rejectNewSecrets)

  /** Adds a secret; every secret valid so far then expires OLD_SECRET_LIFETIME_MS from now (if not sooner). */
  const issueSecret = (a: Application, value: string, validFrom: number): void => {
    const now = Date.now()
    for (const s of a.secrets) s.validUntil = Math.min(s.validUntil, now + OLD_SECRET_LIFETIME_MS)
    a.secrets.push({ value, validFrom, validUntil: Number.POSITIVE_INFINITY, issuedLater: true })
  }

  const authenticate = (clientId: string | null, secret: string | null): Application | undefined => {
    if (clientId === null || secret === null) return undefined
    const a = apps.get(clientId)
    const now = Date.now()
    return a?.secrets.some((s) => s.value === secret && isValid(s, now)) ? a : undefined
  }

  const liveToken = (req: SimRequest): IssuedToken | undefined => {
    const value = header(req.headers, 'x-amz-access-token')
    const t = value === undefined ? undefined : tokens.get(value)
    return t && t.expiresAt > Date.now() ? t : undefined
  }

  const deliver = (a: Application, queueUrl: string, secret: string, eventTime: Date, body?: string): Promise<void> => {
    const p = opts.sqs
      .send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body ?? newSecretNotification({ clientId: a.clientId, secret, eventTime }),
        }),
        { abortSignal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
      )
      .then(() => undefined)
    const tracked = p.finally(() => deliveries.delete(tracked))
    deliveries.add(tracked)
    return tracked
  }

  const handleToken = (req: SimRequest): SimResponse => {
    if (req.method !== 'POST') return lwaError(405, 'invalid_request', 'The request method must be POST')
    if (mediaType(req.headers) !== 'application/x-www-form-urlencoded') {
      return lwaError(400, 'invalid_request', 'The Content-Type must be application/x-www-form-urlencoded')
    }
    const form = new URLSearchParams(req.body)
    const grantType = form.get('grant_type')
    const scope = form.get('scope')
    const refreshToken = form.get('refresh_token')
    if (grantType === null) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : grant_type')
    if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
      return lwaError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server')
    }
    // LWA refuses a request that names both a scope (grantless) and a refresh token (seller).
    if (scope !== null && refreshToken !== null) {
      return lwaError(400, 'invalid_request', 'The request has an invalid parameter : scope')
    }
    for (const p of ['client_id', 'client_secret'] as const) {
      if (!form.get(p)) return lwaError(400, 'invalid_request', `The request is missing a required parameter : ${p}`)
    }
    const a = authenticate(form.get('client_id'), form.get('client_secret'))
    if (!a) return lwaError(401, 'invalid_client', 'Client authentication failed')

    const accessToken = newAccessToken()
    const expiresAt = Date.now() + TOKEN_LIFETIME_S * 1000
    if (grantType === 'client_credentials') {
      if (scope === null) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : scope')
      if (scope !== ROTATION_SCOPE) return lwaError(400, 'invalid_scope', 'An unknown scope was requested')
      tokens.set(accessToken, { clientId: a.clientId, kind: 'rotation', expiresAt })
      return { status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: TOKEN_LIFETIME_S } }
    }
    if (refreshToken === null) return lwaError(400, 'invalid_request', 'The request is missing a required parameter : refresh_token')
    // A refresh token belongs to a client id (not to a secret), so it survives rotations.
    if (refreshTokens.get(refreshToken) !== a.clientId) {
      return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token')
    }
    tokens.set(accessToken, { clientId: a.clientId, kind: 'seller', expiresAt })
    return {
      status: 200,
      body: { access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer', expires_in: TOKEN_LIFETIME_S },
    }
  }

  const handleRotate = (req: SimRequest): SimResponse => {
    if (req.method !== 'POST') return spErrors(404, 'NotFound', 'Resource not found.')
    const token = liveToken(req)
    // Seller (refresh-token) tokens, expired and unknown tokens all get the same 403.
    if (!token || token.kind !== 'rotation') {
      return spErrors(403, 'Unauthorized', 'Access to requested resource is denied.', '')
    }
    if (req.bodyTooLarge || Buffer.byteLength(req.body) > MAX_ROTATE_BODY_BYTES) {
      return spErrors(413, 'RequestEntityTooLarge', 'The request size exceeded the maximum accepted size.')
    }
    if (req.body.length > 0) {
      if (mediaType(req.headers) !== 'application/json') {
        return spErrors(415, 'UnsupportedMediaType', 'The request payload is in an unsupported format.')
      }
      if (!isEmptyJsonObjectOrBlank(req.body)) {
        return spErrors(400, 'InvalidInput', 'The request body is invalid: this operation takes no body (or {}).')
      }
    }
    const a = app(token.clientId)
    const now = Date.now()
    if (a.lastAcceptedRotate !== undefined && now - a.lastAcceptedRotate < usagePlanIntervalMs) {
      return spErrors(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.')
    }
    if (a.queueUrl === undefined) {
      return {
        ...spErrors(
          400,
          'InvalidInput',
          'Application is not enrolled for rotation notification. Please update application notification preference in Developer console.',
        ),
        headers: { 'x-amzn-RateLimit-Limit': RATE_LIMIT },
      }
    }
    a.lastAcceptedRotate = now
    a.rotations += 1
    const secret = newSecretValue()
    issueSecret(a, secret, now + activationDelayMs)
    const queueUrl = a.queueUrl
    const eventTime = new Date(now)
    const record: RotationRecord = { clientId: a.clientId, secret, at: now, delivery: drops.delete(a.clientId) ? 'dropped' : 'pending' }
    rotationLog.push(record)
    if (record.delivery === 'pending') {
      // Every copy carries the notification the first one did (same notificationId), as a duplicate delivery of SQS does.
      let body: string | undefined
      const copies = 1 + (opts.duplicateDeliveries ?? 0)
      for (let n = 0; n < copies; n++) {
        scheduled++
        server.later(notificationDelayMs + n * (opts.duplicateDelayMs ?? 0), () => {
          scheduled--
          body ??= newSecretNotification({ clientId: a.clientId, secret, eventTime })
          deliver(a, queueUrl, secret, eventTime, body)
            .then(() => {
              if (record.delivery === 'pending') Object.assign(record, { delivery: 'delivered', deliveredAt: Date.now() })
              record.lastDeliveredAt = Date.now()
            })
            .catch((err: unknown) => deliveryErrors.push(err))
        })
      }
    }
    for (const listener of rotationListeners) listener(record)
    return { status: 204, headers: { 'x-amzn-RateLimit-Limit': RATE_LIMIT } }
  }

  const handle = async (req: SimRequest): Promise<HandlerResult> => {
    let result: HandlerResult
    let contentType = 'application/json'
    if (req.pathname === TOKEN_PATH) {
      contentType = 'application/json;charset=UTF-8'
      const fault = faults.take((e) => e === 'token')
      result = fault ? await serveFault(server, fault, {}) : handleToken(req)
    } else if (req.pathname === ROTATE_PATH) {
      rotateLog.push(liveToken(req)?.clientId)
      const fault = faults.take((e) => e === 'rotate')
      result = fault ? await serveFault(server, fault, {}) : handleRotate(req)
      // Amazon acted on it, but the answer that reaches the caller is another (a lost or failed response).
      const lost = result !== 'hang' && result.status === 204 ? acceptedFaults.take(() => true) : undefined
      if (lost) result = await serveFault(server, lost, {})
    } else {
      result = spErrors(404, 'NotFound', 'Resource not found.')
    }
    if (result === 'hang') return result
    const base: Record<string, string> = { 'x-amzn-RequestId': randomUUID() }
    if (result.body !== undefined) base['content-type'] = contentType
    // Fault headers win over the defaults, whatever their letter case.
    return { ...result, headers: mergeHeaders(base, result.headers) }
  }

  const server: LoopbackServer = await startLoopbackServer(handle, { latencyMs: opts.latencyMs ?? 0 })

  const sim: AmazonSim = {
    url: server.url,
    lwaEndpoint: `${server.url}${TOKEN_PATH}`,
    spApiEndpoint: server.url,
    requests: server.requests,
    rejectNewSecrets: false,
    deliveryErrors,
    rotationLog,
    onRotation(listener) {
      rotationListeners.push(listener)
    },
    dropNextDelivery(clientId) {
      drops.add(clientId)
    },
    failNextAccepted(fault) {
      acceptedFaults.add('accepted', fault)
    },
    clearFaults() {
      faults.clear()
      acceptedFaults.clear()
      drops.clear()
    },
    async deliveriesSettled() {
      // Timers first (each becomes a send when it fires), then the sends; a closed sim has none left.
      while (scheduled > 0 && !closed) await new Promise((resolve) => setTimeout(resolve, 50))
      await Promise.allSettled([...deliveries])
    },
    subscribe(clientId, queueUrl) {
      app(clientId).queueUrl = queueUrl
    },
    addApplication({ clientId, secret, refreshToken, queueUrl }) {
      if (apps.has(clientId)) throw new Error(`amazon sim: client id ${clientId} already added`)
      apps.set(clientId, {
        clientId,
        queueUrl,
        secrets: [{ value: secret, validFrom: 0, validUntil: Number.POSITIVE_INFINITY, issuedLater: false }],
        lastAcceptedRotate: undefined,
        rotations: 0,
      })
      if (refreshToken !== undefined) refreshTokens.set(refreshToken, clientId)
    },
    rotateCalls(clientId) {
      return clientId === undefined ? rotateLog.length : rotateLog.filter((c) => c === clientId).length
    },
    rotations: (clientId) => app(clientId).rotations,
    currentSecret: (clientId) => app(clientId).secrets.at(-1)!.value,
    validSecrets(clientId) {
      const now = Date.now()
      return app(clientId)
        .secrets.filter((s) => isValid(s, now))
        .map((s) => s.value)
    },
    issued() {
      return [...[...apps.values()].flatMap((a) => a.secrets.map((s) => s.value)), ...refreshTokens.keys(), ...tokens.keys()]
    },
    failNext(endpoint, fault) {
      faults.add(endpoint, fault)
    },
    async sendNotification(clientId, o = {}) {
      const a = app(clientId)
      if (a.queueUrl === undefined) throw new Error(`amazon sim: ${clientId} has no queue`)
      const secret = o.secret ?? newSecretValue()
      issueSecret(a, secret, Date.now())
      await deliver(a, a.queueUrl, secret, o.eventTime ?? new Date())
      return secret
    },
    async close() {
      closed = true
      await server.close()
      // Deliveries already sent to fauxqs finish (or fail) on their own; wait so nothing outlives the sim.
      await Promise.allSettled([...deliveries])
    },
  }
  return sim
}

/** True for '{}' (any whitespace) and for a body of only whitespace. */
function isEmptyJsonObjectOrBlank(body: string): boolean {
  if (body.trim() === '') return true
  try {
    const v: unknown = JSON.parse(body)
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0
  } catch {
    return false
  }
}
