/**
 * The bundled action, end to end, against the Amazon and GitHub simulators and a real SQS server.
 * Each case asserts final state: what GitHub holds (opened from the sealed box), what the queue holds,
 * how many times Amazon was asked to rotate.
 */
import { afterEach, describe, expect, it } from 'vitest'
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
    expect(run.summary).toContain('| New-secret message | deleted |')
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

    const put = world.github.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/LWA_CLIENT_SECRET'))!
    expect(put.path).toBe(`/repos/${REPO}/actions/secrets/LWA_CLIENT_SECRET`)
    expect(Object.keys(JSON.parse(put.body) as object).sort()).toEqual(['encrypted_value', 'key_id'])
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
})

describe('stopping before anything irreversible', () => {
  it('rotates nothing when the queue cannot be reached', async () => {
    world = await createWorld()
    const run = await world.run({ inputs: world.inputs({ 'sqs-queue-url': world.queueUrl.replace(/[^/]+$/, 'no-such-queue') }) })
    expect(run.code).toBe(1)
    expect(world.amazon.rotateCalls()).toBe(0)
    const error = run.errors.join('\n')
    expect(error).toContain('The queue (sqs-queue-url): The queue in sqs-queue-url (')
    expect(error).toContain('/no-such-queue) does not exist in AWS region')
    expect(run.summary).toContain('does not exist in AWS region')
  })
})
