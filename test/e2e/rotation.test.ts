/**
 * The bundled action, end to end, against the Amazon and GitHub simulators and a real SQS server.
 * Each case asserts final state: what GitHub holds (opened from the sealed box), what the queue holds,
 * how many times Amazon was asked to rotate.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterEach, describe, expect, it } from 'vitest'
import { expiryNotification, newSecretNotification } from '../sim/amazon.ts'
import { createWorld, REPO, type World } from '../support/world.ts'

const DAY = 86_400_000
let world: World
afterEach(async () => world?.close())

describe('a scheduled rotation', () => {
  it('rotates, verifies, writes every target and empties the queue', async () => {
    world = await createWorld()
    const run = await world.run({
      inputs: world.inputs({ targets: 'repository\nenvironment:production', 'refresh-token': world.refreshToken }),
      env: { RUNNER_DEBUG: '1' },
    })

    expect(run.code, run.stdout).toBe(0)
    const newSecret = world.amazon.currentSecret(world.clientId)
    expect(newSecret).not.toBe(world.initialSecret)
    expect(world.amazon.rotations(world.clientId)).toBe(1)
    expect(world.stored()).toBe(newSecret)
    expect(world.stored(`${REPO}:production`)).toBe(newSecret)
    expect(world.pendingSecrets()).toEqual([])

    expect(run.outputs.result).toBe('rotated')
    expect(JSON.parse(run.outputs['updated-targets']!)).toEqual([`repository:${REPO}`, `environment:${REPO}:production`])
    const expires = Date.parse(run.outputs['secret-expires-at']!)
    const previous = Date.parse(run.outputs['previous-secret-expires-at']!)
    expect(Math.abs(expires - Date.now() - 180 * DAY)).toBeLessThan(60_000)
    expect(Math.abs(previous - Date.now() - 7 * DAY)).toBeLessThan(60_000)

    // Verified with the new secret: a rotation token and the refresh_token grant.
    const tokenForms = world.amazon.requests.filter((r) => r.path === '/auth/o2/token').map((r) => new URLSearchParams(r.body))
    expect(tokenForms.some((f) => f.get('client_secret') === newSecret && f.get('grant_type') === 'client_credentials')).toBe(true)
    expect(tokenForms.some((f) => f.get('client_secret') === newSecret && f.get('grant_type') === 'refresh_token')).toBe(true)

    for (const phase of [
      'Preflight',
      'Resume or rotate',
      'Receive the new secret',
      'Verify the new secret',
      'Store the new secret',
      'Commit',
    ]) {
      expect(run.stdout).toContain(`::group::${phase}`)
    }
    expect(run.summary).toContain(world.clientId)
    expect(run.summary).toContain(`| \`environment:${REPO}:production\` | created |`)
    expect(run.summary).toContain(run.outputs['secret-expires-at'])
  })

  it('sends requests that match the API descriptions', async () => {
    world = await createWorld()
    const run = await world.run()
    expect(run.code, run.stdout).toBe(0)

    const rotate = world.amazon.requests.filter((r) => r.path === '/applications/2023-11-30/clientSecret')
    expect(rotate).toHaveLength(1)
    expect(rotate[0]!.method).toBe('POST')
    expect(rotate[0]!.body).toBe('')
    const token = world.amazon.requests.find((r) => r.path === '/auth/o2/token')!
    expect(token.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    const form = new URLSearchParams(token.body)
    expect(form.get('scope')).toBe('sellingpartnerapi::client_credential:rotation')
    expect(form.has('refresh_token')).toBe(false)
    expect(rotate[0]!.headers['x-amz-access-token']).toMatch(/^Atza\|/)

    const put = world.github.requests.find((r) => r.method === 'PUT')!
    expect(put.path).toBe(`/repos/${REPO}/actions/secrets/LWA_CLIENT_SECRET`)
    expect(Object.keys(JSON.parse(put.body) as object).sort()).toEqual(['encrypted_value', 'key_id'])
  })

  it('leaves other types, other applications and unreadable messages in the queue, visible', async () => {
    world = await createWorld()
    const other = world.addApplication()
    const foreign = [
      expiryNotification({ clientId: world.clientId, eventTime: new Date(), expiresAt: new Date(Date.now() + 30 * DAY) }),
      newSecretNotification({ clientId: other.clientId, secret: 'amzn1.oa2-cs.v1.not-ours', eventTime: new Date() }),
      'this is not json',
      JSON.stringify({ notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET', payload: {} }),
    ]
    for (const body of foreign) await world.sqs.client.send(new SendMessageCommand({ QueueUrl: world.queueUrl, MessageBody: body }))

    const run = await world.run()

    expect(run.code, run.stdout).toBe(0)
    expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
    const { visible, inFlight } = world.sqs.contents(world.queueName)
    expect(visible.sort()).toEqual([...foreign].sort())
    expect(inFlight).toEqual([])
    expect(run.warnings.filter((w) => w.includes('untouched'))).toHaveLength(2)
  })
})

describe('resuming an unfinished rotation', () => {
  it('stores the queued secret without rotating again', async () => {
    world = await createWorld()
    const queued = await world.amazon.sendNotification(world.clientId)
    const run = await world.run()

    expect(run.code, run.stdout).toBe(0)
    expect(run.outputs.result).toBe('resumed')
    expect(world.amazon.rotateCalls(world.clientId)).toBe(0)
    expect(world.stored()).toBe(queued)
    expect(world.pendingSecrets()).toEqual([])
  })

  it('keeps the message when a target cannot be written, and a re-run finishes without rotating', async () => {
    world = await createWorld()
    world.github.failNext(
      { method: 'PUT', path: /\/environments\// },
      { status: 403, body: { message: 'Resource not accessible by personal access token' } },
    )
    const inputs = world.inputs({ targets: 'repository\nenvironment:production' })

    const first = await world.run({ inputs })
    const newSecret = world.amazon.currentSecret(world.clientId)
    expect(first.code).toBe(1)
    expect(world.stored()).toBe(newSecret)
    expect(world.stored(`${REPO}:production`)).toBeUndefined()
    // The message is back in the queue, visible, for the next run.
    expect(world.pendingSecrets()).toEqual([newSecret])
    expect(world.sqs.contents(world.queueName).inFlight).toEqual([])
    const error = first.errors.join('\n')
    expect(error).toContain(`Written: repository:${REPO}`)
    expect(error).toContain(`Not written: environment:${REPO}:production`)
    expect(error).toContain('re-run this workflow: it resumes without rotating again')
    expect(error).toContain(first.outputs['previous-secret-expires-at'])
    expect(first.summary).toContain('kept in the queue')

    const second = await world.run({ inputs })
    expect(second.code, second.stdout).toBe(0)
    expect(second.outputs.result).toBe('resumed')
    expect(world.amazon.rotateCalls(world.clientId)).toBe(1)
    expect(world.stored(`${REPO}:production`)).toBe(newSecret)
    expect(world.pendingSecrets()).toEqual([])
  })

  it('picks the newest of several new-secret messages and deletes them all', async () => {
    world = await createWorld()
    const older = await world.amazon.sendNotification(world.clientId, { eventTime: new Date(Date.now() - 60_000) })
    const newest = await world.amazon.sendNotification(world.clientId, { eventTime: new Date() })
    // The older one arrives last, as at-least-once delivery allows.
    await world.amazon.sendNotification(world.clientId, { eventTime: new Date(Date.now() - 60_000), secret: older })
    const run = await world.run()

    expect(run.code, run.stdout).toBe(0)
    expect(world.stored()).toBe(newest)
    expect(world.amazon.rotateCalls()).toBe(0)
    expect(world.pendingSecrets()).toEqual([])
  })
})

describe('stopping before anything irreversible', () => {
  it('rotates nothing when the current secret is rejected', async () => {
    world = await createWorld()
    const run = await world.run({ inputs: world.inputs({ 'client-secret': 'amzn1.oa2-cs.v1.wrong' }) })
    expect(run.code).toBe(1)
    expect(world.amazon.rotateCalls()).toBe(0)
    expect(run.errors.join('\n')).toMatch(/current client-secret: LWA refused .*invalid_client/)
    expect(world.stored()).toBeUndefined()
  })

  it('rotates nothing when a target cannot be read', async () => {
    world = await createWorld()
    const run = await world.run({ inputs: world.inputs({ targets: 'repository\nenvironment:staging' }) })
    expect(run.code).toBe(1)
    expect(world.amazon.rotateCalls()).toBe(0)
    expect(run.errors.join('\n')).toContain(`environment:${REPO}:staging: could not read the public key: HTTP 404`)
    expect(world.stored()).toBeUndefined()
  })

  it('rotates nothing when the queue cannot be reached', async () => {
    world = await createWorld()
    const run = await world.run({ inputs: world.inputs({ 'sqs-queue-url': world.queueUrl.replace(/[^/]+$/, 'no-such-queue') }) })
    expect(run.code).toBe(1)
    expect(world.amazon.rotateCalls()).toBe(0)
    expect(run.errors.join('\n')).toContain('The queue:')
  })

  it('explains a 400 "not enrolled" and changes nothing', async () => {
    world = await createWorld({ notEnrolled: true })
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.amazon.rotations(world.clientId)).toBe(0)
    expect(run.errors.join('\n')).toContain('Notification Preferences')
    expect(run.errors.join('\n')).toContain('InvalidInput')
    expect(world.stored()).toBeUndefined()
  })

  it('rejects bad input without calling Amazon', async () => {
    world = await createWorld()
    const run = await world.run({ inputs: world.inputs({ 'secret-name': 'GITHUB_LWA' }) })
    expect(run.code).toBe(1)
    expect(run.errors.join('\n')).toContain('Input secret-name')
    expect(world.amazon.requests).toEqual([])
    expect(world.github.requests).toEqual([])
  })
})

describe('a new secret that does not work', () => {
  it('is not stored, and stays in the queue', async () => {
    world = await createWorld()
    world.amazon.rejectNewSecrets = true
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(run.errors.join('\n')).toContain('during verification')
    expect(world.stored()).toBeUndefined()
    expect(world.pendingSecrets()).toHaveLength(1)
    expect(world.amazon.rotations(world.clientId)).toBe(1)
  })
})
