/**
 * AWS Systems Manager Parameter Store targets, through @aws-sdk/client-ssm (credentials, region and endpoint from
 * the SDK's usual chain, as for the queue; AWS_ENDPOINT_URL_SSM is honoured). The parameter must exist and be a
 * SecureString: the action never creates one, and never stores the secret unencrypted. A write overwrites it with
 * the KMS key id, tier and data type it already has, because PutParameter without them re-encrypts under the
 * account's default key (alias/aws/ssm) and picks the account's default tier. This module is loaded only when a
 * Parameter Store target is listed.
 */
import {
  DescribeParametersCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
  type ParameterMetadata,
  type ParameterTier,
} from '@aws-sdk/client-ssm'
import { awsRequestHandler } from '../net/proxy.js'
import { failureCause, networkCause, remoteText } from '../../lib/remote-text.js'
import type { SecretStore } from '../../core/ports.js'
import { awsRegionOf, formatScope, type Target } from '../../core/targets.js'

class ParameterStoreError extends Error {
  override name = 'ParameterStoreError'
}

/** A Parameter Store target, and what it is called in messages. */
type SsmTarget = Target & { kind: 'aws-ssm' }

/** What a write must keep: the parameter's name (PutParameter takes no ARN), key, tier and data type. */
interface Described {
  name: string
  keyId: string
  tier: ParameterTier
  dataType: string | undefined
}

/** DescribeParameters may answer a filter with empty pages that still carry a NextToken; this many pages at most. */
const MAX_DESCRIBE_PAGES = 10
/** Values shorter than this are not secrets worth masking, and masking them would star out ordinary words in the log. */
const MIN_MASKED_LENGTH = 4

export interface ParameterStore extends SecretStore {
  /** The permissions a write needs that check() cannot prove without writing. */
  unproven(target: Target): Promise<string[]>
}

