/**
 * Parameter Store targets, end to end through the bundled action against the Parameter Store simulator (which
 * checks every request against the service's model): SecureString parameters by name and by ARN beside a GitHub
 * target, keeping their KMS key and tier; a resumed run that writes no second version; a String parameter and a
 * missing one refused at the preflight; a denied write; what mode: check cannot prove; and the SSM client left
 * unloaded when no such target is listed. Each case asserts what the simulator holds and what the queue holds.
 * The cases only wait, so they run concurrently.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createWorld, REPO, type World, type WorldOptions } from '../support/world.ts'

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
const NAME = '/sp-api/lwa-client-secret'
/** A queue policy that lets Amazon's notifications in, so that mode: check has nothing else to report. */
const AMAZON_MAY_SEND: WorldOptions = {
  queueAttributes: {
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::437568002678:root' }, Action: 'sqs:SendMessage', Resource: '*' }],
    }),
  },
}

async function withWorld(body: (world: World) => Promise<void>, options: WorldOptions = {}): Promise<void> {
  const world = await createWorld({ ...options, ssm: true })
  try {
    await body(world)
    expect(world.ssm.violations, 'requests that do not match the Parameter Store model').toEqual([])
  } finally {
    await world.close()
  }
}

describe.concurrent('Parameter Store targets', () => {
  it('writes SecureString parameters by name and by ARN under their own KMS keys and tiers, beside a GitHub target', () =>
    withWorld(async (world) => {
      world.ssm.putParameter(NAME, world.initialSecret, { keyId: KEY, tier: 'Advanced' })
      const { arn } = world.ssm.putParameter('/sp-api/eu/lwa', world.initialSecret, { keyId: 'alias/sp-api' })
      const run = await world.run({ inputs: world.inputs({ targets: `repository\naws-ssm:${NAME}\naws-ssm:${arn}` }) })
      expect(run.code, run.stdout).toBe(0)

      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.stored()).toBe(secret)
      expect(world.ssm.current(NAME)).toMatchObject({
        value: secret,
        version: 2,
        type: 'SecureString',
        keyId: KEY,
        tier: 'Advanced',
        dataType: 'text',
      })
      expect(world.ssm.current(arn)).toMatchObject({ value: secret, version: 2, keyId: 'alias/sp-api', tier: 'Standard' })
      expect(world.ssm.versions(NAME).map((v) => v.value)).toEqual([world.initialSecret, secret])
      expect(world.pendingSecrets()).toEqual([])
      expect(run.summary).toContain(`| \`aws-ssm:${NAME}\` | updated (version 2) |`)
      expect(JSON.parse(run.outputs['updated-targets']!)).toEqual([`repository:${REPO}`, `aws-ssm:${NAME}`, `aws-ssm:${arn}`])
    }))

  it('a resumed run after a failed later target writes no second version', () =>
    withWorld(async (world) => {
      world.ssm.putParameter(NAME, world.initialSecret, { keyId: KEY })
      const inputs = world.inputs({ targets: `aws-ssm:${NAME}\nenvironment:production` })
      world.github.failNext(
        { method: 'PUT', path: /\/environments\/.*\/LWA_CLIENT_SECRET$/ },
        { status: 403, body: { message: 'Resource not accessible by integration' } },
      )
      const first = await world.run({ inputs })
      expect(first.code).toBe(1)
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.ssm.current(NAME)).toMatchObject({ value: secret, version: 2 })
      expect(world.pendingSecrets()).toEqual([secret])

      const second = await world.run({ inputs })
      expect(second.code, second.stdout).toBe(0)
      expect(second.outputs.result).toBe('resumed')
      expect(world.ssm.versions(NAME)).toHaveLength(2)
      expect(world.ssm.calls('PutParameter')).toHaveLength(1)
      expect(second.summary).toContain(`| \`aws-ssm:${NAME}\` | updated (version 2) |`)
      expect(world.stored(`${REPO}:production`)).toBe(secret)
      expect(world.pendingSecrets()).toEqual([])
      expect(world.amazon.rotations(world.clientId)).toBe(1)
    }))

  it('a String parameter and a missing one stop the preflight: nothing rotated, nothing written', () =>
    withWorld(async (world) => {
      world.ssm.putParameter('/sp-api/plain', 'not-a-secret', { type: 'String' })
      const run = await world.run({ inputs: world.inputs({ targets: 'repository\naws-ssm:/sp-api/plain\naws-ssm:/sp-api/nowhere' }) })
      expect(run.code).toBe(1)
      const errors = run.errors.join('\n')
      expect(errors).toContain('aws-ssm:/sp-api/plain: the parameter is a String, so the secret would be stored unencrypted')
      expect(errors).toContain('aws-ssm:/sp-api/nowhere: the parameter does not exist')
      expect(errors).toContain("aws ssm put-parameter --name '/sp-api/nowhere' --type SecureString")
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(world.ssm.calls('PutParameter')).toEqual([])
      expect(world.ssm.current('/sp-api/plain')).toMatchObject({ value: 'not-a-secret', version: 1 })
      expect(world.stored()).toBeUndefined()
    }))

  it('a denied write keeps the message and names the permission; the re-run completes', () =>
    withWorld(async (world) => {
      world.ssm.putParameter(NAME, world.initialSecret, { keyId: KEY })
      const lift = world.ssm.deny('PutParameter', NAME)
      const inputs = world.inputs({ targets: `repository\naws-ssm:${NAME}` })
      const first = await world.run({ inputs })
      expect(first.code).toBe(1)
      expect(first.errors.join('\n')).toContain(
        `ssm:PutParameter on this parameter, and kms:Encrypt (kms:GenerateDataKey for an Advanced parameter) on ${KEY}`,
      )
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.pendingSecrets()).toEqual([secret])
      expect(world.ssm.current(NAME)).toMatchObject({ value: world.initialSecret, version: 1 })

      lift()
      const second = await world.run({ inputs })
      expect(second.code, second.stdout).toBe(0)
      expect(second.outputs.result).toBe('resumed')
      expect(world.ssm.current(NAME)).toMatchObject({ value: secret, version: 2, keyId: KEY })
      expect(world.stored()).toBe(secret)
      expect(world.pendingSecrets()).toEqual([])
      expect(world.amazon.rotations(world.clientId)).toBe(1)
    }))

  it('mode: check reads the parameter and lists the permissions only a write can prove', () =>
    withWorld(async (world) => {
      world.ssm.putParameter(NAME, world.initialSecret, { keyId: KEY, tier: 'Advanced' })
      world.ssm.putParameter('/sp-api/standard', world.initialSecret)
      const run = await world.run({
        inputs: world.inputs({ mode: 'check', targets: `repository\naws-ssm:${NAME}\naws-ssm:/sp-api/standard` }),
      })
      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('checked')
      expect(run.summary).toContain(`| Target aws-ssm:${NAME} is reachable | passed | a SecureString, described and read with decryption |`)
      expect(run.summary).toContain(
        `| Target aws-ssm:${NAME} can be written | unproven | unproven: ssm:PutParameter, kms:GenerateDataKey on ${KEY}`,
      )
      expect(run.summary).toContain(
        '| Target aws-ssm:/sp-api/standard can be written | unproven | unproven: ssm:PutParameter, kms:Encrypt on alias/aws/ssm',
      )
      // The GitHub target's scope is proven by the throw-away secret, not left unproven.
      expect(run.summary).toContain(`| Target repository:${REPO} can be written | passed |`)
      expect(world.ssm.calls('GetParameter').every((c) => c.input.WithDecryption === true)).toBe(true)
      expect(world.ssm.calls('PutParameter')).toEqual([])
      expect(world.amazon.rotateCalls()).toBe(0)
    }, AMAZON_MAY_SEND))
})

