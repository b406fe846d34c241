/**
 * AWS Secrets Manager targets, through @aws-sdk/client-secrets-manager (credentials, region and endpoint
 * from the SDK's usual chain, as for the queue; AWS_ENDPOINT_URL_SECRETS_MANAGER is honoured). A write is
 * PutSecretValue with a ClientRequestToken derived from the notification, so a re-run that resumes the same
 * message repeats the same version; AWSCURRENT moves to it and AWSPREVIOUS keeps the old secret, which stays
 * valid for 7 days. This module is loaded only when a Secrets Manager target is listed.
 */
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { createHash } from 'node:crypto'
import { awsRequestHandler } from '../net/proxy.js'
import { CREDENTIALS_FIX, errorCodes, INVALID_CREDENTIALS } from './errors.js'
import { failureCause, networkCause, remoteText } from '../../lib/remote-text.js'
import type { SecretStore } from '../../core/ports.js'
import { awsRegionOf, formatScope, type Target } from '../../core/targets.js'

class SecretsManagerError extends Error {
  override name = 'SecretsManagerError'
}

type SecretsManagerTarget = Target & { kind: 'aws-secretsmanager' }

export function createSecretsManagerStore(options: {
  region: string | undefined
  mask: (value: string) => void
  /** Every target of the run: #KEY targets of one secret are written together, in one version. */
  targets?: Target[]
}): SecretStore {
  const clients = new Map<string, SecretsManagerClient>()
  /** One write per secret and rotation, shared by the #KEY targets that name it. */
  const writes = new Map<string, Promise<{ status: 'updated'; version: string }>>()
  const client = (target: Target) => {
    const region = awsRegionOf(target) ?? options.region
    if (!region) throw new Error(`${formatScope(target)}: no AWS region: name the secret by its ARN, or set AWS_REGION.`)
    let c = clients.get(region)
    if (!c) {
      c = new SecretsManagerClient({
        region,
        maxAttempts: 5,
        // Through the runner's proxy, if it sets one.
        requestHandler: awsRequestHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
      })
      clients.set(region, c)
    }
    return c
  }
  const aws = (target: Target) => {
    if (target.kind !== 'aws-secretsmanager') throw new Error(`${formatScope(target)} is not a Secrets Manager target`)
    return target
  }
  const send = async <T>(target: Target, action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      // The SDK's error is not kept as the cause: it carries the raw response, which nothing may print.
      throw new SecretsManagerError(explain(target, action, error))
    }
  }

  /**
   * The JSON object a #KEY target holds now. The value of the key this action replaces (the previous client
   * secret, still valid for 7 days) is masked before anything could print it. The rest is never printed, and
   * is not masked: the runner masks each line of a value separately, so the document or its other short values
   * (`{`, `true`, `prod`) would blank those strings out of every later log line.
   */
  async function currentObject(target: SecretsManagerTarget, replacing = [target.key]): Promise<Record<string, unknown>> {
    const { SecretString } = await send(target, 'GetSecretValue', () =>
      client(target).send(new GetSecretValueCommand({ SecretId: target.secretId })),
    )
    if (SecretString) {
      let value: unknown
      try {
        value = JSON.parse(SecretString)
      } catch {
        value = undefined
      }
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const key of replacing) {
          const replaced = key === undefined ? undefined : (value as Record<string, unknown>)[key]
          if (typeof replaced === 'string' && replaced) options.mask(replaced)
        }
        return value as Record<string, unknown>
      }
    }
    throw new Error(
      `${formatScope(target)}: the secret's value is not a JSON object, so key ${target.key} cannot be set in it. ` +
        `Store a JSON object there, or use aws-secretsmanager:${target.secretId} to replace the whole value.`,
    )
  }

  /** The targets of the run that name the same secret (itself included), whole value or keys. */
  const siblings = (t: SecretsManagerTarget): SecretsManagerTarget[] => {
    const all = (options.targets ?? []).filter(
      (o): o is SecretsManagerTarget => o.kind === 'aws-secretsmanager' && secretOf(o) === secretOf(t),
    )
    return all.length ? all : [t]
  }
  const secretOf = (t: SecretsManagerTarget) => `${awsRegionOf(t) ?? options.region ?? ''}|${t.secretId}`

  /**
   * One PutSecretValue for the secret: the value itself, or every key the run sets in its JSON object. Its
   * ClientRequestToken is derived from the notification, so a re-run that resumes the same message repeats
   * the same version (and, finding it current, writes nothing); one that finds it superseded writes a version
   * of its own. Afterwards AWSCURRENT must be that version, and every key must read back as written.
   */
  async function writeSecret(t: SecretsManagerTarget, keys: Array<string | undefined>, value: string, versionKey: string) {
    const describe = async () =>
      (await send(t, 'DescribeSecret', () => client(t).send(new DescribeSecretCommand({ SecretId: t.secretId })))).VersionIdsToStages ?? {}
    const setKeys = keys.filter((k): k is string => k !== undefined)
    if (setKeys.length && setKeys.length !== keys.length) {
      throw new SecretsManagerError(`${formatScope(t)}: the targets replace the whole secret and set a key in it; list one or the other.`)
    }
    const token = clientRequestToken(`${versionKey}|${t.secretId}|${[...setKeys].sort().join(',')}`)
    const before = await describe()
    if (before[token]?.includes('AWSCURRENT')) return { status: 'updated' as const, version: remoteText(token, 80) }
    const current = Object.entries(before).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0] ?? ''
    const request = before[token] ? clientRequestToken(`${token}|${current}`) : token

    const secretString = setKeys.length
      ? JSON.stringify({ ...(await currentObject(t, setKeys)), ...Object.fromEntries(setKeys.map((k) => [k, value])) })
      : value
    options.mask(secretString)
    const put = await send(t, 'PutSecretValue', () =>
      client(t).send(new PutSecretValueCommand({ SecretId: t.secretId, SecretString: secretString, ClientRequestToken: request })),
    )
    const version = remoteText(put.VersionId ?? 'none', 80)
    // Confirm that AWSCURRENT is the version just written, and that it holds the secret under every key.
    if (!put.VersionId || !(await describe())[put.VersionId]?.includes('AWSCURRENT')) {
      throw new SecretsManagerError(`${formatScope(t)}: the version written (${version}) is not AWSCURRENT.`)
    }
    if (setKeys.length) {
      const after = await currentObject(t, [])
      const missing = setKeys.filter((k) => after[k] !== value)
      if (missing.length)
        throw new SecretsManagerError(`${formatScope(t)}: read back, key(s) ${missing.join(', ')} do not hold the new secret.`)
    }
    return { status: 'updated' as const, version }
  }

  return {
    async check(target) {
      const t = aws(target)
      await send(t, 'DescribeSecret', () => client(t).send(new DescribeSecretCommand({ SecretId: t.secretId })))
      if (t.key !== undefined) await currentObject(t)
    },
    write(target, value, versionKey) {
      const t = aws(target)
      // Keys of one secret written one by one would each read the others' old values: they are merged instead.
      const keys = siblings(t).map((s) => s.key)
      const id = `${secretOf(t)}|${versionKey}`
      let written = writes.get(id)
      if (!written) {
        written = writeSecret(t, keys, value, versionKey)
        writes.set(id, written)
      }
      return written
    },
    async updatedAt(target) {
      const t = aws(target)
      const { LastChangedDate } = await send(t, 'DescribeSecret', () => client(t).send(new DescribeSecretCommand({ SecretId: t.secretId })))
      return LastChangedDate?.getTime()
    },
    // PutSecretValue cannot be tried without making a version; the preflight's reads prove the rest.
    proveWrite: () => Promise.resolve('unproven' as const),
    unproven: () => Promise.resolve(['secretsmanager:PutSecretValue', 'kms:GenerateDataKey on its key, when that key is customer managed']),
  }
}

