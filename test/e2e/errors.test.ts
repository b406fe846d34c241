/**
 * Errors that name the real cause and the input to change, end to end through the bundled action, and the
 * preflight that proves every input a later step depends on before anything irreversible happens. Each case
 * asserts that nothing was rotated, besides the text. The cases only wait, so they run concurrently.
 */
import { connect } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { withWorld } from '../support/world.ts'

/**
 * A loopback port that refuses connections. It lies below the ephemeral range every simulator draws its port
 * from, so no test running beside these can take it (a port just released can be handed to the next server
 * that listens on port 0), and it is not on fetch's list of blocked ports. The probe proves it refuses here.
 */
const CLOSED = 'http://127.0.0.1:2'
beforeAll(async () => {
  const code = await new Promise<string | undefined>((resolve) => {
    const socket = connect(2, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code))
  })
  expect(code, `something listens on ${CLOSED}; these cases need a port that refuses`).toBe('ECONNREFUSED')
})

describe.concurrent('the preflight proves every input first', () => {
  it('rotates nothing when LWA refuses the refresh-token with the current secret', () =>
    withWorld(async (world) => {
      const run = await world.run({ inputs: world.inputs({ 'refresh-token': 'Atzr|not-the-right-refresh-token' }) })
      expect(run.code).toBe(1)
      expect(world.amazon.rotateCalls()).toBe(0)
      const error = run.errors.join('\n')
      expect(error).toContain('Rotation failed during preflight: nothing was rotated or changed.')
      expect(error).toContain('The refresh-token: LWA refused the refresh_token grant (HTTP 400 invalid_grant')
      expect(error).not.toContain('client-secret')
      expect(world.pendingSecrets()).toEqual([])
    }))

  it('passes with the right refresh-token, trying it with the current secret before rotating', () =>
    withWorld(async (world) => {
      const run = await world.run({ inputs: world.inputs({ 'refresh-token': world.refreshToken }) })
      expect(run.code, run.stdout).toBe(0)
      const grants = world.amazon.requests
        .filter((r) => r.path === '/auth/o2/token')
        .map((r) => new URLSearchParams(r.body))
        .filter((f) => f.get('grant_type') === 'refresh_token')
      // Once with the current secret (preflight), once with the new one (verification).
      expect(grants.map((f) => f.get('client_secret'))).toEqual([world.initialSecret, world.amazon.currentSecret(world.clientId)])
    }))
})

describe.concurrent('errors name the cause and the input', () => {
  it('an unreachable github-api-url: each failed attempt logged with its cause, reported once', () =>
    withWorld(async (world) => {
      const run = await world.run({ inputs: world.inputs({ 'github-api-url': CLOSED }) })
      expect(run.code).toBe(1)
      expect(world.amazon.rotateCalls()).toBe(0)
      const error = run.errors.join('\n')
      expect(error).toContain(
        `repository:octo/shop: could not read the public key: could not reach github-api-url ${CLOSED} (connection refused (ECONNREFUSED)).`,
      )
      expect(error).not.toContain('HTTP 500')
      // Once for each check that needs GitHub (the target and the rotation record), not once per attempt.
      expect(error.match(/connection refused/g)).toHaveLength(2)
      const attempts = run.stdout.split('\n').filter((l) => l.includes('(github-api-url) could not be reached: connection refused'))
      expect(attempts.length).toBeGreaterThan(1)
    }))

  it('an unreachable lwa-endpoint is named as such, not as a bad client-secret', () =>
    withWorld(async (world) => {
      const run = await world.run({ inputs: world.inputs({ 'lwa-endpoint': `${CLOSED}/auth/o2/token` }) })
      expect(run.code).toBe(1)
      const error = run.errors.join('\n')
      expect(error).toContain(
        `LWA (lwa-endpoint): could not reach lwa-endpoint ${CLOSED} for the rotation token request (connection refused (ECONNREFUSED))`,
      )
      expect(error).not.toContain('client-id or client-secret')
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it('missing AWS credentials point to configure-aws-credentials', () =>
    withWorld(async (world) => {
      const run = await world.run({ env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } })
      expect(run.code).toBe(1)
      const error = run.errors.join('\n')
      expect(error).toContain('The queue (sqs-queue-url): No AWS credentials were found for the queue.')
      expect(error).toContain('aws-actions/configure-aws-credentials')
      expect(error).not.toContain('Could not load credentials from any providers')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(run.summary).toContain('No AWS credentials were found')
    }))

  it('AWS refusing the credentials themselves points to configure-aws-credentials, not to SQS permissions', () =>
    withWorld(async (world) => {
      world.sqsProxy.failNext('GetQueueAttributes', { status: 400, type: 'ExpiredToken' })
      const run = await world.run()
      expect(run.code).toBe(1)
      const error = run.errors.join('\n')
      expect(error).toContain(
        'The queue (sqs-queue-url): AWS refused GetQueueAttributes on the queue (ExpiredToken: injected ExpiredToken)',
      )
      expect(error).toContain('the AWS credentials are invalid or expired')
      expect(error).toContain('role-duration-seconds')
      expect(error).not.toContain('sqs:ReceiveMessage')
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it("a KMS denial on the queue names kms:Decrypt on the queue's key", () =>
    withWorld(async (world) => {
      world.sqsProxy.failNext('ReceiveMessage', { status: 400, type: 'KmsAccessDenied' })
      const run = await world.run()
      expect(run.code).toBe(1)
      const error = run.errors.join('\n')
      expect(error).toContain('AWS refused ReceiveMessage on the queue (KmsAccessDenied: injected KmsAccessDenied)')
      expect(error).toContain("kms:Decrypt on the queue's key")
      expect(error).not.toContain('sqs:ChangeMessageVisibility')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.pendingSecrets()).toEqual([])
    }))
})

describe.concurrent('the summary says what happened', () => {
  it('a delete that fails is reported as such: the message stays in the queue, the secret is stored', () =>
    withWorld(async (world) => {
      world.sqsProxy.failNext('DeleteMessage', { status: 403, type: 'AccessDenied' })
      const run = await world.run()
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.stored()).toBe(secret)
      // Still in the queue (in flight until its lease lapses): a later run stores the same value again.
      expect(world.pendingSecrets()).toEqual([secret])
      expect(world.sqsProxy.counts.DeleteMessage).toBe(1)
      expect(run.summary).toContain('| New-secret message | failed to delete: it reappears, and the next run stores the same value again |')
      expect(run.summary).not.toContain('| New-secret message | deleted |')
    }))
})
