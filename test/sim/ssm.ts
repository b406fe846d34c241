// AWS Systems Manager Parameter Store simulator: PutParameter, GetParameter and DescribeParameters over the service's
// AWS JSON 1.1 protocol (POST /, X-Amz-Target: AmazonSSM.<Operation>), on one loopback HTTP server. Every request
// is checked against the input shapes of the vendored Smithy model extract (test/specs/ssm-2014-11-06.trimmed.json)
// and every answer against the output shapes (test/sim/smithy.ts). It keeps what a writer can lose: each version's
// type, KMS key id, tier and data type, up to 100 versions with labels, and it behaves as the documentation says
// where a careless writer would be hurt: an overwrite without KeyId re-encrypts under alias/aws/ssm, one without Tier
// takes the default tier (and may not move an Advanced parameter back to Standard), every write adds a version, and a
// SecureString read without WithDecryption returns ciphertext.
import { randomBytes } from 'node:crypto'
import { FaultQueue, type Fault, type RecordedRequest } from './http.ts'
import {
  errorAnswer,
  inputIssues,
  loadModel,
  ServiceError,
  startAwsJsonService,
  type AwsJsonCall,
  type Input,
  type Output,
} from './smithy.ts'

export type { Fault, RecordedRequest } from './http.ts'

export type SsmOperation = 'PutParameter' | 'GetParameter' | 'DescribeParameters'
export type ParameterType = 'String' | 'StringList' | 'SecureString'
export type ParameterTier = 'Standard' | 'Advanced'
/** The KMS actions Parameter Store calls for the caller: Decrypt to read, Encrypt (Standard) or GenerateDataKey (Advanced) to write. */
export type KmsAction = 'Decrypt' | 'Encrypt' | 'GenerateDataKey'

export interface SsmSimOptions {
  /** Region in ARNs (default 'us-east-1'). The SigV4 scope's region is not compared with it. */
  region?: string
  /** Account id in ARNs (default '123456789012'). */
  accountId?: string
  /** The account's default parameter tier, used when a PutParameter names none (default 'Standard'). */
  defaultTier?: ParameterTier | 'Intelligent-Tiering'
  /** The Smithy model; default: $SSM_MODEL, else the vendored copy in test/specs. */
  modelPath?: string | URL
}

export interface ParameterVersion {
  version: number
  /** The plaintext, SecureString included. Assert on it, never print it. */
  value: string
  type: ParameterType
  /** The KMS key id a SecureString version is encrypted under; undefined for other types. */
  keyId: string | undefined
  tier: ParameterTier
  dataType: string
  labels: string[]
  lastModifiedDate: Date
}

export interface PutOptions {
  type?: ParameterType
  keyId?: string
  tier?: ParameterTier | 'Intelligent-Tiering'
  dataType?: string
  description?: string
  /** Add a version to an existing parameter (default false: the name must be new). */
  overwrite?: boolean
}

/** One request that named a known operation and carried a JSON object body. Holds secret values: assert on it, never print it. */
export type SsmCall = AwsJsonCall<SsmOperation>

