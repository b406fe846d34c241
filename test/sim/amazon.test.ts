// Proves the Amazon simulator behaves as LWA + the Application Management API do (see test/sim/amazon.ts),
// with real HTTP requests and a real (fauxqs) SQS queue.
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { startFauxqs, type FauxqsServer } from 'fauxqs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { expiryNotification, newSecretNotification, ROTATE_PATH, ROTATION_SCOPE, startAmazonSim, type AmazonSim } from './amazon.ts'

const DAY = 24 * 60 * 60 * 1000
const SECRET_RE = /^amzn1\.oa2-cs\.v1\.[0-9a-f]{64}$/
/** Upper bound for any single HTTP exchange with a simulator. */
const HTTP_TIMEOUT_MS = 2000

// The project default (vitest.config.ts) is generous for e2e runs; these tests are fast, so fail fast.
vi.setConfig({ testTimeout: 5000, hookTimeout: 5000 })

let fauxqs: FauxqsServer
let sqs: SQSClient
let sim: AmazonSim
let queueSeq = 0

/** A fresh queue per test, so no test sees another's messages. */
function newQueue(): string {
  return fauxqs.createQueue(`amazon-sim-${++queueSeq}`).queueUrl
}

/** Receives (and deletes) the messages on a queue, waiting at most `waitSeconds` for the first. */
async function receive(queueUrl: string, waitSeconds = 2): Promise<string[]> {
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: waitSeconds, MaxNumberOfMessages: 10 }), {
    abortSignal: AbortSignal.timeout(waitSeconds * 1000 + HTTP_TIMEOUT_MS),
  })
  const bodies: string[] = []
  for (const m of r.Messages ?? []) {
    bodies.push(m.Body ?? '')
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }), {
      abortSignal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    })
  }
  return bodies
}

function tokenRequest(
  s: AmazonSim,
  form: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded;charset=UTF-8',
): Promise<Response> {
  return fetch(s.lwaEndpoint, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  })
}

async function rotationToken(s: AmazonSim, clientId: string, secret: string): Promise<string> {
  const r = await tokenRequest(s, { grant_type: 'client_credentials', scope: ROTATION_SCOPE, client_id: clientId, client_secret: secret })
  expect(r.status).toBe(200)
  return ((await r.json()) as { access_token: string }).access_token
}

function rotate(s: AmazonSim, token: string | undefined, init: { body?: string; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {}
  if (token !== undefined) headers['x-amz-access-token'] = token
  if (init.contentType !== undefined) headers['content-type'] = init.contentType
  return fetch(`${s.spApiEndpoint}${ROTATE_PATH}`, {
    method: 'POST',
    headers,
    body: init.body ?? null,
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  })
}

/** Adds an application with its own queue; returns the names used. */
function app(s: AmazonSim, name: string, opts: { enrolled?: boolean; refreshToken?: string } = {}) {
  const a = {
    clientId: `amzn1.application-oa2-client.${name}`,
    secret: `amzn1.oa2-cs.v1.${name.padEnd(64, '0').slice(0, 64)}`,
    queueUrl: opts.enrolled === false ? undefined : newQueue(),
  }
  s.addApplication({ ...a, ...(opts.refreshToken !== undefined && { refreshToken: opts.refreshToken }) })
  return a
}

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false })
  sqs = new SQSClient({
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
  sim = await startAmazonSim({ sqs, notificationDelayMs: 20 })
})

afterAll(async () => {
  await sim?.close()
  sqs?.destroy()
  await fauxqs?.stop()
})

