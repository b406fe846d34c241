// Proves the Parameter Store simulator (test/sim/ssm.ts) behaves as the service documents, driven by the real
// @aws-sdk/client-ssm, and that its model check catches requests the SDK would never send.
import {
  DescribeParametersCommand,
  GetParameterCommand,
  paginateDescribeParameters,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
  type ParameterMetadata,
} from '@aws-sdk/client-ssm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startSsmSim, type SsmSim } from './ssm.ts'

vi.setConfig({ testTimeout: 5000, hookTimeout: 5000 })

/** Upper bound for any single HTTP exchange with the simulator. */
const HTTP_TIMEOUT_MS = 2000
const CREDENTIALS = { accessKeyId: 'AKIASIMULATOR0000001', secretAccessKey: 'simulator-secret-access-key-1' }
const OTHER_CREDENTIALS = { accessKeyId: 'AKIASIMULATOR0000002', secretAccessKey: 'simulator-secret-access-key-2' }
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
/** A syntactically complete SigV4 header: the simulator checks its form, not the signature. */
const rawAuth = (service = 'ssm') =>
  `AWS4-HMAC-SHA256 Credential=AKIARAWCALLER0000001/20260101/us-east-1/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`

function sdkClient(sim: SsmSim, credentials = CREDENTIALS, maxAttempts = 1): SSMClient {
  return new SSMClient({
    endpoint: sim.url,
    region: sim.region,
    credentials,
    // One attempt unless a test says otherwise: it sees exactly the answer the simulator gave.
    maxAttempts,
    requestHandler: { connectionTimeout: HTTP_TIMEOUT_MS, requestTimeout: HTTP_TIMEOUT_MS },
  })
}

/** The service error a call failed with: name, HTTP status, message. */
async function failure(call: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await call
  } catch (e) {
    if (e instanceof SSMServiceException) return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message }
    throw e
  }
  throw new Error('expected the call to fail')
}