export interface SsmSim {
  /** http://127.0.0.1:PORT: what AWS_ENDPOINT_URL_SSM (or a client's `endpoint`) is set to. */
  url: string
  region: string
  accountId: string
  requests: RecordedRequest[]
  /** One line per way a request departed from the protocol or the model's input shapes (never a value). */
  violations: string[]
  /** Requests routed to an operation, in order; all of them or those of one operation. */
  calls(operation?: SsmOperation): SsmCall[]
  /** Test setup without HTTP, with PutParameter's rules (type SecureString unless given). Returns the ARN and the version. */
  putParameter(name: string, value: string, opts?: PutOptions): { arn: string; version: number }
  /** The latest version; throws for an unknown parameter. */
  current(nameOrArn: string): ParameterVersion
  /** Every version kept, oldest first. */
  versions(nameOrArn: string): ParameterVersion[]
  /** Moves `label` to `version` (LabelParameterVersion, without HTTP: the extract does not carry that operation). */
  labelVersion(nameOrArn: string, version: number, label: string): void
  /**
   * Makes `action` (or every action, '*') answer AccessDeniedException: for every parameter or only `name` (a name or
   * ARN; DescribeParameters is not resource-scoped, so only a rule without a name applies to it), for every caller or
   * only `accessKeyId`. Returns a function that lifts the denial.
   */
  deny(action: SsmOperation | '*', name?: string, accessKeyId?: string): () => void
  /** Makes Parameter Store's KMS call `action` on `keyId` (every key when undefined) fail as a key policy refusal would. */
  denyKms(action: KmsAction, keyId?: string): () => void
  /** The next `pages` DescribeParameters answers are empty pages with a NextToken: the service's best-effort paging. */
  emptyDescribePages(pages: number): void
  /**
   * Queued faults, consumed in order, served to the next requests for that operation ('*': any operation) before
   * authentication and denials; a non-conforming request still has its violations recorded.
   */
  failNext(target: SsmOperation | '*', fault: Fault): void
  /**
   * Queues the service's own error `type` for the next `times` requests of `operation`: a model error of that
   * operation (TooManyUpdates, ParameterMaxVersionLimitExceeded…, with the model's status and message member), or
   * ThrottlingException (400), which the model does not define.
   */
  failNextWith(operation: SsmOperation, type: string, times?: number): void
  close(): Promise<void>
}

const DEFAULT_MODEL = new URL('../specs/ssm-2014-11-06.trimmed.json', import.meta.url)
const DEFAULT_KEY = 'alias/aws/ssm'
const MAX_VERSIONS = 100
const MAX_LEVELS = 15
/** The name rules of PutParameter's documentation: the model has no pattern trait for PSParameterName. */
const NAME_CHARS = /^[A-Za-z0-9_./-]+$/
const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration']
const MAX_VALUE_BYTES: Record<ParameterTier, number> = { Standard: 4096, Advanced: 8192 }
/** Errors the model does not define, with the status the service sends them with. */
const PROTOCOL_ERRORS: Record<string, [number, string]> = { ThrottlingException: [400, 'Rate exceeded'] }

interface StoredVersion {
  version: number
  value: string
  type: ParameterType
  keyId: string | undefined
  tier: ParameterTier
  dataType: string
  labels: Set<string>
  modified: number
  description: string | undefined
}

interface StoredParameter {
  name: string
  arn: string
  /** Oldest first; at most MAX_VERSIONS. */
  versions: StoredVersion[]
}

interface DenyRule {
  action: SsmOperation | '*'
  name: string | undefined
  accessKeyId: string | undefined
}

const epochSeconds = (ms: number): number => ms / 1000
/** Validation failures the model does not name are ValidationException, 400, as for the other JSON services. */
const validation = (message: string): ServiceError => new ServiceError('ValidationException', message, 400)

