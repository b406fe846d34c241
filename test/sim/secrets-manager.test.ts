// Proves the Secrets Manager simulator (test/sim/secrets-manager.ts) behaves as the service documents, driven by the
// real @aws-sdk/client-secrets-manager, and that its model check catches requests the SDK would never send.
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startSecretsManagerSim, type SecretsManagerSim } from './secrets-manager.ts'

// The project default (vitest.config.ts) is generous for e2e runs; these tests are fast, so fail fast.
vi.setConfig({ testTimeout: 5000, hookTimeout: 5000 })

/** Upper bound for any single HTTP exchange with the simulator. */
const HTTP_TIMEOUT_MS = 2000
const CREDENTIALS = { accessKeyId: 'AKIASIMULATOR0000001', secretAccessKey: 'simulator-secret-access-key-1' }
const OTHER_CREDENTIALS = { accessKeyId: 'AKIASIMULATOR0000002', secretAccessKey: 'simulator-secret-access-key-2' }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const MODEL_FILE = fileURLToPath(new URL('../specs/secrets-manager-2017-10-17.trimmed.json', import.meta.url))
/** A syntactically complete SigV4 header: the simulator checks its form, not the signature. */
const RAW_AUTH = `AWS4-HMAC-SHA256 Credential=AKIARAWCALLER0000001/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`

function sdkClient(sim: SecretsManagerSim, credentials = CREDENTIALS, endpoint: string | undefined = sim.url): SecretsManagerClient {
  return new SecretsManagerClient({
    ...(endpoint !== undefined && { endpoint }),
    region: sim.region,
    credentials,
    // One attempt: a test sees exactly the answer the simulator gave.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: HTTP_TIMEOUT_MS, requestTimeout: HTTP_TIMEOUT_MS },
  })
}

/** The service error a call failed with: name, HTTP status, message. */
async function failure(call: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await call
  } catch (e) {
    if (e instanceof SecretsManagerServiceException) return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message }
    throw e
  }
  throw new Error('expected the call to fail')
}

/** A hand-made request; a header set to undefined is left out. */
async function raw(
  sim: SecretsManagerSim,
  operation: string,
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<{ status: number; contentType: string | null; json: Record<string, unknown> }> {
  const all: Record<string, string | undefined> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `secretsmanager.${operation}`,
    authorization: RAW_AUTH,
    ...headers,
  }
  const r = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)),
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  })
  return { status: r.status, contentType: r.headers.get('content-type'), json: (await r.json()) as Record<string, unknown> }
}