describe('LWA token endpoint', () => {
  it('issues a grantless rotation token for the right scope', async () => {
    const a = app(sim, 'tok1')
    const r = await tokenRequest(sim, {
      grant_type: 'client_credentials',
      scope: ROTATION_SCOPE,
      client_id: a.clientId,
      client_secret: a.secret,
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy()
    const body = (await r.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type'])
    expect(body.access_token).toMatch(/^Atza\|/)
    expect(body.token_type).toBe('bearer')
    expect(body.expires_in).toBe(3600)
  })

  it('accepts the form content type without a charset', async () => {
    const a = app(sim, 'tok2')
    const r = await tokenRequest(
      sim,
      { grant_type: 'client_credentials', scope: ROTATION_SCOPE, client_id: a.clientId, client_secret: a.secret },
      'application/x-www-form-urlencoded',
    )
    expect(r.status).toBe(200)
  })

  it('rejects the plural scope and other scopes with 400 invalid_scope', async () => {
    const a = app(sim, 'tok3')
    for (const scope of ['sellingpartnerapi::client_credentials:rotation', 'sellingpartnerapi::notifications', `${ROTATION_SCOPE} x`]) {
      const r = await tokenRequest(sim, { grant_type: 'client_credentials', scope, client_id: a.clientId, client_secret: a.secret })
      expect(r.status).toBe(400)
      expect(((await r.json()) as { error: string }).error).toBe('invalid_scope')
    }
  })

  it('rejects scope together with refresh_token with 400 invalid_request', async () => {
    const a = app(sim, 'tok4', { refreshToken: 'Atzr|tok4' })
    const r = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|tok4',
      scope: ROTATION_SCOPE,
      client_id: a.clientId,
      client_secret: a.secret,
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('answers 401 invalid_client for a wrong secret and for an unknown client', async () => {
    const a = app(sim, 'tok5')
    for (const [clientId, secret] of [
      [a.clientId, 'amzn1.oa2-cs.v1.wrong'],
      ['amzn1.application-oa2-client.nobody', a.secret],
    ] as const) {
      const r = await tokenRequest(sim, {
        grant_type: 'client_credentials',
        scope: ROTATION_SCOPE,
        client_id: clientId,
        client_secret: secret,
      })
      expect(r.status).toBe(401)
      expect(await r.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' })
    }
  })

  it('rejects a JSON body: the endpoint takes form encoding only', async () => {
    const a = app(sim, 'tok6')
    const r = await fetch(sim.lwaEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', scope: ROTATION_SCOPE, client_id: a.clientId, client_secret: a.secret }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('exchanges a known refresh token (seller token) and refuses an unknown one with invalid_grant', async () => {
    const a = app(sim, 'tok7', { refreshToken: 'Atzr|tok7' })
    const ok = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|tok7',
      client_id: a.clientId,
      client_secret: a.secret,
    })
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as Record<string, unknown>
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, refresh_token: 'Atzr|tok7' })
    expect(body.access_token).toMatch(/^Atza\|/)

    const bad = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|other',
      client_id: a.clientId,
      client_secret: a.secret,
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_grant')
  })
})

describe('rotateApplicationClientSecret', () => {
  it('answers 204, then delivers the new secret on the queue; old and new secrets both work', async () => {
    const a = app(sim, 'rot1')
    const token = await rotationToken(sim, a.clientId, a.secret)
    const before = Date.now()
    const r = await rotate(sim, token)
    expect(r.status).toBe(204)
    expect(await r.text()).toBe('')
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy()
    expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('0.0167')
    expect(sim.rotations(a.clientId)).toBe(1)
    expect(sim.rotateCalls(a.clientId)).toBe(1)

    const newSecret = sim.currentSecret(a.clientId)
    expect(newSecret).toMatch(SECRET_RE)
    expect(newSecret).not.toBe(a.secret)
    expect(sim.validSecrets(a.clientId).sort()).toEqual([a.secret, newSecret].sort())

    const bodies = await receive(a.queueUrl!)
    expect(bodies).toHaveLength(1)
    const n = JSON.parse(bodies[0]!) as {
      notificationVersion: string
      notificationType: string
      payloadVersion: string
      eventTime: string
      payload: { applicationOAuthClientNewSecret: Record<string, string> }
      notificationMetadata: Record<string, string>
    }
    expect(n).toMatchObject({
      notificationVersion: '1.0',
      notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET',
      payloadVersion: '2023-11-30',
    })
    const p = n.payload.applicationOAuthClientNewSecret
    expect(p.clientId).toBe(a.clientId)
    expect(p.newClientSecret).toBe(newSecret)
    const eventTime = Date.parse(n.eventTime)
    expect(eventTime).toBeGreaterThanOrEqual(before)
    expect(Date.parse(p.newClientSecretExpiryTime!) - eventTime).toBe(180 * DAY)
    expect(Date.parse(p.oldClientSecretExpiryTime!) - eventTime).toBe(7 * DAY)
    expect(n.notificationMetadata.applicationId).toMatch(/^amzn1\.sp\.solution\./)
    expect(n.notificationMetadata.subscriptionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(n.notificationMetadata.notificationId).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.parse(n.notificationMetadata.publishTime!)).toBeGreaterThanOrEqual(eventTime)

    // LWA accepts both: the old secret lives on for 7 days.
    const t1 = await rotationToken(sim, a.clientId, newSecret)
    await rotationToken(sim, a.clientId, a.secret)
    expect(sim.deliveryErrors).toEqual([])
    // The leak-check list holds both secrets and the tokens.
    expect(sim.issued()).toEqual(expect.arrayContaining([a.secret, newSecret, token, t1]))
  })

  it('takes an empty JSON object as body', async () => {
    const a = app(sim, 'rot2')
    const token = await rotationToken(sim, a.clientId, a.secret)
    const r = await rotate(sim, token, { body: '{}', contentType: 'application/json' })
    expect(r.status).toBe(204)
    expect(await receive(a.queueUrl!)).toHaveLength(1)
  })

  it('enforces the usage plan per application with 429 QuotaExceeded', async () => {
    const a = app(sim, 'rot3')
    const b = app(sim, 'rot3b')
    const ta = await rotationToken(sim, a.clientId, a.secret)
    expect((await rotate(sim, ta)).status).toBe(204)
    const r = await rotate(sim, ta)
    expect(r.status).toBe(429)
    expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy()
    expect(await r.json()).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] })
    expect(sim.rotateCalls(a.clientId)).toBe(2)
    expect(sim.rotations(a.clientId)).toBe(1)
    // Another application has its own quota.
    expect((await rotate(sim, await rotationToken(sim, b.clientId, b.secret))).status).toBe(204)
  })

  it('answers 400 when the application is not enrolled for the notification', async () => {
    const a = app(sim, 'rot4', { enrolled: false })
    const r = await rotate(sim, await rotationToken(sim, a.clientId, a.secret))
    expect(r.status).toBe(400)
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy()
    expect(await r.json()).toEqual({
      errors: [
        {
          code: 'InvalidInput',
          message:
            'Application is not enrolled for rotation notification. Please update application notification preference in Developer console.',
        },
      ],
    })
    expect(sim.rotations(a.clientId)).toBe(0)
    expect(sim.validSecrets(a.clientId)).toEqual([a.secret])
  })

  it('answers 403 to a seller (refresh-token) token, to no token and to an unknown token', async () => {
    const a = app(sim, 'rot5', { refreshToken: 'Atzr|rot5' })
    const seller = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|rot5',
      client_id: a.clientId,
      client_secret: a.secret,
    })
    const sellerToken = ((await seller.json()) as { access_token: string }).access_token
    for (const token of [sellerToken, undefined, 'Atza|forged']) {
      const r = await rotate(sim, token)
      expect(r.status).toBe(403)
      expect(r.headers.get('content-type')).toMatch(/^application\/json/)
      expect(r.headers.get('x-amzn-requestid')).toBeTruthy()
      expect(await r.json()).toEqual({
        errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }],
      })
    }
    expect(sim.rotations(a.clientId)).toBe(0)
    // The seller token names this client, so that call is attributed to it; the other two to nobody.
    expect(sim.rotateCalls(a.clientId)).toBe(1)
  })

  it('answers 400 InvalidInput to a non-empty body and 415 to a non-JSON content type', async () => {
    const a = app(sim, 'rot6')
    const token = await rotationToken(sim, a.clientId, a.secret)
    const bad = await rotate(sim, token, { body: '{"clientId":"x"}', contentType: 'application/json' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('InvalidInput')
    const media = await rotate(sim, token, { body: '{}', contentType: 'text/plain' })
    expect(media.status).toBe(415)
    expect(media.headers.get('content-type')).toMatch(/^application\/json/)
    expect(sim.rotations(a.clientId)).toBe(0)
  })

  it('answers 404 with an errors body on unknown paths', async () => {
    const r = await fetch(`${sim.url}/applications/2023-11-30/other`, { method: 'POST', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })
    expect(r.status).toBe(404)
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy()
    expect(((await r.json()) as { errors: unknown[] }).errors).toHaveLength(1)
  })

  it('never accepts new secrets while rejectNewSecrets is set', async () => {
    const a = app(sim, 'rot7')
    expect((await rotate(sim, await rotationToken(sim, a.clientId, a.secret))).status).toBe(204)
    sim.rejectNewSecrets = true
    try {
      const newSecret = sim.currentSecret(a.clientId)
      expect(sim.validSecrets(a.clientId)).toEqual([a.secret])
      const r = await tokenRequest(sim, {
        grant_type: 'client_credentials',
        scope: ROTATION_SCOPE,
        client_id: a.clientId,
        client_secret: newSecret,
      })
      expect(r.status).toBe(401)
      expect(await r.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' })
      // The message still arrives: only LWA refuses the secret.
      const bodies = await receive(a.queueUrl!)
      expect(
        bodies.map(
          (b) =>
            (JSON.parse(b) as { payload: { applicationOAuthClientNewSecret: { newClientSecret: string } } }).payload
              .applicationOAuthClientNewSecret.newClientSecret,
        ),
      ).toEqual([newSecret])
    } finally {
      sim.rejectNewSecrets = false
    }
  })
})

describe('faults', () => {
  it('serves queued token faults in order, then answers normally', async () => {
    const a = app(sim, 'f1')
    sim.failNext('token', { status: 503, body: { error: 'temporarily_unavailable', error_description: 'try later' } })
    sim.failNext('token', { status: 500, body: 'oops', headers: { 'content-type': 'text/plain' }, times: 2 })
    const form = { grant_type: 'client_credentials', scope: ROTATION_SCOPE, client_id: a.clientId, client_secret: a.secret }
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await tokenRequest(sim, form)).status)
    expect(statuses).toEqual([503, 500, 500, 200])
  })

  it('serves rotate faults before the handler; they count as rotate calls but not as rotations', async () => {
    const a = app(sim, 'f2')
    const token = await rotationToken(sim, a.clientId, a.secret)
    const requestsBefore = sim.requests.length
    sim.failNext('rotate', { status: 503, body: { errors: [{ code: 'ServiceUnavailable', message: 'Try again' }] }, delayMs: 50 })
    const started = Date.now()
    const r = await rotate(sim, token)
    expect(r.status).toBe(503)
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy()
    expect(sim.requests.length).toBe(requestsBefore + 1)
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', path: ROTATE_PATH })
    expect(sim.rotateCalls(a.clientId)).toBe(1)
    expect(sim.rotations(a.clientId)).toBe(0)
    expect((await rotate(sim, token)).status).toBe(204)
    expect(sim.rotateCalls(a.clientId)).toBe(2)
    expect(sim.rotations(a.clientId)).toBe(1)
  })

  it('hangs when asked, so a client timeout fires; close() still ends promptly', async () => {
    const local = await startAmazonSim({ sqs })
    const a = app(local, 'f3')
    const token = await rotationToken(local, a.clientId, a.secret)
    local.failNext('rotate', { status: 200, hang: true })
    const err = await fetch(`${local.spApiEndpoint}${ROTATE_PATH}`, {
      method: 'POST',
      headers: { 'x-amz-access-token': token },
      signal: AbortSignal.timeout(150),
    }).catch((e: unknown) => e)
    expect((err as Error).name).toBe('TimeoutError')
    expect(local.rotateCalls(a.clientId)).toBe(1)

    // A second hung request is still open when close() runs: close() must not wait for it.
    local.failNext('token', { status: 200, hang: true })
    const pending = tokenRequest(local, { grant_type: 'client_credentials' }).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    await local.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await pending).toBeInstanceOf(Error)
  })
})