export async function startSsmSim(opts: SsmSimOptions = {}): Promise<SsmSim> {
  const region = opts.region ?? 'us-east-1'
  const accountId = opts.accountId ?? '123456789012'
  const defaultTier = opts.defaultTier ?? 'Standard'
  const model = await loadModel(opts.modelPath ?? process.env.SSM_MODEL ?? DEFAULT_MODEL)
  const arnPrefix = `arn:aws:ssm:${region}:${accountId}:parameter/`

  const parameters = new Map<string, StoredParameter>()
  const denials = new Set<DenyRule>()
  const kmsDenials = new Set<{ action: KmsAction; keyId: string | undefined }>()
  const faults = new FaultQueue<SsmOperation | '*'>()
  let emptyPages = 0
  let caller = ''

  // --- names, versions ---------------------------------------------------------------------------------------

  /** A parameter's ARN: the prefix, then the name without its leading slash (the docs' form). */
  const arnOf = (name: string) => `${arnPrefix}${name.replace(/^\//, '')}`

  /** A name or ARN, with an optional :VERSION or :LABEL selector (GetParameter's Name). */
  const split = (id: string): { id: string; selector: string | undefined } => {
    const parts = id.split(':')
    const base = id.startsWith('arn:') ? 6 : 1
    return parts.length > base ? { id: parts.slice(0, base).join(':'), selector: parts.slice(base).join(':') } : { id, selector: undefined }
  }

  const resolve = (id: string): StoredParameter | undefined => {
    if (!id.startsWith('arn:')) return parameters.get(id)
    for (const p of parameters.values()) if (p.arn === id) return p
    return undefined
  }

  const mustResolve = (id: string): StoredParameter => {
    const p = resolve(id)
    if (!p) throw new Error(`ssm sim: no parameter ${id}`)
    return p
  }

  const latest = (p: StoredParameter): StoredVersion => p.versions[p.versions.length - 1]!

  const notFound = (id: string) => new ServiceError('ParameterNotFound', `Parameter ${id} not found.`)

  /** The documented naming rules; an existing parameter obeys them by construction. */
  const checkName = (name: string): void => {
    if (name.startsWith('arn:')) throw validation("Parameter name: can't be an ARN; PutParameter takes the name only.")
    if (!NAME_CHARS.test(name)) throw new ServiceError('ParameterPatternMismatchException', "The parameter name isn't valid.")
    if (/^\/?(aws|ssm)/i.test(name)) throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).')
    if (name.includes('/') && !name.startsWith('/'))
      throw validation('Parameter name must be a fully qualified name: a hierarchy begins with /.')
    if (
      name.startsWith('/') &&
      name
        .slice(1)
        .split('/')
        .some((level) => level === '')
    ) {
      throw new ServiceError('ParameterPatternMismatchException', "The parameter name isn't valid.")
    }
    if ((name.match(/\//g) ?? []).length > MAX_LEVELS) {
      throw new ServiceError('HierarchyLevelLimitExceededException', `A hierarchy can have a maximum of ${MAX_LEVELS} levels.`)
    }
    if (arnOf(name).length > 1011) throw validation('Parameter name: the name with its ARN prefix exceeds 1011 characters.')
  }

  const kmsRefuses = (action: KmsAction, keyId: string): boolean =>
    [...kmsDenials].some((d) => d.action === action && (d.keyId === undefined || d.keyId === keyId))

  /** Parameter Store calls KMS as the caller: a key policy or IAM refusal comes back as AccessDeniedException. */
  const kms = (action: KmsAction, keyId: string): void => {
    if (!kmsRefuses(action, keyId)) return
    throw new ServiceError(
      'AccessDeniedException',
      `User: arn:aws:iam::${accountId}:user/${caller} is not authorized to perform: kms:${action} on resource: ${keyId} because no identity-based policy allows the kms:${action} action`,
      400,
    )
  }

  /** PutParameter's rules, for requests and for setup alike; returns the version written. */
  const put = (input: Input): { parameter: StoredParameter; version: StoredVersion } => {
    const name = input.Name as string
    const value = input.Value as string
    const existing = parameters.get(name)
    if (!existing) checkName(name)
    if (existing && input.Overwrite !== true) {
      throw new ServiceError('ParameterAlreadyExists', "The parameter already exists. You can't create duplicate parameters.")
    }
    if (existing && input.Tags !== undefined) {
      // The live service's answer, as quoted in public bug reports; ValidationException is in no operation's error list.
      throw validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      )
    }
    const before = existing && latest(existing)
    const type = (input.Type as ParameterType | undefined) ?? before?.type
    if (!type) throw validation('A parameter type is required when you create a parameter.')
    if (before && type !== before.type) {
      throw new ServiceError('HierarchyTypeMismatchException', `The parameter type can't be changed from ${before.type} to ${type}.`)
    }
    const dataType = (input.DataType as string | undefined) ?? 'text'
    if (!DATA_TYPES.includes(dataType)) throw validation(`The data type ${dataType} isn't supported. Use ${DATA_TYPES.join(', ')}.`)
    if (input.KeyId !== undefined && type !== 'SecureString') throw validation('KeyId applies to SecureString parameters only.')
    // Documented: without KeyId the account's default key is used, whatever key the parameter had before.
    const keyId = type === 'SecureString' ? ((input.KeyId as string | undefined) ?? DEFAULT_KEY) : undefined

    const bytes = Buffer.byteLength(value)
    const asked = (input.Tier as ParameterTier | 'Intelligent-Tiering' | undefined) ?? defaultTier
    let tier: ParameterTier
    if (asked === 'Intelligent-Tiering') tier = before?.tier === 'Advanced' || bytes > MAX_VALUE_BYTES.Standard ? 'Advanced' : 'Standard'
    else tier = asked
    // Documented: Standard can become Advanced, never the reverse. The error's wording is this simulator's.
    if (before?.tier === 'Advanced' && tier === 'Standard') {
      throw validation(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.",
      )
    }
    if (bytes > MAX_VALUE_BYTES[tier])
      throw validation(`${tier} tier parameters support a maximum parameter value of ${MAX_VALUE_BYTES[tier]} characters.`)
    if (keyId) kms(tier === 'Standard' ? 'Encrypt' : 'GenerateDataKey', keyId)

    const parameter = existing ?? { name, arn: arnOf(name), versions: [] }
    if (parameter.versions.length === MAX_VERSIONS) {
      const oldest = parameter.versions[0]!
      if (oldest.labels.size > 0) {
        throw new ServiceError(
          'ParameterMaxVersionLimitExceeded',
          `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
        )
      }
      parameter.versions.shift()
    }
    const version: StoredVersion = {
      version: (before?.version ?? 0) + 1,
      value,
      type,
      keyId,
      tier,
      dataType,
      labels: new Set(),
      modified: Date.now(),
      description: (input.Description as string | undefined) ?? before?.description,
    }
    parameter.versions.push(version)
    parameters.set(name, parameter)
    return { parameter, version }
  }

  /** What a SecureString read without decryption shows: ciphertext, never the value. */
  const ciphertext = () => `AQICAH${randomBytes(48).toString('base64')}`

  const snapshot = (v: StoredVersion): ParameterVersion => ({
    version: v.version,
    value: v.value,
    type: v.type,
    keyId: v.keyId,
    tier: v.tier,
    dataType: v.dataType,
    labels: [...v.labels],
    lastModifiedDate: new Date(v.modified),
  })

  // --- DescribeParameters filters ----------------------------------------------------------------------------

  type Filter = { Key: string; Option?: string; Values?: string[] }

  /** Does `p` pass `f`? Only the keys and options the docs allow here; Label is refused as the service does. */
  const passes = (p: StoredParameter, f: Filter): boolean => {
    const v = latest(p)
    const fields: Record<string, string | undefined> = { Name: p.name, Type: v.type, KeyId: v.keyId, Tier: v.tier, DataType: v.dataType }
    if (!Object.hasOwn(fields, f.Key)) {
      if (f.Key === 'Label') throw new ServiceError('InvalidFilterKey', '')
      throw new Error(`ssm sim: the DescribeParameters filter key ${f.Key} is not simulated`)
    }
    const option = f.Option ?? 'Equals'
    const options = f.Key === 'Name' ? ['Equals', 'BeginsWith', 'Contains'] : ['Equals', 'BeginsWith']
    if (!options.includes(option)) throw new ServiceError('InvalidFilterOption', `The filter option ${option} is not valid for ${f.Key}.`)
    if (!f.Values?.length) throw new ServiceError('InvalidFilterValue', `The filter ${f.Key} needs values.`)
    const field = fields[f.Key]
    if (field === undefined) return false
    return f.Values.some((value) =>
      option === 'Equals' ? field === value : option === 'BeginsWith' ? field.startsWith(value) : field.includes(value),
    )
  }

  const pageToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64')
  const readToken = (token: string): number => {
    try {
      const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }
      if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset
    } catch {
      // answered below
    }
    throw new ServiceError('InvalidNextToken', "The specified token isn't valid.")
  }

  // --- operations --------------------------------------------------------------------------------------------

  const operations: Record<SsmOperation, (input: Input) => Output> = {
    PutParameter(input) {
      const { version } = put(input)
      return { Version: version.version, Tier: version.tier }
    },

    GetParameter(input) {
      const { id, selector } = split(input.Name as string)
      const p = resolve(id)
      if (!p) throw notFound(input.Name as string)
      let v = latest(p)
      if (selector !== undefined) {
        const found = /^\d+$/.test(selector)
          ? p.versions.find((x) => x.version === Number(selector))
          : p.versions.find((x) => x.labels.has(selector))
        if (!found) throw new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${selector} of ${p.name}.`)
        v = found
      }
      // WithDecryption is ignored for String and StringList; a SecureString's plaintext needs kms:Decrypt on its key.
      const decrypt = input.WithDecryption === true && v.type === 'SecureString'
      if (decrypt) kms('Decrypt', v.keyId!)
      return {
        Parameter: {
          Name: p.name,
          Type: v.type,
          Value: v.type === 'SecureString' && !decrypt ? ciphertext() : v.value,
          Version: v.version,
          ...(selector !== undefined && { Selector: `:${selector}` }),
          LastModifiedDate: epochSeconds(v.modified),
          ARN: p.arn,
          DataType: v.dataType,
        },
      }
    },

    DescribeParameters(input) {
      if (input.Filters !== undefined) throw new Error('ssm sim: the deprecated Filters member is not simulated; use ParameterFilters')
      const filters = (input.ParameterFilters as Filter[] | undefined) ?? []
      const max = (input.MaxResults as number | undefined) ?? 10
      const offset = input.NextToken === undefined ? 0 : readToken(input.NextToken as string)
      const matching = [...parameters.values()]
        .filter((p) => filters.every((f) => passes(p, f)))
        .sort((a, b) => a.name.localeCompare(b.name))
      // Best effort, as documented: a page may be empty and still carry a NextToken.
      if (emptyPages > 0) {
        emptyPages--
        return { Parameters: [], NextToken: pageToken(offset) }
      }
      const page = matching.slice(offset, offset + max)
      return {
        Parameters: page.map((p) => {
          const v = latest(p)
          return {
            Name: p.name,
            ARN: p.arn,
            Type: v.type,
            ...(v.keyId !== undefined && { KeyId: v.keyId }),
            LastModifiedDate: epochSeconds(v.modified),
            LastModifiedUser: `arn:aws:iam::${accountId}:user/${caller || 'setup'}`,
            ...(v.description !== undefined && { Description: v.description }),
            Version: v.version,
            Tier: v.tier,
            Policies: [],
            DataType: v.dataType,
          }
        }),
        ...(offset + max < matching.length && { NextToken: pageToken(offset + max) }),
      }
    },
  }

  // --- the wire ------------------------------------------------------------------------------------------------

  /** The resource an action is authorized on: the parameter's ARN, or every parameter for DescribeParameters. */
  const resourceOf = (op: SsmOperation, input: Input): string => {
    if (op === 'DescribeParameters') return `arn:aws:ssm:${region}:${accountId}:*`
    const id = split(input.Name as string).id
    return resolve(id)?.arn ?? (id.startsWith('arn:') ? id : arnOf(id))
  }

  const isDenied = (op: SsmOperation, input: Input, accessKeyId: string): boolean =>
    [...denials].some((r) => {
      if (r.action !== '*' && r.action !== op) return false
      if (r.accessKeyId !== undefined && r.accessKeyId !== accessKeyId) return false
      if (r.name === undefined) return true
      return (
        op !== 'DescribeParameters' &&
        resourceOf(op, input) === (resolve(r.name)?.arn ?? (r.name.startsWith('arn:') ? r.name : arnOf(r.name)))
      )
    })

  const { server, violations, calls } = await startAwsJsonService<SsmOperation>({
    label: 'ssm sim',
    model,
    signingName: 'ssm',
    operations,
    faults,
    denied(operation, input, accessKeyId) {
      // The caller, for the KMS refusals the operation may run into next.
      caller = accessKeyId
      if (!isDenied(operation, input, accessKeyId)) return undefined
      // The form of the message the model's documentation quotes for another operation.
      return `User: arn:aws:iam::${accountId}:user/${accessKeyId} is not authorized to perform: ssm:${operation} on resource: ${resourceOf(operation, input)} because no identity-based policy allows the ssm:${operation} action`
    },
  })

  const sim: SsmSim = {
    url: server.url,
    region,
    accountId,
    requests: server.requests,
    violations,
    calls: (operation) => (operation === undefined ? [...calls] : calls.filter((c) => c.operation === operation)),
    putParameter(name, value, o = {}) {
      // Setup obeys the model too: a request the service would refuse makes a test that proves nothing.
      const request = {
        Name: name,
        Value: value,
        Type: o.type ?? 'SecureString',
        KeyId: o.keyId,
        Tier: o.tier,
        DataType: o.dataType,
        Description: o.description,
        Overwrite: o.overwrite,
      }
      const issues = inputIssues(model, 'PutParameter', request)
      if (issues.length > 0) throw new Error(`ssm sim: putParameter(${name}): ${issues.join('; ')}`)
      const saved = caller
      try {
        caller = 'setup'
        const { parameter, version } = put(JSON.parse(JSON.stringify(request)) as Input)
        return { arn: parameter.arn, version: version.version }
      } catch (e) {
        if (e instanceof ServiceError) throw new Error(`ssm sim: putParameter(${name}): ${e.type}: ${e.message}`, { cause: e })
        throw e
      } finally {
        caller = saved
      }
    },
    current: (nameOrArn) => snapshot(latest(mustResolve(nameOrArn))),
    versions: (nameOrArn) => mustResolve(nameOrArn).versions.map(snapshot),
    labelVersion(nameOrArn, version, label) {
      const p = mustResolve(nameOrArn)
      const v = p.versions.find((x) => x.version === version)
      if (!v) throw new Error(`ssm sim: ${nameOrArn} has no version ${version}`)
      for (const other of p.versions) other.labels.delete(label)
      v.labels.add(label)
    },
    deny(action, name, accessKeyId) {
      const rule: DenyRule = { action, name, accessKeyId }
      denials.add(rule)
      return () => {
        denials.delete(rule)
      }
    },
    denyKms(action, keyId) {
      const rule = { action, keyId }
      kmsDenials.add(rule)
      return () => {
        kmsDenials.delete(rule)
      }
    },
    emptyDescribePages(pages) {
      emptyPages += pages
    },
    failNext(t, fault) {
      faults.add(t, fault)
    },
    failNextWith(operation, type, times = 1) {
      const own = PROTOCOL_ERRORS[type]
      const error = own ? new ServiceError(type, own[1], own[0]) : new ServiceError(type, `injected ${type}`)
      const { status, body } = errorAnswer(model, 'ssm sim', operation, error)
      // Through failNext, so that whoever counts faults (test/support/world.ts) counts these too.
      sim.failNext(operation, { status, body, headers: { 'content-type': 'application/x-amz-json-1.1' }, times })
    },
    close: () => server.close(),
  }
  return sim
}