describe.concurrent('loading', () => {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url))
  const hook = fileURLToPath(new URL('../support/module-log.ts', import.meta.url))
  // The bundle chunks that hold the SSM client and the Parameter Store adapter.
  const chunks = readdirSync(dist).filter((f) => /^\d+\.index\.js$/.test(f) && readFileSync(join(dist, f), 'utf8').includes('SSMClient'))

  const loaded = async (world: World, targets: string) => {
    const log = join(mkdtempSync(join(tmpdir(), 'modules-')), 'log')
    writeFileSync(log, '')
    const run = await world.run({ inputs: world.inputs({ targets }), env: { MODULE_LOG: log }, nodeArgs: ['--import', hook] })
    expect(run.code, run.stdout).toBe(0)
    return readFileSync(log, 'utf8')
  }

  it('a run with GitHub targets only never loads the SSM client', () =>
    withWorld(
      async (world) => {
        expect(chunks.length, 'the SSM client is in chunks of its own').toBeGreaterThan(0)
        const githubOnly = await loaded(world, 'repository')
        for (const chunk of chunks) expect(githubOnly).not.toContain(`/dist/${chunk}`)
        world.ssm.putParameter(NAME, world.initialSecret)
        const withParameter = await loaded(world, `aws-ssm:${NAME}`)
        for (const chunk of chunks) expect(withParameter).toContain(`/dist/${chunk}`)
      },
      { amazon: { usagePlanIntervalMs: 1_000 } },
    ))
})
