// AWS Secrets Manager simulator: CreateSecret, DescribeSecret, GetSecretValue, PutSecretValue and UpdateSecret over
// the service's AWS JSON 1.1 protocol (POST /, X-Amz-Target: secretsmanager.<Operation>), on one loopback HTTP
// server. Behaviour follows the Secrets Manager API reference; every request is checked against the input
// shapes of the vendored Smithy model extract (test/specs/secrets-manager-2017-10-17.trimmed.json) and every answer against
// the output shapes, so a client that drifts from the model shows up in `violations` and a simulator that drifts
// from it fails loudly (500).
import { randomInt, randomUUID } from 'node:crypto'
import { FaultQueue, type Fault, type RecordedRequest } from './http.ts'
import { inputIssues, loadModel, ServiceError, startAwsJsonService, type AwsJsonCall, type Input, type Output } from './smithy.ts'

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

/** One request that named a known operation and carried a JSON object body. Holds secret values: assert on it, never print it. */
export type SecretsManagerCall = AwsJsonCall<SecretsManagerOperation>

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
const CURRENT = 'AWSCURRENT'
const PREVIOUS = 'AWSPREVIOUS'
/** A partial ARN ending like this is taken as complete (service docs, "Finding a secret from a partial ARN"). */
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/
/** NameType has no pattern trait; these are the characters the service docs allow (see the shared doc). */
const NAME_CHARS = /^[A-Za-z0-9/_+=.@-]+$/
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

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

const epochSeconds = (ms: number): number => ms / 1000
const startOfDayUtc = (ms: number): number => ms - (ms % 86_400_000)

export async function startSecretsManagerSim(opts: SecretsManagerSimOptions = {}): Promise<SecretsManagerSim> {
  const region = opts.region ?? 'us-east-1'
  const accountId = opts.accountId ?? '123456789012'
  const model = await loadModel(opts.modelPath ?? process.env.SECRETS_MANAGER_MODEL ?? DEFAULT_MODEL)
  const arnPrefix = `arn:aws:secretsmanager:${region}:${accountId}:secret:`

  const secrets = new Map<string, StoredSecret>()
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

  const { server, violations, calls } = await startAwsJsonService<SecretsManagerOperation>({
    label: 'secrets manager sim',
    model,
    signingName: 'secretsmanager',
    operations,
    faults,
    denied(operation, input, accessKeyId) {
      if (!denied(operation, input, accessKeyId)) return undefined
      const resource = (operation === 'CreateSecret' ? input.Name : input.SecretId) as string
      // The service's Common Errors page: AccessDeniedException, HTTP 400.
      return `User: arn:aws:iam::${accountId}:user/${accessKeyId} is not authorized to perform: secretsmanager:${operation} on resource: ${resource} with an explicit deny`
    },
  })

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
      const issues = inputIssues(model, 'CreateSecret', request)
      if (issues.length > 0) throw new Error(`secrets manager sim: createSecret(${name}): ${issues.join('; ')}`)
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
