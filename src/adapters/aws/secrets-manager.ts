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
import { failureCause, networkCause, remoteText } from '../../lib/remote-text.js'
import type { SecretStore } from '../../core/ports.js'
import { awsRegionOf, formatScope, type Target } from '../../core/targets.js'

class SecretsManagerError extends Error {
  override name = 'SecretsManagerError'
}

export function createSecretsManagerStore(options: { region: string | undefined; mask: (value: string) => void }): SecretStore {
  const clients = new Map<string, SecretsManagerClient>()
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

  /** The JSON object a #KEY target holds now; its string values are masked before anything could print them. */
  async function currentObject(target: Target & { kind: 'aws-secretsmanager' }): Promise<Record<string, unknown>> {
    const { SecretString } = await send(target, 'GetSecretValue', () =>
      client(target).send(new GetSecretValueCommand({ SecretId: target.secretId })),
    )
    if (SecretString) {
      options.mask(SecretString)
      let value: unknown
      try {
        value = JSON.parse(SecretString)
      } catch {
        value = undefined
      }
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const v of Object.values(value)) if (typeof v === 'string' && v.length >= 4) options.mask(v)
        return value as Record<string, unknown>
      }
    }
    throw new Error(
      `${formatScope(target)}: the secret's value is not a JSON object, so key ${target.key} cannot be set in it. ` +
        `Store a JSON object there, or use aws-secretsmanager:${target.secretId} to replace the whole value.`,
    )
  }

  return {
    async check(target) {
      const t = aws(target)
      await send(t, 'DescribeSecret', () => client(t).send(new DescribeSecretCommand({ SecretId: t.secretId })))
      if (t.key !== undefined) await currentObject(t)
    },
    async write(target, value, versionKey) {
      const t = aws(target)
      const describe = async () =>
        (await send(t, 'DescribeSecret', () => client(t).send(new DescribeSecretCommand({ SecretId: t.secretId })))).VersionIdsToStages ??
        {}
      // The ClientRequestToken becomes the version id. The same rotation always asks for the same version, so a
      // re-run that finds it current has nothing to write; one that finds it superseded (the secret changed
      // since) writes a version of its own, named after the version it replaces.
      const token = clientRequestToken(`${versionKey}|${t.secretId}|${t.key ?? ''}`)
      const before = await describe()
      if (before[token]?.includes('AWSCURRENT')) return { status: 'updated', version: remoteText(token, 80) }
      const current = Object.entries(before).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0] ?? ''
      const request = before[token] ? clientRequestToken(`${token}|${current}`) : token

      let secretString = value
      if (t.key !== undefined) secretString = JSON.stringify({ ...(await currentObject(t)), [t.key]: value })
      options.mask(secretString)
      const put = await send(t, 'PutSecretValue', () =>
        client(t).send(new PutSecretValueCommand({ SecretId: t.secretId, SecretString: secretString, ClientRequestToken: request })),
      )
      const version = remoteText(put.VersionId ?? 'none', 80)
      // Confirm that AWSCURRENT is the version just written.
      if (!put.VersionId || !(await describe())[put.VersionId]?.includes('AWSCURRENT')) {
        throw new SecretsManagerError(`${formatScope(t)}: the version written (${version}) is not AWSCURRENT.`)
      }
      return { status: 'updated', version }
    },
    async updatedAt(target) {
      const t = aws(target)
      const { LastChangedDate } = await send(t, 'DescribeSecret', () => client(t).send(new DescribeSecretCommand({ SecretId: t.secretId })))
      return LastChangedDate?.getTime()
    },
    // PutSecretValue cannot be tried without making a version; the preflight's reads prove the rest.
    proveWrite: () => Promise.resolve('unproven' as const),
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
  if (name === 'ResourceNotFoundException') {
    return `${what}: the secret does not exist (or is not visible to these credentials). Create it first: the action never creates or deletes a secret.`
  }
  if (/AccessDenied|NotAuthorized|UnrecognizedClient|InvalidClientTokenId|KMS|Decrypt/i.test(name) || /kms/i.test(text)) {
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