export function createParameterStore(options: { region: string | undefined; mask: (value: string) => void }): ParameterStore {
  const clients = new Map<string, SSMClient>()
  const regionOf = (target: SsmTarget) => awsRegionOf(target) ?? options.region
  const client = (target: SsmTarget) => {
    const region = regionOf(target)
    if (!region) throw new Error(`${formatScope(target)}: no AWS region: name the parameter by its ARN, or set AWS_REGION.`)
    let c = clients.get(region)
    if (!c) {
      c = new SSMClient({
        region,
        // Bounded: with the SDK's backoff for throttling (1 s base, doubling, jittered), at most about 15 s of retries.
        maxAttempts: 5,
        // Through the runner's proxy, if it sets one.
        requestHandler: awsRequestHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
      })
      // TooManyUpdates (another writer holds the parameter) is a throttle in all but name; answered with 400, the SDK
      // would not retry it. Marked as one, it gets the SDK's own bounded retries and backoff.
      c.middlewareStack.add(
        (next) => async (args) => {
          try {
            return await next(args)
          } catch (error) {
            if ((error as { name?: unknown }).name === 'TooManyUpdates')
              (error as { $retryable?: unknown }).$retryable = { throttling: true }
            throw error
          }
        },
        // In the deserialize step ahead of the deserializer, so it sees the modeled error; the retry step is outside it.
        { step: 'deserialize', priority: 'high', name: 'tooManyUpdatesIsThrottling' },
      )
      clients.set(region, c)
    }
    return c
  }
  const ssm = (target: Target): SsmTarget => {
    if (target.kind !== 'aws-ssm') throw new Error(`${formatScope(target)} is not a Parameter Store target`)
    return target
  }
  const send = async <T>(target: SsmTarget, action: string, run: () => Promise<T>, keyId?: string): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      // The SDK's error is not kept as the cause: it carries the raw response, which nothing may print.
      throw new ParameterStoreError(explain(target, regionOf(target), action, error, keyId))
    }
  }
  const masked = (value: string | undefined): string | undefined => {
    if (value && value.length >= MIN_MASKED_LENGTH) options.mask(value)
    return value
  }

  /** The parameter's value and version, decrypted (proves ssm:GetParameter and kms:Decrypt); the value masked at once. */
  async function read(t: SsmTarget, name: string, keyId?: string) {
    const { Parameter: p } = await send(
      t,
      'GetParameter',
      () => client(t).send(new GetParameterCommand({ Name: name, WithDecryption: true })),
      keyId,
    )
    if (!p?.Name) throw new ParameterStoreError(`${formatScope(t)}: GetParameter answered without the parameter.`)
    return { name: p.Name, arn: p.ARN, type: p.Type, value: masked(p.Value), version: p.Version }
  }

  /** The parameter's metadata, by exact name, following NextToken over the service's best-effort pages. */
  async function describe(t: SsmTarget, name: string): Promise<ParameterMetadata | undefined> {
    let token: string | undefined
    for (let page = 0; page < MAX_DESCRIBE_PAGES; page++) {
      const out = await send(t, 'DescribeParameters', () =>
        client(t).send(
          new DescribeParametersCommand({
            ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
            ...(token !== undefined && { NextToken: token }),
          }),
        ),
      )
      const found = out.Parameters?.find((p) => p.Name === name)
      if (found || !out.NextToken) return found
      token = out.NextToken
    }
    throw new ParameterStoreError(`${formatScope(t)}: DescribeParameters gave ${MAX_DESCRIBE_PAGES} pages without an answer; re-run.`)
  }

  /**
   * Everything a write must know, or the reason it must not happen: the parameter exists in this account, is a
   * SecureString, and names its key and tier.
   */
  async function inspect(t: SsmTarget): Promise<Described & { value: string | undefined; version: number | undefined }> {
    const where = formatScope(t)
    // An ARN is resolved to the name PutParameter needs by reading the parameter; a name is described first, so that
    // a missing ssm:DescribeParameters permission is named before anything else.
    const byArn = t.parameter.startsWith('arn:')
    const first = byArn ? await read(t, t.parameter) : undefined
    const name = first?.name ?? t.parameter
    const meta = await describe(t, name)
    if (!meta) {
      // Reading an ARN of another account's shared parameter works; writing its name would create one in this account.
      throw new ParameterStoreError(
        byArn
          ? `${where}: the ARN names a parameter these credentials may read but that is not in their account (a shared parameter is read-only). Use a parameter of the account the role belongs to.`
          : missing(t, regionOf(t)),
      )
    }
    if (byArn && meta.ARN !== undefined && meta.ARN !== t.parameter) {
      throw new ParameterStoreError(
        `${where}: the ARN does not match the parameter of that name in these credentials' account (${remoteText(meta.ARN, 300)}). Use the ARN of a parameter in the role's own account.`,
      )
    }
    if (meta.Type !== 'SecureString') {
      throw new ParameterStoreError(
        `${where}: the parameter is a ${remoteText(meta.Type ?? 'parameter of unknown type', 40)}, so the secret would be stored unencrypted. ` +
          `Parameter Store cannot change a parameter's type: delete it and create it again as a SecureString (${createCommand(name, regionOf(t))}).`,
      )
    }
    if (!meta.KeyId || !meta.Tier || (meta.Tier !== 'Standard' && meta.Tier !== 'Advanced')) {
      throw new ParameterStoreError(
        `${where}: DescribeParameters did not say which KMS key and tier the parameter has; writing without them could re-encrypt it under alias/aws/ssm or change its tier, so nothing is written.`,
      )
    }
    const current = first ?? (await read(t, name, meta.KeyId))
    return { name, keyId: meta.KeyId, tier: meta.Tier, dataType: meta.DataType, value: current.value, version: current.version }
  }

  const checked = new Map<string, Promise<Described>>()

  return {
    async check(target) {
      const t = ssm(target)
      const found = inspect(t)
      checked.set(formatScope(t), found)
      await found
    },
    // PutParameter cannot be tried without making a version; unproven() names what it needs.
    proveWrite: () => Promise.resolve('unproven' as const),
    async unproven(target) {
      const t = ssm(target)
      const { keyId, tier } = await (checked.get(formatScope(t)) ?? inspect(t))
      // Standard values are encrypted with Encrypt; Advanced ones with a data key (envelope encryption).
      return ['ssm:PutParameter', `${tier === 'Advanced' ? 'kms:GenerateDataKey' : 'kms:Encrypt'} on ${remoteText(keyId, 256)}`]
    },
    async write(target, value) {
      const t = ssm(target)
      options.mask(value)
      // Described afresh: the key, tier and type are the parameter's as it is now, not as it was at the preflight.
      const before = await inspect(t)
      // A re-run that finds the value already there writes nothing: every PutParameter adds a version, and a
      // parameter keeps only 100.
      if (before.value === value) return { status: 'updated', version: String(before.version ?? '?') }
      const put = await send(
        t,
        'PutParameter',
        () =>
          client(t).send(
            new PutParameterCommand({
              Name: before.name,
              Value: value,
              Type: 'SecureString',
              KeyId: before.keyId,
              Tier: before.tier,
              ...(before.dataType !== undefined && { DataType: before.dataType }),
              Overwrite: true,
            }),
          ),
        before.keyId,
      )
      const after = await read(t, before.name, before.keyId)
      if (after.value !== value || put.Version === undefined || after.version !== put.Version) {
        throw new ParameterStoreError(
          `${formatScope(t)}: after writing version ${put.Version ?? '?'}, the parameter holds version ${after.version ?? '?'}${after.value === value ? '' : ' with another value'}: someone else wrote it meanwhile. Check it and re-run.`,
        )
      }
      return { status: 'updated', version: String(put.Version) }
    },
    async updatedAt(target) {
      const t = ssm(target)
      const name = t.parameter.startsWith('arn:') ? (await read(t, t.parameter)).name : t.parameter
      return (await describe(t, name))?.LastModifiedDate?.getTime()
    },
  }
}