/** A hand-made request; a header set to undefined is left out. */
async function raw(
  sim: SsmSim,
  operation: string,
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const all: Record<string, string | undefined> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AmazonSSM.${operation}`,
    authorization: rawAuth(),
    ...headers,
  }
  const r = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)),
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  })
  return { status: r.status, json: (await r.json()) as Record<string, unknown> }
}

describe('Parameter Store simulator through the AWS SDK', () => {
  let sim: SsmSim
  let ssm: SSMClient

  beforeEach(async () => {
    sim = await startSsmSim()
    ssm = sdkClient(sim)
  })

  afterEach(async () => {
    ssm.destroy()
    await sim.close()
    // Whatever the test did, the SDK's requests matched the model.
    expect(sim.violations).toEqual([])
  })

  it('creates a SecureString, overwrites it keeping key, tier and type, and reads it by name and by ARN', async () => {
    const created = await ssm.send(
      new PutParameterCommand({ Name: '/sp-api/lwa', Value: 'v1', Type: 'SecureString', KeyId: KEY, Tier: 'Advanced' }),
    )
    expect(created).toMatchObject({ Version: 1, Tier: 'Advanced' })
    const put = await ssm.send(
      new PutParameterCommand({ Name: '/sp-api/lwa', Value: 'v2', Type: 'SecureString', KeyId: KEY, Tier: 'Advanced', Overwrite: true }),
    )
    expect(put).toMatchObject({ Version: 2, Tier: 'Advanced' })
    const arn = 'arn:aws:ssm:us-east-1:123456789012:parameter/sp-api/lwa'
    for (const name of ['/sp-api/lwa', arn]) {
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      expect(Parameter).toMatchObject({ Name: '/sp-api/lwa', Type: 'SecureString', Value: 'v2', Version: 2, ARN: arn, DataType: 'text' })
      expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date)
    }
    expect(sim.current('/sp-api/lwa')).toMatchObject({ value: 'v2', keyId: KEY, tier: 'Advanced', version: 2 })
    expect(sim.versions(arn).map((v) => v.value)).toEqual(['v1', 'v2'])
  })

  it('shows a SecureString only as ciphertext without WithDecryption; String values are plain either way', async () => {
    sim.putParameter('secure', 'the-plaintext')
    sim.putParameter('plain', 'visible', { type: 'String' })
    const secure = await ssm.send(new GetParameterCommand({ Name: 'secure' }))
    expect(secure.Parameter?.Value).not.toContain('the-plaintext')
    expect(secure.Parameter?.Value).toMatch(/^AQICAH/)
    expect((await ssm.send(new GetParameterCommand({ Name: 'plain', WithDecryption: true }))).Parameter?.Value).toBe('visible')
  })

  it('selects a version by number or label', async () => {
    sim.putParameter('/a/b', 'one')
    sim.putParameter('/a/b', 'two', { overwrite: true })
    sim.labelVersion('/a/b', 1, 'stable')
    expect((await ssm.send(new GetParameterCommand({ Name: '/a/b:1', WithDecryption: true }))).Parameter).toMatchObject({
      Value: 'one',
      Selector: ':1',
    })
    expect((await ssm.send(new GetParameterCommand({ Name: '/a/b:stable', WithDecryption: true }))).Parameter?.Version).toBe(1)
    expect(await failure(ssm.send(new GetParameterCommand({ Name: '/a/b:7' })))).toMatchObject({ name: 'ParameterVersionNotFound' })
  })

  it('re-encrypts under alias/aws/ssm when an overwrite names no KeyId, and takes the default tier when it names none', async () => {
    sim.putParameter('/k', 'v1', { keyId: KEY })
    await ssm.send(new PutParameterCommand({ Name: '/k', Value: 'v2', Overwrite: true }))
    expect(sim.current('/k')).toMatchObject({ type: 'SecureString', keyId: 'alias/aws/ssm', tier: 'Standard' })

    sim.putParameter('/adv', 'v1', { tier: 'Advanced', keyId: KEY })
    const downgrade = await failure(ssm.send(new PutParameterCommand({ Name: '/adv', Value: 'v2', KeyId: KEY, Overwrite: true })))
    expect(downgrade).toMatchObject({ name: 'ValidationException', status: 400 })
    expect(sim.current('/adv')).toMatchObject({ value: 'v1', tier: 'Advanced' })
  })

  it('adds a version on every write, even of the same value', async () => {
    sim.putParameter('/same', 'v')
    await ssm.send(new PutParameterCommand({ Name: '/same', Value: 'v', Type: 'SecureString', Overwrite: true }))
    expect(sim.versions('/same').map((v) => v.version)).toEqual([1, 2])
  })

  it('keeps 100 versions: drops the oldest, or refuses when the oldest has a label', async () => {
    sim.putParameter('/many', 'v1')
    for (let i = 2; i <= 100; i++) sim.putParameter('/many', `v${i}`, { overwrite: true })
    await ssm.send(new PutParameterCommand({ Name: '/many', Value: 'v101', Overwrite: true }))
    expect(sim.versions('/many')).toHaveLength(100)
    expect(sim.versions('/many')[0]!.version).toBe(2)

    sim.labelVersion('/many', 2, 'pinned')
    const refused = await failure(ssm.send(new PutParameterCommand({ Name: '/many', Value: 'v102', Overwrite: true })))
    expect(refused).toMatchObject({ name: 'ParameterMaxVersionLimitExceeded', status: 400 })
    expect(refused.message).toContain("Version 2, the oldest version, can't be deleted because it has a label")
    expect(sim.current('/many').value).toBe('v101')
  })

  it('refuses what the service refuses: a duplicate, a type change, tags with overwrite, bad names', async () => {
    sim.putParameter('/x', 'v')
    expect(await failure(ssm.send(new PutParameterCommand({ Name: '/x', Value: 'w', Type: 'SecureString' })))).toMatchObject({
      name: 'ParameterAlreadyExists',
    })
    expect(await failure(ssm.send(new PutParameterCommand({ Name: '/x', Value: 'w', Type: 'String', Overwrite: true })))).toMatchObject({
      name: 'HierarchyTypeMismatchException',
    })
    const tags = await failure(
      ssm.send(new PutParameterCommand({ Name: '/x', Value: 'w', Overwrite: true, Tags: [{ Key: 'team', Value: 'ops' }] })),
    )
    expect(tags.message).toContain("tags and overwrite can't be used together")
    const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`
    expect(await failure(ssm.send(new PutParameterCommand({ Name: deep, Value: 'v', Type: 'String' })))).toMatchObject({
      name: 'HierarchyLevelLimitExceededException',
    })
    expect(await failure(ssm.send(new PutParameterCommand({ Name: '/a b', Value: 'v', Type: 'String' })))).toMatchObject({
      name: 'ParameterPatternMismatchException',
    })
    for (const name of ['/aws/x', 'ssm-thing', 'no/leading/slash'])
      expect((await failure(ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' })))).name, name).toBe(
        'ValidationException',
      )
    expect(await failure(ssm.send(new GetParameterCommand({ Name: '/nowhere' })))).toMatchObject({ name: 'ParameterNotFound' })
  })

  it('describes one parameter by name with its key, tier and data type, following NextToken over empty pages', async () => {
    sim.putParameter('/sp-api/lwa', 'v', { keyId: KEY, tier: 'Advanced', description: 'LWA client secret' })
    sim.putParameter('/sp-api/other', 'v', { type: 'String' })
    sim.emptyDescribePages(2)
    const found: ParameterMetadata[] = []
    for await (const page of paginateDescribeParameters(
      { client: ssm },
      { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/sp-api/lwa'] }] },
    ))
      found.push(...(page.Parameters ?? []))
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({
      Name: '/sp-api/lwa',
      ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/sp-api/lwa',
      Type: 'SecureString',
      KeyId: KEY,
      Tier: 'Advanced',
      DataType: 'text',
      Version: 1,
      Description: 'LWA client secret',
    })
    expect(sim.calls('DescribeParameters')).toHaveLength(3)

    const begins = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/sp-api/'] }] }),
    )
    expect(begins.Parameters?.map((p) => p.Name)).toEqual(['/sp-api/lwa', '/sp-api/other'])
    expect(begins.Parameters?.find((p) => p.Type === 'String')?.KeyId).toBeUndefined()
    expect(await failure(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] })))).toMatchObject({
      name: 'InvalidFilterKey',
    })
  })

  it('denies an action per parameter and per caller, and KMS per key, naming what was refused', async () => {
    sim.putParameter('/lwa', 'v', { keyId: KEY })
    sim.putParameter('/other', 'v')
    const lift = sim.deny('PutParameter', '/lwa', CREDENTIALS.accessKeyId)
    const denied = await failure(ssm.send(new PutParameterCommand({ Name: '/lwa', Value: 'w', KeyId: KEY, Overwrite: true })))
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 400 })
    expect(denied.message).toContain('ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/lwa')
    await ssm.send(new PutParameterCommand({ Name: '/other', Value: 'w', Overwrite: true }))
    const other = sdkClient(sim, OTHER_CREDENTIALS)
    await other.send(new PutParameterCommand({ Name: '/lwa', Value: 'w', KeyId: KEY, Overwrite: true }))
    other.destroy()
    lift()

    const liftKms = sim.denyKms('Decrypt', KEY)
    const decrypt = await failure(ssm.send(new GetParameterCommand({ Name: '/lwa', WithDecryption: true })))
    expect(decrypt.message).toContain(`kms:Decrypt on resource: ${KEY}`)
    // Without decryption, KMS is not asked.
    await ssm.send(new GetParameterCommand({ Name: '/lwa' }))
    liftKms()
    sim.denyKms('Encrypt', KEY)
    expect((await failure(ssm.send(new PutParameterCommand({ Name: '/lwa', Value: 'x', KeyId: KEY, Overwrite: true })))).message).toContain(
      'kms:Encrypt',
    )
    expect(sim.current('/lwa').value).toBe('w')

    sim.deny('DescribeParameters')
    expect((await failure(ssm.send(new DescribeParametersCommand({})))).message).toContain('ssm:DescribeParameters on resource')
  })

  it("answers injected model errors with the model's status and message member, and ThrottlingException", async () => {
    sim.putParameter('/t', 'v')
    sim.failNextWith('PutParameter', 'TooManyUpdates')
    const raw1 = await raw(sim, 'PutParameter', { Name: '/t', Value: 'w', Overwrite: true })
    expect(raw1).toEqual({ status: 400, json: { __type: 'TooManyUpdates', Message: 'injected TooManyUpdates' } })
    sim.failNextWith('GetParameter', 'ParameterNotFound')
    expect((await raw(sim, 'GetParameter', { Name: '/t' })).json).toEqual({
      __type: 'ParameterNotFound',
      message: 'injected ParameterNotFound',
    })
    expect(() => sim.failNextWith('GetParameter', 'TooManyUpdates')).toThrow(/not in its error list/)

    // The SDK retries ThrottlingException by itself; TooManyUpdates answered with 400 it does not (not in its throttling codes).
    sim.failNextWith('PutParameter', 'ThrottlingException')
    const retrying = sdkClient(sim, CREDENTIALS, 3)
    expect((await retrying.send(new PutParameterCommand({ Name: '/t', Value: 'w', Overwrite: true }))).Version).toBe(2)
    sim.failNextWith('PutParameter', 'TooManyUpdates')
    expect(await failure(retrying.send(new PutParameterCommand({ Name: '/t', Value: 'x', Overwrite: true })))).toMatchObject({
      name: 'TooManyUpdates',
      status: 400,
    })
    retrying.destroy()
    expect(sim.current('/t').value).toBe('w')
  })
})