describe('the hooks of the fault soak', () => {
  it('logs each accepted rotation and tells listeners before answering; the record follows its delivery', async () => {
    const a = app(sim, 'h1')
    const seen: Array<{ delivery: string; answered: boolean }> = []
    let answered = false
    sim.onRotation((r) => {
      if (r.clientId === a.clientId) seen.push({ delivery: r.delivery, answered })
    })
    expect((await rotate(sim, await rotationToken(sim, a.clientId, a.secret))).status).toBe(204)
    answered = true
    expect(seen).toEqual([{ delivery: 'pending', answered: false }])
    await sim.deliveriesSettled()
    const record = sim.rotationLog.find((r) => r.clientId === a.clientId)!
    expect(record).toMatchObject({ secret: sim.currentSecret(a.clientId), delivery: 'delivered' })
    expect(record.deliveredAt).toBeGreaterThanOrEqual(record.at)
    expect(await receive(a.queueUrl!)).toHaveLength(1)
  })

  it('drops the delivery of the next rotation of one client: 204, a valid new secret, and no message', async () => {
    const a = app(sim, 'h2')
    sim.dropNextDelivery(a.clientId)
    expect((await rotate(sim, await rotationToken(sim, a.clientId, a.secret))).status).toBe(204)
    await sim.deliveriesSettled()
    expect(sim.rotationLog.find((r) => r.clientId === a.clientId)?.delivery).toBe('dropped')
    expect(sim.validSecrets(a.clientId)).toContain(sim.currentSecret(a.clientId))
    expect(await receive(a.queueUrl!, 1)).toEqual([])
  })

  it('sends duplicate copies of one notification, and settles once the last is on the queue', async () => {
    const local = await startAmazonSim({ sqs, notificationDelayMs: 0, duplicateDeliveries: 2, duplicateDelayMs: 30 })
    try {
      const a = app(local, 'h3')
      expect((await rotate(local, await rotationToken(local, a.clientId, a.secret))).status).toBe(204)
      await local.deliveriesSettled()
      const record = local.rotationLog[0]!
      expect(record.lastDeliveredAt).toBeGreaterThanOrEqual(record.deliveredAt!)
      const bodies = [...(await receive(a.queueUrl!)), ...(await receive(a.queueUrl!, 1))]
      expect(bodies).toHaveLength(3)
      expect(new Set(bodies).size).toBe(1)
    } finally {
      await local.close()
    }
  })

  it('answers an accepted rotation with a fault: the rotation stands and is delivered', async () => {
    const a = app(sim, 'h4')
    sim.failNextAccepted({ status: 500, body: { errors: [{ code: 'InternalFailure', message: 'injected' }] } })
    const token = await rotationToken(sim, a.clientId, a.secret)
    expect((await rotate(sim, token)).status).toBe(500)
    expect(sim.rotations(a.clientId)).toBe(1)
    expect(await receive(a.queueUrl!)).toHaveLength(1)
    // Not a rotation Amazon refused: the fault waits for one it accepts.
    sim.failNextAccepted({ status: 503 })
    expect((await rotate(sim, token)).status).toBe(429)
    sim.clearFaults()
  })

  it('clears queued faults, accepted-rotation faults and drops', async () => {
    const a = app(sim, 'h5')
    sim.failNext('token', { status: 503, times: 5 })
    sim.failNext('rotate', { status: 500 })
    sim.failNextAccepted({ status: 500 })
    sim.dropNextDelivery(a.clientId)
    sim.clearFaults()
    expect((await rotate(sim, await rotationToken(sim, a.clientId, a.secret))).status).toBe(204)
    await sim.deliveriesSettled()
    expect(await receive(a.queueUrl!)).toHaveLength(1)
  })
})

