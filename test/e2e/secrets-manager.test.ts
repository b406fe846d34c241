/**
 * AWS Secrets Manager targets, end to end through the bundled action against the Secrets Manager simulator
 * (which checks every request against the service's model): the whole value or one key of a JSON object,
 * beside a GitHub target; a resumed run repeating the same version; a missing secret, a denied write and a
 * value that is not JSON. Each case asserts the versions and labels the simulator holds and what the queue
 * holds. The cases only wait, so they run concurrently.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startSecretsManagerSim, type SecretsManagerSim } from '../sim/secrets-manager.ts'
import { createWorld, REPO, type World } from '../support/world.ts'

async function withWorld(
  body: (world: World, sm: SecretsManagerSim, env: Record<string, string>) => Promise<void>,
  options?: Parameters<typeof createWorld>[0],
): Promise<void> {
  const world = await createWorld(options)
  const sm = await startSecretsManagerSim()
  try {
    await body(world, sm, { AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url })
    expect(sm.violations, 'requests that do not match the Secrets Manager model').toEqual([])
  } finally {
    await Promise.allSettled([world.close(), sm.close()])
  }
}

describe.concurrent('Secrets Manager targets', () => {
  it('writes the whole value, and one key of a JSON object keeping the others, beside a GitHub target', () =>
    withWorld(async (world, sm, env) => {
      sm.createSecret('sp-api/lwa-client-secret', 'old value')
      const json = { clientId: world.clientId, clientSecret: world.initialSecret, refreshToken: world.refreshToken, region: 'eu' }
      const { arn } = sm.createSecret('sp-api/credentials', JSON.stringify(json))
      const targets = `repository\naws-secretsmanager:sp-api/lwa-client-secret\naws-secretsmanager:${arn}#clientSecret`
      const run = await world.run({ inputs: world.inputs({ targets }), env })
      expect(run.code, run.stdout).toBe(0)

      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.stored()).toBe(secret)
      const plain = sm.current('sp-api/lwa-client-secret')
      expect(plain.value).toBe(secret)
      expect(sm.versions('sp-api/lwa-client-secret').find((v) => v.labels.includes('AWSPREVIOUS'))?.value).toBe('old value')
      expect(JSON.parse(sm.current('sp-api/credentials').value!)).toEqual({ ...json, clientSecret: secret })
      expect(world.pendingSecrets()).toEqual([])
      expect(run.summary).toContain(`| \`aws-secretsmanager:sp-api/lwa-client-secret\` | updated (version ${plain.versionId}) |`)
      expect(JSON.parse(run.outputs['updated-targets']!)).toContain(`aws-secretsmanager:${arn}#clientSecret`)
    }))

  it("masks the key's value it replaces and the value it writes, never the secret's other values", () =>
    withWorld(async (world, sm, env) => {
      const replaced = 'amzn1.oa2-cs.v1.the-value-this-run-replaces'
      // Pretty-printed, as a console or a script may store it: the runner would mask each of its lines.
      const stored = { clientSecret: replaced, environment: 'production', note: 'read by the deploy job' }
      sm.createSecret('sp-api/app', JSON.stringify(stored, null, 2))
      const run = await world.run({ inputs: world.inputs({ targets: 'aws-secretsmanager:sp-api/app#clientSecret' }), env })
      expect(run.code, run.stdout).toBe(0)

      const secret = world.amazon.currentSecret(world.clientId)
      const written = sm.current('sp-api/app').value!
      expect(JSON.parse(written)).toEqual({ ...stored, clientSecret: secret })
      const masked = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('::add-mask::'))
        .map((l) => l.slice('::add-mask::'.length))
      expect(masked).toContain(replaced)
      expect(masked).toContain(written)
      expect(masked).toContain(secret)
      for (const value of ['production', 'read by the deploy job', '{', '}', '"environment": "production",']) {
        expect(masked, value).not.toContain(value)
      }
      expect(masked.filter((m) => m.includes('\n') || m.includes('%0A'))).toEqual([])
    }))

  it('two #KEY targets of one secret: one merged version holds the new secret under both keys, the other keys kept', () =>
    withWorld(async (world, sm, env) => {
      const json = { clientId: world.clientId, clientSecret: world.initialSecret, legacySecret: world.initialSecret, region: 'eu' }
      sm.createSecret('sp-api/credentials', JSON.stringify(json))
      const targets = 'aws-secretsmanager:sp-api/credentials#clientSecret\naws-secretsmanager:sp-api/credentials#legacySecret'
      const run = await world.run({ inputs: world.inputs({ targets }), env })
      expect(run.code, run.stdout).toBe(0)
      const secret = world.amazon.currentSecret(world.clientId)
      expect(JSON.parse(sm.current('sp-api/credentials').value!)).toEqual({ ...json, clientSecret: secret, legacySecret: secret })
      // One PutSecretValue for both keys: the version before and the merged one.
      expect(sm.versions('sp-api/credentials')).toHaveLength(2)
      expect(world.pendingSecrets()).toEqual([])
    }))

  it('a resumed run repeats the same version instead of making a second one', () =>
    withWorld(async (world, sm, env) => {
      sm.createSecret('lwa', 'old value')
      const inputs = world.inputs({ targets: 'aws-secretsmanager:lwa\nenvironment:production' })
      world.github.failNext(
        { method: 'PUT', path: /\/environments\/.*\/LWA_CLIENT_SECRET$/ },
        { status: 403, body: { message: 'Resource not accessible by integration' } },
      )
      const first = await world.run({ inputs, env })
      expect(first.code).toBe(1)
      const secret = world.amazon.currentSecret(world.clientId)
      expect(sm.current('lwa').value).toBe(secret)
      expect(world.pendingSecrets()).toEqual([secret])
      const version = sm.current('lwa').versionId

      const second = await world.run({ inputs, env })
      expect(second.code, second.stdout).toBe(0)
      expect(second.outputs.result).toBe('resumed')
      expect(sm.current('lwa').versionId).toBe(version)
      expect(sm.versions('lwa')).toHaveLength(2)
      expect(world.stored(`${REPO}:production`)).toBe(secret)
    }))

  it('a missing secret stops the preflight: nothing rotated', () =>
    withWorld(async (world, _sm, env) => {
      const run = await world.run({ inputs: world.inputs({ targets: 'repository\naws-secretsmanager:nowhere' }), env })
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain('aws-secretsmanager:nowhere: the secret does not exist')
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it('a permission missing at the preflight stops the run, naming the IAM actions', () =>
    withWorld(async (world, sm, env) => {
      sm.createSecret('lwa', 'old value')
      sm.deny('DescribeSecret', 'lwa')
      const run = await world.run({ inputs: world.inputs({ targets: 'repository\naws-secretsmanager:lwa' }), env })
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain('aws-secretsmanager:lwa: AWS refused DescribeSecret')
      expect(run.errors.join('\n')).toContain('secretsmanager:DescribeSecret')
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it('credentials AWS does not accept are named as such, not as missing IAM actions', () =>
    withWorld(async (world, sm, env) => {
      sm.createSecret('lwa', 'old value')
      sm.failNext('DescribeSecret', {
        status: 400,
        body: { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
      })
      const run = await world.run({ inputs: world.inputs({ targets: 'repository\naws-secretsmanager:lwa' }), env })
      expect(run.code).toBe(1)
      const error = run.errors.join('\n')
      expect(error).toContain('aws-secretsmanager:lwa: AWS refused DescribeSecret (UnrecognizedClientException: The security token')
      expect(error).toContain('the AWS credentials are invalid or expired')
      expect(error).not.toContain('secretsmanager:PutSecretValue')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(sm.current('lwa').value).toBe('old value')
    }))

  it('a value that is not a JSON object stops the preflight for a #KEY target', () =>
    withWorld(async (world, sm, env) => {
      sm.createSecret('plain', 'just a string')
      const run = await world.run({ inputs: world.inputs({ targets: 'aws-secretsmanager:plain#clientSecret' }), env })
      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain("the secret's value is not a JSON object")
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it('a denied write fails the run and keeps the message; the re-run completes', () =>
    withWorld(async (world, sm, env) => {
      sm.createSecret('lwa', 'old value')
      const lift = sm.deny('PutSecretValue', 'lwa')
      const inputs = world.inputs({ targets: 'repository\naws-secretsmanager:lwa' })
      const first = await world.run({ inputs, env })
      expect(first.code).toBe(1)
      expect(first.errors.join('\n')).toContain('secretsmanager:PutSecretValue')
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.pendingSecrets()).toEqual([secret])
      expect(sm.current('lwa').value).toBe('old value')

      lift()
      const second = await world.run({ inputs, env })
      expect(second.code, second.stdout).toBe(0)
      expect(sm.current('lwa').value).toBe(secret)
      expect(world.amazon.rotations(world.clientId)).toBe(1)
    }))
})

describe.concurrent('loading', () => {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url))
  const hook = fileURLToPath(new URL('../support/module-log.ts', import.meta.url))
  // The bundle chunk that holds the Secrets Manager client.
  const chunk = readdirSync(dist).find(
    (f) => /^\d+\.index\.js$/.test(f) && readFileSync(join(dist, f), 'utf8').includes('SecretsManagerClient'),
  )

  const loaded = async (world: World, targets: string, env: Record<string, string>) => {
    const log = join(mkdtempSync(join(tmpdir(), 'modules-')), 'log')
    writeFileSync(log, '')
    const run = await world.run({ inputs: world.inputs({ targets }), env: { ...env, MODULE_LOG: log }, nodeArgs: ['--import', hook] })
    expect(run.code, run.stdout).toBe(0)
    return readFileSync(log, 'utf8')
  }

  it('a run with GitHub targets only never loads the Secrets Manager client', () =>
    withWorld(
      async (world, sm, env) => {
        expect(chunk, 'the Secrets Manager client is a chunk of its own').toBeDefined()
        expect(await loaded(world, 'repository', env)).not.toContain(`/dist/${chunk}`)
        sm.createSecret('lwa', 'old value')
        expect(await loaded(world, 'aws-secretsmanager:lwa', env)).toContain(`/dist/${chunk}`)
      },
      { amazon: { usagePlanIntervalMs: 1_000 } },
    ))
})