describe('Parameter Store simulator: the model check', () => {
  let sim: SsmSim

  beforeEach(async () => {
    sim = await startSsmSim()
  })

  afterEach(async () => {
    await sim.close()
  })

  it.each([
    [
      'a type the model does not list',
      'PutParameter',
      { Name: '/x', Value: 'v', Type: 'Secret' },
      'ValidationException',
      'Type: must be one of',
    ],
    [
      'a tier the model does not list',
      'PutParameter',
      { Name: '/x', Value: 'v', Type: 'String', Tier: 'Premium' },
      'ValidationException',
      'Tier',
    ],
    [
      'a key id outside its pattern',
      'PutParameter',
      { Name: '/x', Value: 'v', KeyId: 'alias key' },
      'ValidationException',
      'KeyId: does not match',
    ],
    ['a missing Value', 'PutParameter', { Name: '/x' }, 'ValidationException', 'Value: is required'],
    [
      'Overwrite as a string',
      'PutParameter',
      { Name: '/x', Value: 'v', Overwrite: 'true' },
      'SerializationException',
      'Overwrite: must be a JSON boolean',
    ],
    ['MaxResults above 50', 'DescribeParameters', { MaxResults: 51 }, 'ValidationException', 'MaxResults: 51 is above the maximum 50'],
    ['a member the shape lacks', 'GetParameter', { Name: '/x', Decrypt: true }, 'SerializationException', "'Decrypt' is not a member"],
  ])('refuses %s and records the violation', async (_what, operation, body, type, violation) => {
    const r = await raw(sim, operation, body)
    expect([r.status, r.json.__type]).toEqual([400, type])
    expect(
      sim.violations.some((v) => v.includes(violation)),
      JSON.stringify(sim.violations),
    ).toBe(true)
  })

  it('never puts a value into a violation', async () => {
    await raw(sim, 'PutParameter', { Name: '/x', Value: 'do-not-echo-this', Type: 'Nope' })
    expect(sim.violations.length).toBeGreaterThan(0)
    expect(JSON.stringify(sim.violations)).not.toContain('do-not-echo-this')
  })

  it('answers an unknown operation, a wrong media type and bad signatures as the service would', async () => {
    expect((await raw(sim, 'DeleteParameter', { Name: '/x' })).json.__type).toBe('UnknownOperationException')
    expect((await raw(sim, 'GetParameter', { Name: '/x' }, { 'content-type': 'application/json' })).json.__type).toBe(
      'SerializationException',
    )
    expect(sim.violations).toHaveLength(2)
    sim.violations.length = 0
    expect(await raw(sim, 'GetParameter', { Name: '/x' }, { authorization: undefined })).toMatchObject({
      status: 403,
      json: { __type: 'MissingAuthenticationToken' },
    })
    expect((await raw(sim, 'GetParameter', { Name: '/x' }, { authorization: rawAuth('secretsmanager') })).json.__type).toBe(
      'InvalidSignatureException',
    )
    expect(sim.violations).toEqual([])
  })

  it('refuses setup the service would refuse', () => {
    expect(() => sim.putParameter('/x', 'v', { keyId: 'not a key' })).toThrow(/KeyId/)
    expect(() => sim.putParameter('/x', 'v', { type: 'String', keyId: KEY })).toThrow(/ValidationException/)
    expect(() => sim.putParameter('/x', 'x'.repeat(4097))).toThrow(/4096/)
    sim.putParameter('/big', 'x'.repeat(5000), { tier: 'Advanced' })
    expect(sim.current('/big').tier).toBe('Advanced')
  })
})