describe('activation delay', () => {
  it('rejects the new secret until activationDelayMs after the rotation', async () => {
    const local = await startAmazonSim({ sqs, notificationDelayMs: 0, activationDelayMs: 300 })
    try {
      const a = app(local, 'act1')
      expect((await rotate(local, await rotationToken(local, a.clientId, a.secret))).status).toBe(204)
      const newSecret = local.currentSecret(a.clientId)
      const form = { grant_type: 'client_credentials', scope: ROTATION_SCOPE, client_id: a.clientId, client_secret: newSecret }
      expect((await tokenRequest(local, form)).status).toBe(401)
      expect(local.validSecrets(a.clientId)).toEqual([a.secret])
      // The message may well arrive before the secret works: that is the case this option exists for.
      expect(await receive(a.queueUrl!)).toHaveLength(1)
      await new Promise((r) => setTimeout(r, 320))
      expect((await tokenRequest(local, form)).status).toBe(200)
      expect(local.validSecrets(a.clientId)).toContain(newSecret)
    } finally {
      await local.close()
    }
  })
})

describe('sendNotification and notification builders', () => {
  it('puts a new-secret message on the queue and makes the secret valid', async () => {
    const a = app(sim, 'n1')
    const eventTime = new Date('2030-01-10T22:09:17.456Z')
    const secret = await sim.sendNotification(a.clientId, { eventTime, secret: 'amzn1.oa2-cs.v1.given' })
    expect(secret).toBe('amzn1.oa2-cs.v1.given')
    expect(sim.currentSecret(a.clientId)).toBe(secret)
    expect(sim.validSecrets(a.clientId)).toContain(secret)
    expect(sim.rotations(a.clientId)).toBe(0)
    const [body] = await receive(a.queueUrl!, 1)
    const n = JSON.parse(body!) as { eventTime: string; payload: { applicationOAuthClientNewSecret: Record<string, string> } }
    expect(n.eventTime).toBe('2030-01-10T22:09:17.456Z')
    expect(n.payload.applicationOAuthClientNewSecret).toEqual({
      clientId: a.clientId,
      newClientSecret: secret,
      newClientSecretExpiryTime: '2030-07-09T22:09:17.456Z',
      oldClientSecretExpiryTime: '2030-01-17T22:09:17.456Z',
    })
    const generated = await sim.sendNotification(a.clientId)
    expect(generated).toMatch(SECRET_RE)
    expect(await receive(a.queueUrl!, 1)).toHaveLength(1)
  })

  it('builds both notification bodies with the fields of Amazon samples, in order', () => {
    const eventTime = new Date('2024-01-10T22:09:17.456Z')
    const n = JSON.parse(newSecretNotification({ clientId: 'c', secret: 's', eventTime })) as Record<string, unknown>
    expect(Object.keys(n)).toEqual([
      'notificationVersion',
      'notificationType',
      'payloadVersion',
      'eventTime',
      'payload',
      'notificationMetadata',
    ])
    expect(Object.keys(n.notificationMetadata as object)).toEqual(['applicationId', 'subscriptionId', 'publishTime', 'notificationId'])

    const e = JSON.parse(expiryNotification({ clientId: 'c', eventTime, expiresAt: new Date('2024-03-03T22:06:39.224Z') })) as {
      notificationType: string
      payloadVersion: string
      payload: unknown
    }
    expect(e.notificationType).toBe('APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY')
    expect(e.payloadVersion).toBe('2023-11-30')
    expect(e.payload).toEqual({
      applicationOAuthClientSecretExpiry: {
        clientId: 'c',
        clientSecretExpiryTime: '2024-03-03T22:06:39.224Z',
        clientSecretExpiryReason: 'PERIODIC_ROTATION',
      },
    })
  })
})