describe('Secrets Manager simulator through the AWS SDK', () => {
  let sim: SecretsManagerSim
  let sm: SecretsManagerClient

  beforeEach(async () => {
    sim = await startSecretsManagerSim()
    sm = sdkClient(sim)
  })

  afterEach(async () => {
    sm.destroy()
    await sim.close()
    // Whatever the test did, the SDK's requests matched the model.
    expect(sim.violations).toEqual([])
  })

  it('creates a secret, then puts, gets and describes it by name, by ARN and by partial ARN', async () => {
    const created = await sm.send(
      new CreateSecretCommand({ Name: 'sp-api/lwa', SecretString: 'v0', Description: 'LWA client secret', KmsKeyId: 'alias/lwa' }),
    )
    expect(created.Name).toBe('sp-api/lwa')
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:sp-api\/lwa-[A-Za-z0-9]{6}$/)
    expect(created.VersionId).toMatch(UUID)
    const arn = created.ARN!
    const partialArn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:sp-api/lwa`

    for (const [i, id] of ['sp-api/lwa', arn, partialArn].entries()) {
      const put = await sm.send(new PutSecretValueCommand({ SecretId: id, SecretString: `value-${i}` }))
      expect(put).toMatchObject({ ARN: arn, Name: 'sp-api/lwa', VersionStages: ['AWSCURRENT'] })
      const got = await sm.send(new GetSecretValueCommand({ SecretId: id }))
      expect(got).toMatchObject({
        ARN: arn,
        Name: 'sp-api/lwa',
        VersionId: put.VersionId,
        SecretString: `value-${i}`,
        VersionStages: ['AWSCURRENT'],
      })
      expect(got.CreatedDate).toBeInstanceOf(Date)
      const described = await sm.send(new DescribeSecretCommand({ SecretId: id }))
      expect(described).toMatchObject({ ARN: arn, Name: 'sp-api/lwa', Description: 'LWA client secret', KmsKeyId: 'alias/lwa' })
      expect(described.VersionIdsToStages?.[put.VersionId!]).toEqual(['AWSCURRENT'])
    }
    expect(sim.current('sp-api/lwa').value).toBe('value-2')
    expect(sim.current(arn).value).toBe('value-2')
  })

  it('leaves KmsKeyId and Description out of DescribeSecret when the secret has none', async () => {
    sim.createSecret('plain', 'v')
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'plain' }))
    expect(described).not.toHaveProperty('KmsKeyId')
    expect(described).not.toHaveProperty('Description')
    expect(described.CreatedDate).toBeInstanceOf(Date)
  })

  it('resolves a partial ARN only when the name does not end like a random suffix; a name never carries the suffix', async () => {
    // "client" is six characters: the service takes ".../lwa-client" for a complete ARN, so the partial ARN misses.
    const { arn } = sim.createSecret('sp-api/lwa-client', 'v')
    const prefix = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:'
    expect((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).Name).toBe('sp-api/lwa-client')
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'sp-api/lwa-client' }))).ARN).toBe(arn)
    expect(await failure(sm.send(new DescribeSecretCommand({ SecretId: `${prefix}sp-api/lwa-client` })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
    })
    expect(await failure(sm.send(new DescribeSecretCommand({ SecretId: arn.slice(prefix.length) })))).toMatchObject({
      name: 'ResourceNotFoundException',
    })
    // Another region or account is another secret.
    expect(await failure(sm.send(new DescribeSecretCommand({ SecretId: arn.replace('us-east-1', 'eu-west-1') })))).toMatchObject({
      name: 'ResourceNotFoundException',
    })
  })

  it('moves AWSCURRENT and AWSPREVIOUS over three puts and drops AWSPREVIOUS from the version before', async () => {
    const { versionId: v0 } = sim.createSecret('rot', 'zero')
    const labels = () => sim.versions('rot').map((v) => [v.value, v.labels])
    const ids = [v0]
    for (const value of ['one', 'two', 'three']) {
      const put = await sm.send(new PutSecretValueCommand({ SecretId: 'rot', SecretString: value }))
      expect(put.VersionStages).toEqual(['AWSCURRENT'])
      ids.push(put.VersionId!)
    }
    expect(new Set(ids).size).toBe(4)
    expect(labels()).toEqual([
      ['zero', []],
      ['one', []],
      ['two', ['AWSPREVIOUS']],
      ['three', ['AWSCURRENT']],
    ])
    expect(sim.current('rot')).toMatchObject({ versionId: ids[3], value: 'three', labels: ['AWSCURRENT'] })

    // Versions without labels are deprecated: left out of VersionIdsToStages, still readable by VersionId.
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'rot' }))
    expect(described.VersionIdsToStages).toEqual({ [ids[3]!]: ['AWSCURRENT'], [ids[2]!]: ['AWSPREVIOUS'] })
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionStage: 'AWSPREVIOUS' }))
    expect(previous).toMatchObject({ VersionId: ids[2], SecretString: 'two', VersionStages: ['AWSPREVIOUS'] })
    const old = await sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionId: ids[1] }))
    expect(old.SecretString).toBe('one')
    expect(old.VersionStages).toBeUndefined()
    const both = await sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionId: ids[3], VersionStage: 'AWSCURRENT' }))
    expect(both.SecretString).toBe('three')
    expect(
      await failure(sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionId: ids[2], VersionStage: 'AWSCURRENT' }))),
    ).toMatchObject({ name: 'InvalidRequestException', status: 400 })
  })

  it('leaves AWSCURRENT in place when VersionStages does not name it', async () => {
    const { versionId } = sim.createSecret('staged', 'live')
    const pending = await sm.send(new PutSecretValueCommand({ SecretId: 'staged', SecretString: 'next', VersionStages: ['AWSPENDING'] }))
    expect(pending.VersionStages).toEqual(['AWSPENDING'])
    expect(sim.current('staged')).toMatchObject({ versionId, value: 'live' })
    expect(sim.versions('staged').map((v) => v.labels)).toEqual([['AWSCURRENT'], ['AWSPENDING']])
  })

  it('sends a generated ClientRequestToken, which becomes the VersionId', async () => {
    sim.createSecret('tok', 'a')
    const put = await sm.send(new PutSecretValueCommand({ SecretId: 'tok', SecretString: 'b' }))
    const sent = sim.calls('PutSecretValue')[0]!.input.ClientRequestToken
    expect(sent).toMatch(UUID)
    expect(put.VersionId).toBe(sent)
  })

  it('answers a retry with the same ClientRequestToken and value with the existing version, changing nothing', async () => {
    sim.createSecret('idem', 'initial')
    const token = randomUUID()
    const first = await sm.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'A', ClientRequestToken: token }))
    expect(first.VersionId).toBe(token)
    const later = await sm.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'B' }))
    const before = sim.versions('idem')

    const retry = await sm.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'A', ClientRequestToken: token }))
    expect(retry).toMatchObject({ VersionId: token, VersionStages: ['AWSPREVIOUS'] })
    expect(sim.versions('idem')).toEqual(before)
    expect(sim.current('idem')).toMatchObject({ versionId: later.VersionId, value: 'B' })
  })

  it('refuses the same ClientRequestToken with another value: ResourceExistsException (400), nothing changes', async () => {
    sim.createSecret('conflict', 'initial')
    const token = randomUUID()
    await sm.send(new PutSecretValueCommand({ SecretId: 'conflict', SecretString: 'A', ClientRequestToken: token }))
    const before = sim.versions('conflict')
    const err = await failure(
      sm.send(new PutSecretValueCommand({ SecretId: 'conflict', SecretString: 'other', ClientRequestToken: token })),
    )
    expect(err).toMatchObject({ name: 'ResourceExistsException', status: 400 })
    expect(err.message).toContain(token)
    expect(sim.versions('conflict')).toEqual(before)
  })

  it('answers ResourceNotFoundException (400) for an unknown secret, version id or staging label', async () => {
    for (const call of [
      sm.send(new DescribeSecretCommand({ SecretId: 'missing' })),
      sm.send(new GetSecretValueCommand({ SecretId: 'missing' })),
      sm.send(new PutSecretValueCommand({ SecretId: 'missing', SecretString: 'v' })),
      sm.send(new UpdateSecretCommand({ SecretId: 'missing', SecretString: 'v' })),
    ]) {
      expect(await failure(call)).toEqual({
        name: 'ResourceNotFoundException',
        status: 400,
        message: "Secrets Manager can't find the specified secret.",
      })
    }
    sim.createSecret('known', 'v')
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'known', VersionStage: 'AWSPREVIOUS' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
    })
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'known', VersionId: randomUUID() })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
    })
    // A secret created without a value has no AWSCURRENT version to read.
    await sm.send(new CreateSecretCommand({ Name: 'empty' }))
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'empty' })))).toMatchObject({ name: 'ResourceNotFoundException' })
  })

  it('refuses CreateSecret for a taken name (ResourceExistsException), but not a retry with the same token and value', async () => {
    const token = randomUUID()
    const first = await sm.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'v', ClientRequestToken: token }))
    const retry = await sm.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'v', ClientRequestToken: token }))
    expect(retry).toMatchObject({ ARN: first.ARN, VersionId: token })
    expect(await failure(sm.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'v' })))).toMatchObject({
      name: 'ResourceExistsException',
      status: 400,
    })
    expect(await failure(sm.send(new CreateSecretCommand({ Name: 'bad name!', SecretString: 'v' })))).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    })
    expect(sim.versions('dup')).toHaveLength(1)
  })

  it('answers AccessDeniedException (400) for a denied action, secret and caller only, until the denial is lifted', async () => {
    const a = sim.createSecret('a', 'a0')
    sim.createSecret('b', 'b0')
    const lift = sim.deny('PutSecretValue', 'a')
    for (const id of ['a', a.arn]) {
      const err = await failure(sm.send(new PutSecretValueCommand({ SecretId: id, SecretString: 'a1' })))
      expect(err).toMatchObject({ name: 'AccessDeniedException', status: 400 })
      expect(err.message).toContain('secretsmanager:PutSecretValue')
    }
    expect(sim.versions('a')).toHaveLength(1)
    await sm.send(new PutSecretValueCommand({ SecretId: 'b', SecretString: 'b1' }))
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'a' }))).SecretString).toBe('a0')
    lift()
    await sm.send(new PutSecretValueCommand({ SecretId: 'a', SecretString: 'a1' }))
    expect(sim.current('a').value).toBe('a1')

    // Per principal: only the other access key is denied, and for every secret, known or not.
    sim.deny('GetSecretValue', undefined, OTHER_CREDENTIALS.accessKeyId)
    const other = sdkClient(sim, OTHER_CREDENTIALS)
    try {
      expect(await failure(other.send(new GetSecretValueCommand({ SecretId: 'a' })))).toMatchObject({ name: 'AccessDeniedException' })
      expect(await failure(other.send(new GetSecretValueCommand({ SecretId: 'nope' })))).toMatchObject({ name: 'AccessDeniedException' })
      expect((await other.send(new DescribeSecretCommand({ SecretId: 'a' }))).Name).toBe('a')
    } finally {
      other.destroy()
    }
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'a' }))).SecretString).toBe('a1')
  })

  it('refuses reads and writes of a secret scheduled for deletion (InvalidRequestException); DescribeSecret shows DeletedDate', async () => {
    sim.createSecret('gone', 'v')
    sim.scheduleDeletion('gone')
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'gone' })))).toMatchObject({
      name: 'InvalidRequestException',
      status: 400,
    })
    expect(await failure(sm.send(new PutSecretValueCommand({ SecretId: 'gone', SecretString: 'w' })))).toMatchObject({
      name: 'InvalidRequestException',
      status: 400,
    })
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'gone' }))).DeletedDate).toBeInstanceOf(Date)
  })

  it('stores binary values and refuses both or neither of SecretString and SecretBinary (InvalidParameterException)', async () => {
    sim.createSecret('bin', 'text')
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255])
    await sm.send(new PutSecretValueCommand({ SecretId: 'bin', SecretBinary: bytes }))
    const got = await sm.send(new GetSecretValueCommand({ SecretId: 'bin' }))
    expect(got.SecretBinary).toEqual(bytes)
    expect(got.SecretString).toBeUndefined()
    expect(sim.current('bin').binary).toEqual(bytes)
    for (const input of [{ SecretString: 's', SecretBinary: bytes }, {}]) {
      expect(await failure(sm.send(new PutSecretValueCommand({ SecretId: 'bin', ...input })))).toMatchObject({
        name: 'InvalidParameterException',
        status: 400,
      })
    }
  })

  it('UpdateSecret with a value makes a new AWSCURRENT version and updates the description', async () => {
    const { versionId } = sim.createSecret('upd', 'old', { description: 'before' })
    const r = await sm.send(new UpdateSecretCommand({ SecretId: 'upd', SecretString: 'new', Description: 'after' }))
    expect(sim.current('upd')).toMatchObject({ versionId: r.VersionId, value: 'new' })
    expect(sim.versions('upd').find((v) => v.versionId === versionId)?.labels).toEqual(['AWSPREVIOUS'])
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'upd' }))).Description).toBe('after')
  })

  it('drops the faults still queued on clearFaults', async () => {
    sim.createSecret('cleared', 'v0')
    sim.failNext('*', { status: 500, body: { __type: 'InternalServiceError', Message: 'injected' }, times: 3 })
    sim.clearFaults()
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'cleared' }))).SecretString).toBe('v0')
  })

  it('serves a queued fault to the next call of that operation only, then answers normally', async () => {
    sim.createSecret('f', 'v0')
    sim.failNext('PutSecretValue', { status: 500, body: { __type: 'InternalServiceError', Message: 'injected' } })
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'f' }))).SecretString).toBe('v0')
    expect(await failure(sm.send(new PutSecretValueCommand({ SecretId: 'f', SecretString: 'v1' })))).toEqual({
      name: 'InternalServiceError',
      status: 500,
      message: 'injected',
    })
    expect(sim.versions('f')).toHaveLength(1)
    await sm.send(new PutSecretValueCommand({ SecretId: 'f', SecretString: 'v1' }))
    expect(sim.current('f').value).toBe('v1')
    expect(sim.requests.map((r) => r.headers['x-amz-target'])).toEqual([
      'secretsmanager.GetSecretValue',
      'secretsmanager.PutSecretValue',
      'secretsmanager.PutSecretValue',
    ])
  })

  it('is reached through AWS_ENDPOINT_URL_SECRETS_MANAGER, as the action will configure it', async () => {
    sim.createSecret('env', 'v')
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', sim.url)
    const viaEnv = sdkClient(sim, CREDENTIALS, undefined)
    try {
      expect((await viaEnv.send(new GetSecretValueCommand({ SecretId: 'env' }))).SecretString).toBe('v')
    } finally {
      viaEnv.destroy()
      vi.unstubAllEnvs()
    }
    expect(sim.calls('GetSecretValue')[0]!.accessKeyId).toBe(CREDENTIALS.accessKeyId)
  })
})

describe('Secrets Manager simulator: requests outside the protocol and the model', () => {
  let sim: SecretsManagerSim

  beforeEach(async () => {
    sim = await startSecretsManagerSim()
    sim.createSecret('s', 'stored')
  })

  afterEach(async () => {
    await sim.close()
  })

  it.each([
    [
      'an unknown member',
      'DescribeSecret',
      { SecretId: 's', Extra: 1 },
      'SerializationException',
      "the body: 'Extra' is not a member of DescribeSecretRequest",
    ],
    ['a missing required member', 'GetSecretValue', {}, 'ValidationException', 'SecretId: is required but missing'],
    [
      'a number for a string',
      'DescribeSecret',
      { SecretId: 42 },
      'SerializationException',
      'SecretId: must be a JSON string (string), got number',
    ],
    ['a null member', 'GetSecretValue', { SecretId: 's', VersionId: null }, 'SerializationException', 'VersionId: must not be null'],
    [
      'a ClientRequestToken below 32 characters',
      'PutSecretValue',
      { SecretId: 's', SecretString: 'conforming-secret', ClientRequestToken: 'short' },
      'ValidationException',
      'ClientRequestToken: length 5 is below the minimum 32',
    ],
    [
      'an empty SecretString',
      'PutSecretValue',
      { SecretId: 's', SecretString: '' },
      'ValidationException',
      'SecretString: length 0 is below the minimum 1',
    ],
    [
      'an empty VersionStages',
      'PutSecretValue',
      { SecretId: 's', SecretString: 'v', VersionStages: [] },
      'ValidationException',
      'VersionStages: item count 0',
    ],
    [
      'a RotationToken off its pattern',
      'PutSecretValue',
      { SecretId: 's', SecretString: 'v', RotationToken: `${'a'.repeat(36)}!` },
      'ValidationException',
      'RotationToken: does not match the pattern',
    ],
    [
      'a SecretBinary that is not base64',
      'PutSecretValue',
      { SecretId: 's', SecretBinary: 'not base64!' },
      'SerializationException',
      'SecretBinary: must be base64',
    ],
    [
      'a Tags item off its shape',
      'CreateSecret',
      { Name: 'n', Tags: [{ Key: '', Value: 'v', Other: 'x' }] },
      'SerializationException',
      "'Other' is not a member of Tag",
    ],
    ['a body that is not JSON', 'DescribeSecret', '{"SecretId":', 'SerializationException', 'the body is not JSON'],
    ['a body that is a JSON array', 'DescribeSecret', '[]', 'SerializationException', 'the body must be a JSON object, got array'],
    [
      'an operation outside the model',
      'ListSecrets',
      {},
      'UnknownOperationException',
      'X-Amz-Target names no operation of the model: secretsmanager.ListSecrets',
    ],
  ])('records %s as a violation and answers %s', async (_what, operation, body, type, violation) => {
    const r = await raw(sim, operation, body)
    expect(r.status).toBe(400)
    expect(r.json.__type).toBe(type)
    expect(typeof r.json.message).toBe('string')
    expect(sim.violations.some((v) => v.includes(violation))).toBe(true)
    expect(sim.versions('s').map((v) => v.value)).toEqual(['stored'])
  })

  it('records every departure of one request, never the values in it', async () => {
    const r = await raw(sim, 'PutSecretValue', { SecretId: 's', SecretString: '', ClientRequestToken: 'x', Bogus: 'do-not-echo-this' })
    expect(r.json.__type).toBe('SerializationException')
    expect(sim.violations).toEqual([
      "PutSecretValue: the body: 'Bogus' is not a member of PutSecretValueRequest",
      'PutSecretValue: ClientRequestToken: length 1 is below the minimum 32',
      'PutSecretValue: SecretString: length 0 is below the minimum 1',
    ])
    expect(JSON.stringify(sim.violations)).not.toContain('do-not-echo-this')
  })

  it('records a Content-Type other than application/x-amz-json-1.1 and a method or path other than POST /', async () => {
    const r = await raw(sim, 'DescribeSecret', { SecretId: 's' }, { 'content-type': 'application/json' })
    expect(r.status).toBe(400)
    expect(r.json.__type).toBe('SerializationException')
    const get = await fetch(`${sim.url}/secrets`, {
      headers: { 'x-amz-target': 'secretsmanager.DescribeSecret', authorization: RAW_AUTH },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    })
    expect(get.status).toBe(400)
    expect(sim.violations).toEqual([
      "DescribeSecret: Content-Type must be application/x-amz-json-1.1, got 'application/json'",
      'DescribeSecret: the method must be POST, got GET',
      'DescribeSecret: the path must be /, got /secrets',
      "DescribeSecret: Content-Type must be application/x-amz-json-1.1, got ''",
      'DescribeSecret: the body is not JSON',
    ])
  })

  it('accepts a conforming hand-made request without ClientRequestToken and generates the VersionId', async () => {
    const r = await raw(sim, 'PutSecretValue', { SecretId: 's', SecretString: 'next' })
    expect(r.status).toBe(200)
    expect(r.contentType).toBe('application/x-amz-json-1.1')
    expect(r.json.VersionId).toMatch(UUID)
    expect(sim.current('s')).toMatchObject({ versionId: r.json.VersionId, value: 'next' })
    expect(sim.violations).toEqual([])
  })

  it('refuses a request without a SigV4 Authorization header or with one for another service', async () => {
    const cases: [string | undefined, number, string][] = [
      [undefined, 403, 'MissingAuthenticationToken'],
      ['Bearer abc', 400, 'IncompleteSignature'],
      [RAW_AUTH.replace('/secretsmanager/', '/s3/'), 400, 'InvalidSignatureException'],
    ]
    for (const [authorization, status, type] of cases) {
      const r = await raw(sim, 'GetSecretValue', { SecretId: 's' }, { authorization })
      expect([r.status, r.json.__type]).toEqual([status, type])
    }
    // Authentication failures are answered, not violations of the model.
    expect(sim.violations).toEqual([])
  })

  it('reads the model from SECRETS_MANAGER_MODEL or modelPath, and names the path when it cannot', async () => {
    await expect(startSecretsManagerSim({ modelPath: '/nonexistent/model.json' })).rejects.toThrow('/nonexistent/model.json')
    vi.stubEnv('SECRETS_MANAGER_MODEL', '/nonexistent/env-model.json')
    try {
      await expect(startSecretsManagerSim()).rejects.toThrow('/nonexistent/env-model.json')
      vi.stubEnv('SECRETS_MANAGER_MODEL', MODEL_FILE)
      const viaEnv = await startSecretsManagerSim()
      await viaEnv.close()
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('refuses test setup the service would refuse', () => {
    expect(() => sim.createSecret('s', 'again')).toThrow('the name is taken')
    expect(() => sim.createSecret('empty', '')).toThrow('SecretString: length 0 is below the minimum 1')
    expect(() => sim.createSecret('bad name', 'v')).toThrow('InvalidParameterException')
  })
})