/** The region flag for a command, when known. */
const regionFlag = (region: string | undefined) => (region ? ` --region ${region}` : '')

/** How to create the parameter as a SecureString, holding the current secret so that its readers keep working. */
function createCommand(name: string, region: string | undefined): string {
  return `aws ssm put-parameter --name '${name}' --type SecureString --key-id alias/aws/ssm --value "$CURRENT_CLIENT_SECRET"${regionFlag(region)}; use --key-id with your own key's alias if you have one`
}

function missing(target: SsmTarget, region: string | undefined): string {
  return (
    `${formatScope(target)}: the parameter does not exist (or is not visible to these credentials). The action never creates one: ` +
    `create it as a SecureString holding the current client secret: ${createCommand(target.parameter, region)}.`
  )
}

/** The SDK's error, turned into the IAM action or fix to apply. AWS's own message is remote text. */
function explain(target: SsmTarget, region: string | undefined, action: string, error: unknown, keyId: string | undefined): string {
  const e = error as { name?: unknown; message?: unknown }
  const name = typeof e.name === 'string' ? e.name : ''
  const text = remoteText(typeof e.message === 'string' ? e.message : String(error))
  const what = formatScope(target)
  const key = keyId ? remoteText(keyId, 256) : "the parameter's KMS key"
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
    return `${what}: no AWS credentials were found. Add aws-actions/configure-aws-credentials before this step, with a role that may use this parameter.`
  }
  if (name === 'ParameterNotFound') return missing(target, region)
  if (/AccessDenied|NotAuthorized|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/i.test(name)) {
    const kms = /kms:[A-Za-z]+/.exec(text)?.[0]
    const needs: Record<string, string> = {
      DescribeParameters: 'ssm:DescribeParameters (on "*": it cannot be limited to a parameter)',
      GetParameter: `ssm:GetParameter on this parameter, and kms:Decrypt on ${key}`,
      PutParameter: `ssm:PutParameter on this parameter, and kms:Encrypt (kms:GenerateDataKey for an Advanced parameter) on ${key}`,
    }
    return (
      `${what}: AWS refused ${action}${kms ? ` (${kms} on ${key})` : ''}: ${remoteText(name, 80)}: ${text}. ` +
      `The role needs ${needs[action] ?? action}; a customer managed key's policy must allow it too.`
    )
  }
  if (name === 'ParameterMaxVersionLimitExceeded') {
    const oldest = /Version (\d+)/.exec(text)?.[1] ?? 'OLDEST_VERSION'
    return (
      `${what}: the parameter has 100 versions and its oldest (${oldest}) has a label, so Parameter Store will not drop it to make room. ` +
      `Move or remove the label (aws ssm unlabel-parameter-version --name '${target.parameter}' --parameter-version ${oldest} --labels LABEL${regionFlag(region)}; ` +
      'aws ssm get-parameter-history shows the labels), then re-run.'
    )
  }
  if (name === 'TooManyUpdates' || name === 'ThrottlingException') {
    return `${what}: Parameter Store kept answering ${name} to ${action} after retries (another writer, or the account's request rate). Re-run in a minute.`
  }
  if (name === 'InvalidKeyId') {
    return `${what}: KMS key ${key} cannot be used (${text}): it may be disabled, scheduled for deletion, or not a symmetric key. Fix the key, or recreate the parameter with a usable one.`
  }
  if (networkCause(error)) return `${what}: could not reach Parameter Store for ${action} (${failureCause(error)}).`
  return `${what}: Parameter Store ${action} failed: ${name ? `${remoteText(name, 80)}: ` : ''}${text}`
}
