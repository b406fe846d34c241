/**
 * Where the action sends what: LWA (the client secret), SP-API (the rotation token), GitHub, and the AWS
 * endpoints from the environment and the AWS config file. https only, or a loopback test server; Amazon's
 * endpoints only to Amazon's hosts.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { endpoint, safeHost, type Read } from './fields.js'

export type Region = 'na' | 'eu' | 'fe'

export const SP_API_ENDPOINTS: Record<Region, string> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
}

export const DEFAULT_LWA_ENDPOINT = 'https://api.amazon.com/auth/o2/token'

/**
 * The only hosts that may receive the client secret and refresh token (lwa-endpoint) or the rotation token
 * (sp-api-endpoint): Amazon's, or a test server on this machine.
 */
export const LWA_HOSTS = ['api.amazon.com']
export const SP_API_HOSTS = (['na', 'eu', 'fe'] as const).flatMap((r) => [
  `sellingpartnerapi-${r}.amazon.com`,
  `sandbox.sellingpartnerapi-${r}.amazon.com`,
])

export interface Endpoints {
  lwaEndpoint: string
  spApiEndpoint: string
  githubApiUrl: string
}

/** The endpoint inputs; `warnings` gets a word on a github-api-url other than the runner's. */
export function readEndpoints(read: Read, env: NodeJS.ProcessEnv, region: Region, warnings: string[]): Endpoints {
  const lwaEndpoint = endpoint('lwa-endpoint', read('lwa-endpoint') || DEFAULT_LWA_ENDPOINT, LWA_HOSTS)
  const spApiEndpoint = endpoint('sp-api-endpoint', read('sp-api-endpoint') || SP_API_ENDPOINTS[region], SP_API_HOSTS).replace(/\/+$/, '')
  const githubApiUrl = endpoint('github-api-url', read('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com').replace(
    /\/+$/,
    '',
  )
  // The new secret is sealed with the key this host serves: a host other than the runner's own deserves a word.
  if (env.GITHUB_API_URL && githubApiUrl !== env.GITHUB_API_URL.replace(/\/+$/, '')) {
    warnings.push(
      `github-api-url (${new URL(githubApiUrl).host}) is not the API of the server running this workflow (${safeHost(env.GITHUB_API_URL)}): ` +
        'the new secret is sealed with the public key that host serves. Leave the input empty unless you mean to write to another GitHub server.',
    )
  }
  // The endpoints the AWS clients may be sent to: SQS, Secrets Manager, Parameter Store, and STS, where the SDK's
  // credential providers trade a web identity token or a role for credentials. The config file's: checkAwsConfigFile.
  for (const variable of [
    'AWS_ENDPOINT_URL_SQS',
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    'AWS_ENDPOINT_URL_STS',
    'AWS_ENDPOINT_URL_SSM',
    'AWS_ENDPOINT_URL',
  ] as const) {
    if (env[variable]) endpoint(variable, env[variable], undefined, 'environment variable')
  }
  return { lwaEndpoint, spApiEndpoint, githubApiUrl }
}

/** The AWS config file's names for the services whose endpoints the AWS clients resolve (see readEndpoints). */
const AWS_CONFIG_SERVICES = ['sqs', 'secrets_manager', 'sts']

/**
 * The endpoints the AWS SDK would take from its shared files (AWS_CONFIG_FILE or ~/.aws/config, and
 * AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials) for the profile AWS_PROFILE names (default: default):
 * `endpoint_url` in the profile, and `endpoint_url` of SQS, Secrets Manager and STS in the `services` section it
 * names. They follow the rules of the AWS_ENDPOINT_URL variables: https, or loopback. Read with the SDK's own
 * loader, imported only when one of the files exists (runners usually have neither): an input error stays fast.
 */
export async function checkAwsConfigFile(env: NodeJS.ProcessEnv): Promise<void> {
  // The SDK ignores configured endpoints altogether when told to.
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return
  const home = env.HOME || env.USERPROFILE || homedir()
  const configFilepath = env.AWS_CONFIG_FILE || join(home, '.aws', 'config')
  const filepath = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')
  if (!existsSync(configFilepath) && !existsSync(filepath)) return
  const { loadSharedConfigFiles } = await import('@smithy/core/config')
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true })
  const name = env.AWS_PROFILE || 'default'
  // As the SDK merges them: the config file's keys win over the credentials file's.
  const profile = { ...credentialsFile[name], ...configFile[name] }
  if (profile.ignore_configured_endpoint_urls === 'true') return
  const check = (key: string, value: string | undefined) => {
    if (value) endpoint(`${key} of the AWS profile ${name} (AWS config file)`, value, undefined, 'setting')
  }
  check('endpoint_url', profile.endpoint_url)
  const services = profile.services ? configFile[`services.${profile.services}`] : undefined
  for (const service of AWS_CONFIG_SERVICES)
    check(`[services ${profile.services}] ${service}.endpoint_url`, services?.[`${service}.endpoint_url`])
}