/** A ClientRequestToken (32 to 64 characters): the same input gives the same token. */
function clientRequestToken(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** The SDK's error, turned into the IAM action or fix to apply. AWS's own message is remote text. */
function explain(target: Target, action: string, error: unknown): string {
  const e = error as { name?: unknown; message?: unknown }
  const name = typeof e.name === 'string' ? e.name : ''
  const text = remoteText(typeof e.message === 'string' ? e.message : String(error))
  const what = formatScope(target)
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
    return `${what}: no AWS credentials were found. Add aws-actions/configure-aws-credentials before this step, with a role that may use this secret.`
  }
  if (errorCodes(error).some((c) => INVALID_CREDENTIALS.test(c))) {
    return `${what}: AWS refused ${action} (${remoteText(name, 80)}: ${text}): ${CREDENTIALS_FIX}`
  }
  if (name === 'ResourceNotFoundException') {
    return `${what}: the secret does not exist (or is not visible to these credentials). Create it first: the action never creates or deletes a secret.`
  }
  if (/AccessDenied|NotAuthorized|KMS|Decrypt/i.test(name) || /kms/i.test(text)) {
    return (
      `${what}: AWS refused ${action} (${remoteText(name, 80)}: ${text}). The role needs secretsmanager:DescribeSecret, ` +
      'secretsmanager:PutSecretValue (and secretsmanager:GetSecretValue for a #KEY target) on this secret, and kms:GenerateDataKey and kms:Decrypt on its key when it uses a customer managed key.'
    )
  }
  if (name === 'ResourceExistsException') {
    return `${what}: Secrets Manager already holds a different value for this rotation's version (${remoteText(name, 80)}); the secret was changed by someone else since. Check it and re-run.`
  }
  if (networkCause(error)) return `${what}: could not reach Secrets Manager for ${action} (${failureCause(error)}).`
  return `${what}: Secrets Manager ${action} failed: ${name ? `${remoteText(name, 80)}: ` : ''}${text}`
}
