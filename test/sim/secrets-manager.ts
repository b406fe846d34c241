// AWS Secrets Manager simulator: CreateSecret, DescribeSecret, GetSecretValue, PutSecretValue and UpdateSecret over
// the service's AWS JSON 1.1 protocol (POST /, X-Amz-Target: secretsmanager.<Operation>), on one loopback HTTP
// server. Behaviour follows the Secrets Manager API reference; every request is checked against the input
// shapes of the vendored Smithy model extract (test/specs/secrets-manager-2017-10-17.trimmed.json) and every answer against
// the output shapes, so a client that drifts from the model shows up in `violations` and a simulator that drifts
// from it fails loudly (500).
import { randomInt, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
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

export type SecretsManagerOperation = 'CreateSecret' | 'DescribeSecret' | 'GetSecretValue' | 'PutSecretValue' | 'UpdateSecret'

export interface SecretsManagerSimOptions {
  /** Region in ARNs (default 'us-east-1'). The SigV4 scope's region is not compared with it. */
  region?: string
  /** Account id in ARNs (default '123456789012'). */
  accountId?: string
  /** The Smithy model; default: $SECRETS_MANAGER_MODEL, else the vendored copy in test/specs. */
  modelPath?: string | URL
}

export interface SecretVersion {
  versionId: string
  /** SecretString; undefined for a binary version. */
  value: string | undefined
  /** SecretBinary; undefined for a string version. */
  binary: Uint8Array | undefined
  /** Staging labels, e.g. ['AWSCURRENT']; empty for a deprecated version. */
  labels: string[]
  createdDate: Date
}

export interface CreateSecretOptions {
  description?: string
  kmsKeyId?: string
  tags?: { Key: string; Value: string }[]
  /** VersionId of the first version (default: a random UUID). */
  versionId?: string
}

/** One request that named a known operation and carried a JSON object body. */
export interface SecretsManagerCall {
  operation: SecretsManagerOperation
  /** The parsed body. Holds secret values: assert on it, never print it. */
  input: Record<string, unknown>
  /** From the SigV4 Credential; undefined when the request was not signed. */
  accessKeyId: string | undefined
}

export interface SecretsManagerSim {
  /** http://127.0.0.1:PORT: what AWS_ENDPOINT_URL_SECRETS_MANAGER (or a client's `endpoint`) is set to. */
  url: string
  region: string
  accountId: string
  requests: RecordedRequest[]
  /**
   * One line per way a request departed from the protocol or the model's input shapes (operation, member path,
   * constraint; never a value). Such requests are answered with an error as the service would. A missing or malformed
   * SigV4 header is answered (MissingAuthenticationToken, IncompleteSignature) but is not a violation.
   */
  violations: string[]
  /** Requests routed to an operation, in order; all of them or those of one operation. */
  calls(operation?: SecretsManagerOperation): SecretsManagerCall[]
  /** Test setup without HTTP: a secret whose first version (AWSCURRENT) holds `value`. Throws if the name is taken or invalid. */
  createSecret(name: string, value: string, opts?: CreateSecretOptions): { arn: string; versionId: string }
  /** The AWSCURRENT version; throws for an unknown secret or one without a current version. */
  current(nameOrArn: string): SecretVersion
  /** Every version, oldest first, deprecated ones (no labels) included. */
  versions(nameOrArn: string): SecretVersion[]
  /**
   * Makes `action` (or every action, '*') answer AccessDeniedException: for every secret or only `secretId` (resolved
   * like a request's SecretId; for CreateSecret it is the Name), for every caller or only `accessKeyId`. Returns a
   * function that lifts the denial.
   */
  deny(action: SecretsManagerOperation | '*', secretId?: string, accessKeyId?: string): () => void
  /** Marks a secret as scheduled for deletion: reads and writes then fail with InvalidRequestException. */
  scheduleDeletion(nameOrArn: string): void
  /**
   * Queued faults, consumed in order, served to the next requests for that operation ('*': any operation) before
   * authentication and denials; a non-conforming request still has its violations recorded.
   */
  failNext(target: SecretsManagerOperation | '*', fault: Fault): void
  /** Drops the faults still queued by failNext (denials stay until lifted). */
  clearFaults(): void
  close(): Promise<void>
}

const DEFAULT_MODEL = new URL('../specs/secrets-manager-2017-10-17.trimmed.json', import.meta.url)
const JSON_11 = 'application/x-amz-json-1.1'
const CURRENT = 'AWSCURRENT'
const PREVIOUS = 'AWSPREVIOUS'
/** A partial ARN ending like this is taken as complete (service docs, "Finding a secret from a partial ARN"). */
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/
/** NameType has no pattern trait; these are the characters the service docs allow (see the shared doc). */
const NAME_CHARS = /^[A-Za-z0-9/_+=.@-]+$/
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

// ---------------------------------------------------------------------------------------------------------------
// The model and the shape check

interface SmithyMember {
  target: string
  traits?: Record<string, unknown>
}

interface SmithyShape {
  type: string
  members?: Record<string, SmithyMember>
  member?: SmithyMember
  key?: SmithyMember
  value?: SmithyMember
  traits?: Record<string, unknown>
  input?: { target: string }
  output?: { target: string }
  errors?: { target: string }[]
  operations?: { target: string }[]
}

interface Issue {
  /** serialization: the body cannot be read as the shape; validation: it can, but breaks a constraint trait. */
  kind: 'serialization' | 'validation'
  path: string
  message: string
}

interface Model {
  /** The service shape's name: the X-Amz-Target prefix. */
  serviceName: string
  namespace: string
  shapes: Record<string, SmithyShape>
  operations: Map<string, SmithyShape>
}

/** Prelude shapes a model may target directly. */
const PRELUDE: Record<string, string> = {
  String: 'string',
  Blob: 'blob',
  Boolean: 'boolean',
  PrimitiveBoolean: 'boolean',
  Byte: 'byte',
  PrimitiveByte: 'byte',
  Short: 'short',
  PrimitiveShort: 'short',
  Integer: 'integer',
  PrimitiveInteger: 'integer',
  Long: 'long',
  PrimitiveLong: 'long',
  Float: 'float',
  PrimitiveFloat: 'float',
  Double: 'double',
  PrimitiveDouble: 'double',
  BigInteger: 'bigInteger',
  BigDecimal: 'bigDecimal',
  Timestamp: 'timestamp',
  Document: 'document',
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  bigInteger: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

const modelCache = new Map<string, Promise<Model>>()

function loadModel(location: string | URL): Promise<Model> {
  const key = String(location)
  let m = modelCache.get(key)
  if (!m) {
    m = readFile(location, 'utf8').then(parseModel, (err: unknown) => {
      modelCache.delete(key)
      throw new Error(`secrets manager sim: cannot read the Smithy model at ${key}: ${String(err)}`)
    })
    modelCache.set(key, m)
  }
  return m
}

function parseModel(text: string): Model {
  // A Smithy JSON AST keeps the service among its shapes; the trimmed extract keeps it beside them, under `service`.
  const json = JSON.parse(text) as { shapes?: Record<string, SmithyShape>; service?: Record<string, SmithyShape> }
  const shapes = { ...json.shapes, ...json.service }
  const services = Object.entries(shapes).filter(([, s]) => s.type === 'service')
  if (services.length !== 1) throw new Error(`secrets manager sim: expected one service shape in the model, found ${services.length}`)
  const [serviceId, service] = services[0]!
  const [namespace, serviceName] = serviceId.split('#') as [string, string]
  const operations = new Map<string, SmithyShape>()
  for (const { target } of service.operations ?? []) {
    const op = shapes[target]
    if (op?.type === 'operation') operations.set(target.split('#')[1]!, op)
  }
  return { serviceName, namespace, shapes, operations }
}

/** The shape a target names, with the prelude resolved. */
function shapeOf(model: Model, target: string): SmithyShape {
  const s = model.shapes[target]
  if (s) return s
  const prelude = target.startsWith('smithy.api#') ? PRELUDE[target.slice('smithy.api#'.length)] : undefined
  if (prelude) return { type: prelude }
  throw new Error(`secrets manager sim: the model has no shape ${target}`)
}

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

/**
 * Checks `value` against the shape `target` (plus the traits of the member that points at it), as a server
 * deserializing and validating awsJson1_1 would. Issues carry member paths and constraints, never values: members
 * such as SecretString are sensitive.
 */
function checkShape(model: Model, target: string, memberTraits: Record<string, unknown>, value: unknown, path: string, out: Issue[]): void {
  const shape = shapeOf(model, target)
  const traits = { ...shape.traits, ...memberTraits }
  const here = path === '' ? 'the body' : path
  const serialization = (message: string) => out.push({ kind: 'serialization', path: here, message })
  const validation = (message: string) => out.push({ kind: 'validation', path: here, message })
  const length = traits['smithy.api#length'] as { min?: number; max?: number } | undefined
  const checkLength = (n: number, unit: string) => {
    if (length?.min !== undefined && n < length.min) validation(`${unit} ${n} is below the minimum ${length.min}`)
    if (length?.max !== undefined && n > length.max) validation(`${unit} ${n} is above the maximum ${length.max}`)
  }
  const expect = (type: string): boolean => {
    if (jsonType(value) === type) return true
    serialization(`must be a JSON ${type} (${shape.type}), got ${jsonType(value)}`)
    return false
  }

  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (!expect('object')) return
      const obj = value as Record<string, unknown>
      const members = shape.members ?? {}
      const shapeName = target.split('#')[1] ?? target
      for (const key of Object.keys(obj)) {
        if (!Object.hasOwn(members, key)) serialization(`'${key}' is not a member of ${shapeName}`)
      }
      let set = 0
      for (const [name, member] of Object.entries(members)) {
        const p = path === '' ? name : `${path}.${name}`
        if (!Object.hasOwn(obj, name)) {
          if (member.traits?.['smithy.api#required'] !== undefined && shape.type === 'structure') {
            out.push({ kind: 'validation', path: p, message: 'is required but missing' })
          }
          continue
        }
        set++
        if (obj[name] === null) {
          out.push({ kind: 'serialization', path: p, message: 'must not be null' })
          continue
        }
        checkShape(model, member.target, member.traits ?? {}, obj[name], p, out)
      }
      if (shape.type === 'union' && set !== 1) serialization(`a union must set exactly one member, ${set} set`)
      return
    }
    case 'list':
    case 'set': {
      if (!expect('array')) return
      const items = value as unknown[]
      checkLength(items.length, 'item count')
      items.forEach((item, i) => {
        if (item === null) out.push({ kind: 'serialization', path: `${path}[${i}]`, message: 'must not be null' })
        else checkShape(model, shape.member!.target, shape.member!.traits ?? {}, item, `${path}[${i}]`, out)
      })
      if (shape.type === 'set' || traits['smithy.api#uniqueItems'] !== undefined) {
        if (new Set(items.map((i) => JSON.stringify(i))).size !== items.length) validation('items must be unique')
      }
      return
    }
    case 'map': {
      if (!expect('object')) return
      const entries = Object.entries(value as Record<string, unknown>)
      checkLength(entries.length, 'entry count')
      for (const [k, v] of entries) {
        checkShape(model, shape.key!.target, shape.key!.traits ?? {}, k, `${path}{key}`, out)
        if (v === null) out.push({ kind: 'serialization', path: `${path}{value}`, message: 'must not be null' })
        else checkShape(model, shape.value!.target, shape.value!.traits ?? {}, v, `${path}{value}`, out)
      }
      return
    }
    case 'string':
    case 'enum': {
      if (!expect('string')) return
      const s = value as string
      // Smithy counts a string's length in Unicode code points.
      checkLength([...s].length, 'length')
      const pattern = traits['smithy.api#pattern']
      if (typeof pattern === 'string' && !new RegExp(pattern).test(s)) validation(`does not match the pattern ${pattern}`)
      const allowed =
        shape.type === 'enum'
          ? Object.values(shape.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue'])
          : (traits['smithy.api#enum'] as { value: string }[] | undefined)?.map((e) => e.value)
      if (allowed && !allowed.includes(s)) validation(`must be one of ${allowed.join(', ')}`)
      return
    }
    case 'blob': {
      if (!expect('string')) return
      const s = value as string
      if (!BASE64.test(s)) {
        serialization('must be base64')
        return
      }
      checkLength(Buffer.from(s, 'base64').length, 'byte length')
      return
    }
    case 'boolean':
      expect('boolean')
      return
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'bigInteger':
    case 'intEnum':
    case 'float':
    case 'double':
    case 'bigDecimal': {
      const isFloat = shape.type === 'float' || shape.type === 'double' || shape.type === 'bigDecimal'
      // awsJson sends non-finite floats as these strings.
      if (isFloat && (value === 'NaN' || value === 'Infinity' || value === '-Infinity')) return
      if (!expect('number')) return
      const n = value as number
      if (!isFloat) {
        const [lo, hi] = INTEGER_RANGES[shape.type] ?? INTEGER_RANGES.integer!
        if (!Number.isInteger(n) || n < lo || n > hi) {
          serialization(`must be a ${shape.type}`)
          return
        }
      }
      const range = traits['smithy.api#range'] as { min?: number; max?: number } | undefined
      if (range?.min !== undefined && n < range.min) validation(`${n} is below the minimum ${range.min}`)
      if (range?.max !== undefined && n > range.max) validation(`${n} is above the maximum ${range.max}`)
      if (shape.type === 'intEnum') {
        const allowed = Object.values(shape.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue'])
        if (!allowed.includes(n)) validation(`must be one of ${allowed.join(', ')}`)
      }
      return
    }
    case 'timestamp':
      // awsJson's default timestamp format: epoch seconds as a number.
      if (expect('number') && !Number.isFinite(value)) serialization('must be epoch seconds')
      return
    case 'document':
      return
    default:
      throw new Error(`secrets manager sim: shape type ${shape.type} (${target}) is not supported`)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The simulator

interface StoredVersion {
  versionId: string
  string: string | undefined
  binary: Buffer | undefined
  labels: Set<string>
  created: number
}

interface StoredSecret {
  name: string
  arn: string
  description: string | undefined
  kmsKeyId: string | undefined
  tags: { Key?: string; Value?: string }[] | undefined
  /** Oldest first. */
  versions: StoredVersion[]
  created: number
  lastChanged: number
  lastAccessed: number | undefined
  deleted: number | undefined
}

interface DenyRule {
  action: SecretsManagerOperation | '*'
  secretId: string | undefined
  accessKeyId: string | undefined
}

/** An answer in the making: a model error (status from the model), a protocol-level error, or the output. */
class ServiceError extends Error {
  readonly type: string
  /** Set for errors the model does not define (their status is the service's, not the model's). */
  readonly status: number | undefined

  constructor(type: string, message: string, status?: number) {
    super(message)
    this.type = type
    this.status = status
  }
}

type Input = Record<string, unknown>
type Output = Record<string, unknown>

const epochSeconds = (ms: number): number => ms / 1000
const startOfDayUtc = (ms: number): number => ms - (ms % 86_400_000)

export async function startSecretsManagerSim(opts: SecretsManagerSimOptions = {}): Promise<SecretsManagerSim> {
  const region = opts.region ?? 'us-east-1'
  const accountId = opts.accountId ?? '123456789012'
  const model = await loadModel(opts.modelPath ?? process.env.SECRETS_MANAGER_MODEL ?? DEFAULT_MODEL)
  const arnPrefix = `arn:aws:secretsmanager:${region}:${accountId}:secret:`

  const secrets = new Map<string, StoredSecret>()
  const violations: string[] = []
  const calls: SecretsManagerCall[] = []
  const denials = new Set<DenyRule>()
  const faults = new FaultQueue<SecretsManagerOperation | '*'>()

  // --- secrets, versions, labels -------------------------------------------------------------------------------

  /** SecretId resolution as the service documents it: name, complete ARN, or partial ARN (ARN without the suffix). */
  const resolve = (id: string): StoredSecret | undefined => {
    if (!id.startsWith('arn:')) return secrets.get(id)
    if (!id.startsWith(arnPrefix)) return undefined
    for (const s of secrets.values()) if (s.arn === id) return s
    const rest = id.slice(arnPrefix.length)
    // A name that ends like a random suffix makes the service take the ARN as complete: no partial match then.
    return RANDOM_SUFFIX.test(rest) ? undefined : secrets.get(rest)
  }

  const mustResolve = (id: string): StoredSecret => {
    const s = resolve(id)
    if (!s) throw new Error(`secrets manager sim: no secret ${id}`)
    return s
  }

  const holder = (s: StoredSecret, label: string): StoredVersion | undefined => s.versions.find((v) => v.labels.has(label))

  /** Moves `labels` to `version`; taking AWSCURRENT from another version gives that one AWSPREVIOUS. */
  const attachLabels = (s: StoredSecret, version: StoredVersion, labels: string[]): void => {
    const formerCurrent = holder(s, CURRENT)
    for (const label of labels) {
      for (const v of s.versions) v.labels.delete(label)
      version.labels.add(label)
    }
    if (labels.includes(CURRENT) && formerCurrent && formerCurrent !== version) {
      for (const v of s.versions) v.labels.delete(PREVIOUS)
      formerCurrent.labels.add(PREVIOUS)
    }
  }

  const newSuffix = (): string => Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join('')

  const sameValue = (v: StoredVersion, value: { string?: string; binary?: Buffer }): boolean =>
    value.string !== undefined ? v.string === value.string : v.binary !== undefined && value.binary!.equals(v.binary)

  /**
   * Adds a version under `token` (the ClientRequestToken becomes the VersionId) or, when a version with that id
   * exists, replays it if the value is the same and refuses otherwise: an existing version can't be modified.
   */
  const addVersion = (s: StoredSecret, token: string, value: { string?: string; binary?: Buffer }, labels: string[]): StoredVersion => {
    const existing = s.versions.find((v) => v.versionId === token)
    if (existing) {
      if (sameValue(existing, value)) return existing
      // The model names no error for this case; ResourceExistsException is the one its error lists offer (see the doc).
      throw new ServiceError(
        'ResourceExistsException',
        `A version with VersionId ${token} already exists with a different value, and a version can't be modified.`,
      )
    }
    const now = Date.now()
    const version: StoredVersion = { versionId: token, string: value.string, binary: value.binary, labels: new Set(), created: now }
    s.versions.push(version)
    attachLabels(s, version, [...new Set(labels)])
    s.lastChanged = now
    return version
  }

  /** SecretString/SecretBinary of a request: at most one (the docs' rule; no trait enforces it). */
  const valueOf = (input: Input): { string?: string; binary?: Buffer } | undefined => {
    const str = input.SecretString as string | undefined
    const bin = input.SecretBinary as string | undefined
    if (str !== undefined && bin !== undefined) {
      throw new ServiceError('InvalidParameterException', "You can't specify both a binary secret value and a string secret value.")
    }
    if (str !== undefined) return { string: str }
    if (bin !== undefined) return { binary: Buffer.from(bin, 'base64') }
    return undefined
  }

  const create = (
    name: string,
    value: { string?: string; binary?: Buffer } | undefined,
    o: { token: string; description?: string; kmsKeyId?: string; tags?: { Key?: string; Value?: string }[] },
  ): { secret: StoredSecret; version: StoredVersion | undefined } => {
    if (!NAME_CHARS.test(name)) {
      throw new ServiceError('InvalidParameterException', 'Invalid name. A name may hold ASCII letters, digits and /_+=.@- only.')
    }
    const taken = secrets.get(name)
    if (taken?.deleted !== undefined) {
      throw new ServiceError(
        'InvalidRequestException',
        `You can't create the secret ${name}: a secret of that name is scheduled for deletion.`,
      )
    }
    if (taken) {
      // A retried CreateSecret (same token, same value) succeeds without a change, as ClientRequestToken promises.
      const replay = value && taken.versions.find((v) => v.versionId === o.token)
      if (replay && sameValue(replay, value)) return { secret: taken, version: replay }
      throw new ServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`)
    }
    const now = Date.now()
    const secret: StoredSecret = {
      name,
      arn: `${arnPrefix}${name}-${newSuffix()}`,
      description: o.description,
      kmsKeyId: o.kmsKeyId,
      tags: o.tags,
      versions: [],
      created: now,
      lastChanged: now,
      lastAccessed: undefined,
      deleted: undefined,
    }
    secrets.set(name, secret)
    const version = value ? addVersion(secret, o.token, value, [CURRENT]) : undefined
    return { secret, version }
  }

  const notFound = (): ServiceError => new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.")

  const notDeleted = (s: StoredSecret, action: string): void => {
    if (s.deleted !== undefined) {
      throw new ServiceError(
        'InvalidRequestException',
        `You can't perform this operation (${action}) on the secret because it was marked for deletion.`,
      )
    }
  }

  const snapshot = (v: StoredVersion): SecretVersion => ({
    versionId: v.versionId,
    value: v.string,
    binary: v.binary && new Uint8Array(v.binary),
    labels: [...v.labels],
    createdDate: new Date(v.created),
  })

  /** Labels as the model's SecretVersionStagesType (1-20 items) allows: omitted when there are none. */
  const stages = (v: StoredVersion): Output => (v.labels.size > 0 ? { VersionStages: [...v.labels] } : {})

  // --- operations ----------------------------------------------------------------------------------------------

  const target = (input: Input): StoredSecret => {
    const s = resolve(input.SecretId as string)
    if (!s) throw notFound()
    return s
  }

  const operations: Record<SecretsManagerOperation, (input: Input) => Output> = {
    CreateSecret(input) {
      const { secret, version } = create(input.Name as string, valueOf(input), {
        token: (input.ClientRequestToken as string | undefined) ?? randomUUID(),
        description: input.Description as string | undefined,
        kmsKeyId: input.KmsKeyId as string | undefined,
        tags: input.Tags as { Key?: string; Value?: string }[] | undefined,
      })
      return { ARN: secret.arn, Name: secret.name, ...(version && { VersionId: version.versionId }) }
    },

    DescribeSecret(input) {
      const s = target(input)
      const labelled = s.versions.filter((v) => v.labels.size > 0)
      // Only members with a value are returned; unlabelled (deprecated) versions are left out of VersionIdsToStages.
      return {
        ARN: s.arn,
        Name: s.name,
        ...(s.description !== undefined && { Description: s.description }),
        ...(s.kmsKeyId !== undefined && { KmsKeyId: s.kmsKeyId }),
        LastChangedDate: epochSeconds(s.lastChanged),
        ...(s.lastAccessed !== undefined && { LastAccessedDate: epochSeconds(s.lastAccessed) }),
        ...(s.deleted !== undefined && { DeletedDate: epochSeconds(s.deleted) }),
        ...(s.tags !== undefined && { Tags: s.tags }),
        ...(labelled.length > 0 && { VersionIdsToStages: Object.fromEntries(labelled.map((v) => [v.versionId, [...v.labels]])) }),
        CreatedDate: epochSeconds(s.created),
      }
    },

    GetSecretValue(input) {
      const s = target(input)
      notDeleted(s, 'GetSecretValue')
      const versionId = input.VersionId as string | undefined
      const stage = input.VersionStage as string | undefined
      const byId = versionId === undefined ? undefined : s.versions.find((v) => v.versionId === versionId)
      if (versionId !== undefined && !byId) {
        throw new ServiceError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
        )
      }
      const label = stage ?? (versionId === undefined ? CURRENT : undefined)
      const byStage = label === undefined ? undefined : holder(s, label)
      if (label !== undefined && !byStage) {
        throw new ServiceError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for staging label: ${label}`,
        )
      }
      if (byId && byStage && byId !== byStage) {
        // The docs only say both must name one version; which error the service gives is not documented.
        throw new ServiceError('InvalidRequestException', `The version ${versionId} does not have the staging label ${stage}.`)
      }
      const v = (byId ?? byStage)!
      // The service records access by the day.
      s.lastAccessed = startOfDayUtc(Date.now())
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: v.versionId,
        ...(v.string !== undefined ? { SecretString: v.string } : { SecretBinary: v.binary!.toString('base64') }),
        ...stages(v),
        CreatedDate: epochSeconds(v.created),
      }
    },

    PutSecretValue(input) {
      const s = target(input)
      notDeleted(s, 'PutSecretValue')
      const value = valueOf(input)
      if (!value) throw new ServiceError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.')
      const token = (input.ClientRequestToken as string | undefined) ?? randomUUID()
      const labels = (input.VersionStages as string[] | undefined) ?? [CURRENT]
      const version = addVersion(s, token, value, labels)
      return { ARN: s.arn, Name: s.name, VersionId: version.versionId, ...stages(version) }
    },

    UpdateSecret(input) {
      const s = target(input)
      notDeleted(s, 'UpdateSecret')
      const value = valueOf(input)
      const version = value && addVersion(s, (input.ClientRequestToken as string | undefined) ?? randomUUID(), value, [CURRENT])
      if (input.Description !== undefined) s.description = input.Description as string
      if (input.KmsKeyId !== undefined) s.kmsKeyId = input.KmsKeyId as string
      s.lastChanged = Date.now()
      return { ARN: s.arn, Name: s.name, ...(version && { VersionId: version.versionId }) }
    },
  }

  // --- the wire ------------------------------------------------------------------------------------------------

  const errorStatus = (type: string): number => {
    const shape = model.shapes[`${model.namespace}#${type}`]
    if (!shape?.traits?.['smithy.api#error']) throw new Error(`secrets manager sim: ${type} is not an error shape of the model`)
    // No error shape has httpError; Smithy's default then applies: client 400, server 500 (see the doc).
    const explicit = shape.traits['smithy.api#httpError']
    return typeof explicit === 'number' ? explicit : shape.traits['smithy.api#error'] === 'client' ? 400 : 500
  }

  /** A model error, checked against the operation's error list; errors the model lacks carry their own status. */
  const errorResponse = (operation: string | undefined, e: ServiceError): SimResponse => {
    if (e.status !== undefined) return { status: e.status, body: { __type: e.type, message: e.message } }
    const listed = operation === undefined ? [] : (model.operations.get(operation)?.errors ?? []).map((t) => t.target.split('#')[1])
    if (!listed.includes(e.type))
      throw new Error(`secrets manager sim: ${operation ?? '?'} cannot answer ${e.type} (not in its error list)`)
    // Error shapes have one member, Message: the JSON protocol sends members under their names.
    return { status: errorStatus(e.type), body: { __type: e.type, Message: e.message } }
  }

  const protocolError = (type: string, status: number, message: string): ServiceError => new ServiceError(type, message, status)

  /** The access key id of a SigV4 Authorization header, or the error the service gives instead. */
  const authenticate = (req: SimRequest): string | ServiceError => {
    const auth = header(req.headers, 'authorization')
    if (auth === undefined) return protocolError('MissingAuthenticationToken', 403, 'Missing Authentication Token')
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,/.exec(auth)
    if (!m || !/SignedHeaders=[^,\s]+/.test(auth) || !/Signature=[0-9a-f]+/.test(auth)) {
      return protocolError(
        'IncompleteSignature',
        400,
        'The Authorization header is not a SigV4 header with Credential, SignedHeaders and Signature.',
      )
    }
    if (m[4] !== 'secretsmanager') {
      return protocolError('InvalidSignatureException', 400, "Credential should be scoped to the service 'secretsmanager'.")
    }
    return m[1]!
  }

  const denied = (op: SecretsManagerOperation, input: Input, accessKeyId: string): boolean => {
    const id = (op === 'CreateSecret' ? input.Name : input.SecretId) as string
    const subject = resolve(id)
    for (const r of denials) {
      if (r.action !== '*' && r.action !== op) continue
      if (r.accessKeyId !== undefined && r.accessKeyId !== accessKeyId) continue
      if (r.secretId !== undefined) {
        const ruled = resolve(r.secretId)
        if (ruled ? ruled !== subject : r.secretId !== id) continue
      }
      return true
    }
    return false
  }

  const violation = (operation: string | undefined, issue: string): void => {
    violations.push(`${operation ?? '(no operation)'}: ${issue}`)
  }

  /** Routes, checks and answers one request; throws ServiceError for errors the service would send. */
  const respond = async (req: SimRequest): Promise<HandlerResult> => {
    const targetHeader = header(req.headers, 'x-amz-target') ?? ''
    const dot = targetHeader.lastIndexOf('.')
    const opName = targetHeader.slice(dot + 1)
    const known =
      dot !== -1 && targetHeader.slice(0, dot) === model.serviceName && Object.hasOwn(operations, opName) && model.operations.has(opName)
    const operation = known ? (opName as SecretsManagerOperation) : undefined

    // Protocol: every departure is a violation; the first decides the answer.
    const problems: ServiceError[] = []
    const protocol = (type: string, message: string) => {
      violation(operation, message)
      problems.push(protocolError(type, 400, message))
    }
    if (req.method !== 'POST') protocol('UnknownOperationException', `the method must be POST, got ${req.method}`)
    if (req.pathname !== '/') protocol('UnknownOperationException', `the path must be /, got ${req.pathname}`)
    if (!operation) {
      protocol(
        'UnknownOperationException',
        targetHeader === '' ? 'X-Amz-Target is missing' : `X-Amz-Target names no operation of the model: ${targetHeader}`,
      )
    }
    if (mediaType(req.headers) !== JSON_11)
      protocol('SerializationException', `Content-Type must be ${JSON_11}, got '${mediaType(req.headers)}'`)

    let input: Input | undefined
    if (req.bodyTooLarge) protocol('SerializationException', 'the body is larger than the simulator reads')
    else {
      let parsed: unknown
      try {
        parsed = JSON.parse(req.body)
      } catch {
        protocol('SerializationException', 'the body is not JSON')
      }
      if (parsed !== undefined) {
        if (jsonType(parsed) === 'object') input = parsed as Input
        else protocol('SerializationException', `the body must be a JSON object, got ${jsonType(parsed)}`)
      }
    }

    const auth = authenticate(req)
    const accessKeyId = typeof auth === 'string' ? auth : undefined

    // Shapes: the input structure, all of it.
    if (operation && input) {
      calls.push({ operation, input, accessKeyId })
      const issues: Issue[] = []
      const inputShape = model.operations.get(operation)!.input!.target
      checkShape(model, inputShape, {}, input, '', issues)
      for (const i of issues) violation(operation, `${i.path}: ${i.message}`)
      const serialization = issues.filter((i) => i.kind === 'serialization')
      if (serialization.length > 0) {
        problems.push(protocolError('SerializationException', 400, serialization.map((i) => `${i.path}: ${i.message}`).join('; ')))
      } else if (issues.length > 0) {
        const detail = issues.map((i) => `Value at '${i.path}' failed to satisfy constraint: ${i.message}`).join('; ')
        problems.push(
          protocolError('ValidationException', 400, `${issues.length} validation error${issues.length > 1 ? 's' : ''} detected: ${detail}`),
        )
      }
    }

    if (operation) {
      const fault = faults.take((t) => t === '*' || t === operation)
      if (fault) return serveFault(server, fault, {})
    }
    // The service checks the signature before it reads the request.
    if (typeof auth !== 'string') throw auth
    if (problems.length > 0) throw problems[0]!
    if (denied(operation!, input!, auth)) {
      const resource = (operation === 'CreateSecret' ? input!.Name : input!.SecretId) as string
      throw protocolError(
        'AccessDeniedException',
        // The service's Common Errors page: AccessDeniedException, HTTP 400.
        400,
        `User: arn:aws:iam::${accountId}:user/${auth} is not authorized to perform: secretsmanager:${operation} on resource: ${resource} with an explicit deny`,
      )
    }
    const output = operations[operation!](input!)
    const issues: Issue[] = []
    checkShape(model, model.operations.get(operation!)!.output!.target, {}, output, '', issues)
    if (issues.length > 0) {
      throw new Error(
        `secrets manager sim: ${operation} output breaks the model: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      )
    }
    return { status: 200, body: JSON.stringify(output) }
  }

  const handle = async (req: SimRequest): Promise<HandlerResult> => {
    let result: HandlerResult
    try {
      result = await respond(req)
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e
      // Only model errors (no own status) need the operation, and those come from a routed request.
      result = errorResponse((header(req.headers, 'x-amz-target') ?? '').split('.').pop(), e)
    }
    if (result === 'hang') return result
    const base: Record<string, string> = { 'x-amzn-RequestId': randomUUID() }
    if (result.body !== undefined) base['content-type'] = JSON_11
    return { ...result, headers: mergeHeaders(base, result.headers) }
  }

  const server: LoopbackServer = await startLoopbackServer(handle)

  return {
    url: server.url,
    region,
    accountId,
    requests: server.requests,
    violations,
    calls: (operation) => (operation === undefined ? [...calls] : calls.filter((c) => c.operation === operation)),
    createSecret(name, value, o = {}) {
      if (secrets.has(name)) throw new Error(`secrets manager sim: createSecret(${name}): the name is taken`)
      // Setup obeys the model too: a value or name the service would refuse makes a test that proves nothing.
      const request = {
        Name: name,
        SecretString: value,
        ClientRequestToken: o.versionId,
        Description: o.description,
        KmsKeyId: o.kmsKeyId,
        Tags: o.tags,
      }
      const issues: Issue[] = []
      checkShape(model, model.operations.get('CreateSecret')!.input!.target, {}, JSON.parse(JSON.stringify(request)), '', issues)
      if (issues.length > 0) {
        throw new Error(`secrets manager sim: createSecret(${name}): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`)
      }
      try {
        const { secret, version } = create(
          name,
          { string: value },
          { token: o.versionId ?? randomUUID(), description: o.description, kmsKeyId: o.kmsKeyId, tags: o.tags },
        )
        return { arn: secret.arn, versionId: version!.versionId }
      } catch (e) {
        if (e instanceof ServiceError) throw new Error(`secrets manager sim: createSecret(${name}): ${e.type}: ${e.message}`, { cause: e })
        throw e
      }
    },
    current(nameOrArn) {
      const v = holder(mustResolve(nameOrArn), CURRENT)
      if (!v) throw new Error(`secrets manager sim: ${nameOrArn} has no ${CURRENT} version`)
      return snapshot(v)
    },
    versions: (nameOrArn) => mustResolve(nameOrArn).versions.map(snapshot),
    deny(action, secretId, accessKeyId) {
      const rule: DenyRule = { action, secretId, accessKeyId }
      denials.add(rule)
      return () => {
        denials.delete(rule)
      }
    },
    scheduleDeletion(nameOrArn) {
      mustResolve(nameOrArn).deleted = Date.now()
    },
    failNext(t, fault) {
      faults.add(t, fault)
    },
    clearFaults() {
      faults.clear()
    },
    close: () => server.close(),
  }
}
