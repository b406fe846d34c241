/**
 * The action's inputs, read and validated in one place before anything touches the network.
 * Every error names the input and says what is allowed; none repeats a secret value.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseDuration } from '../core/expiry.js'
import { DispatchError, parseDispatches, type Dispatch } from '../core/dispatch.js'
import type { Visibility } from '../adapters/github/secrets.js'
import { awsRegionOf, formatTarget, parseTargets, secretNameProblem, TargetError, type Target } from '../core/targets.js'
import { InputError } from '../lib/input-error.js'
import { isLoopbackHost } from '../lib/loopback.js'

export { InputError }

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

const CLIENT_ID = /^amzn1\.application-oa2-client\.[A-Za-z0-9]+$/

/** Longest receive-timeout accepted: an hour is far beyond Amazon's usual delivery time of seconds. */
export const MAX_RECEIVE_TIMEOUT_SECONDS = 3600

export interface Inputs {
  clientId: string
  clientSecret: string
  queueUrl: string
  githubToken: string
  secretName: string
  targets: Target[]
  region: Region
  refreshToken: string | undefined
  verify: boolean
  /** Rotate past an earlier rotation whose secret never arrived. */
  force: boolean
  receiveTimeoutSeconds: number
  lwaEndpoint: string
  spApiEndpoint: string
  /** AWS region of the queue: from the queue URL, else AWS_REGION / AWS_DEFAULT_REGION. */
  awsRegion: string
  /** AWS region of Secrets Manager targets named without an ARN: AWS_REGION / AWS_DEFAULT_REGION. */
  secretsManagerRegion: string | undefined
  /** AWS region of Parameter Store targets named without an ARN: AWS_REGION / AWS_DEFAULT_REGION. */
  ssmRegion: string | undefined
  githubApiUrl: string
  /** Visibility and selected repositories of an organization secret this action creates. */
  organizationVisibility: Visibility
  organizationRepositories: string[]
  dispatches: Dispatch[]
  /** rotate: the rotation; check: every preflight check, reported, with nothing changed. */
  mode: 'rotate' | 'check'
  /** Rotate only when the secret expires within this many ms; undefined: rotate on every run. */
  rotateBeforeMs: number | undefined
  /** The repository variable that records the expiry; undefined when tracking is off. */
  expiryVariable: string | undefined
  /** The workflow's repository (GITHUB_REPOSITORY): where the expiry variable lives. */
  repository: string | undefined
  /** This workflow run's page, from the runner's environment, for the dispatch payload. */
  runUrl: string | undefined
  /** issue: keep one alert issue per application in the workflow's repository; none: no issue. */
  alert: 'issue' | 'none'
  /** Things worth a warning that do not stop the run (e.g. a github-api-url other than the runner's). */
  warnings: string[]
}

/** The inputs whose values are secrets: main masks them before anything else happens. */
export const SECRET_INPUTS = ['client-secret', 'github-token', 'refresh-token', 'alert-token'] as const

/**
 * @param read returns an input's value, trimmed, or '' when it is not set (core.getInput's contract)
 * @param env the process environment (GITHUB_REPOSITORY, GITHUB_API_URL, AWS_* variables)
 */
export function readInputs(read: (name: string) => string, env: NodeJS.ProcessEnv): Inputs {
  const required = (name: string, what: string): string => {
    const value = read(name)
    if (value === '') throw new InputError(name, `is required: set it to ${what}.`)
    return value
  }

  const clientId = required('client-id', 'the LWA client id of your application (amzn1.application-oa2-client.…)')
  if (!CLIENT_ID.test(clientId)) {
    throw new InputError(
      'client-id',
      'is not an LWA client id. It looks like amzn1.application-oa2-client.<letters and digits> (Developer Console → your app → View → LWA credentials).',
    )
  }
  const clientSecret = required('client-secret', 'the current LWA client secret, e.g. ${{ secrets.LWA_CLIENT_SECRET }}')
  if (/\s/.test(clientSecret)) {
    throw new InputError('client-secret', 'contains white space; paste the secret exactly as the Developer Console shows it.')
  }
  const githubToken = required('github-token', 'a token that can write the target secrets (a GitHub App token or fine-grained PAT)')
  const refreshToken = read('refresh-token') || undefined

  const secretName = read('secret-name') || 'LWA_CLIENT_SECRET'
  checkSecretName(secretName)

  const mode = read('mode') || 'rotate'
  if (mode !== 'rotate' && mode !== 'check') {
    throw new InputError('mode', `'${mode}' is not a mode: use rotate (the default) or check (every preflight check, nothing changed).`)
  }
  let rotateBeforeMs: number | undefined
  try {
    rotateBeforeMs = parseDuration(read('rotate-before-expiry'))
  } catch (error) {
    throw new InputError('rotate-before-expiry', `${(error as Error).message} Leave it empty to rotate on every run.`)
  }
  const variable = read('expiry-variable') || `${secretName}_EXPIRES_AT`
  const expiryVariable = variable.toLowerCase() === 'none' ? undefined : variable
  if (expiryVariable) checkSecretName(expiryVariable, 'expiry-variable')
  if (rotateBeforeMs !== undefined && !expiryVariable) {
    throw new InputError(
      'rotate-before-expiry',
      'needs the expiry to be recorded: set expiry-variable to a variable name (not none), or leave rotate-before-expiry empty.',
    )
  }

  const region = (read('region') || 'na').toLowerCase()
  if (!(region in SP_API_ENDPOINTS)) {
    throw new InputError('region', `'${region}' is not a region. Use na, eu or fe: the region your application is registered in.`)
  }

  let targets: Target[]
  try {
    targets = parseTargets(read('targets') || 'repository', env.GITHUB_REPOSITORY, secretName)
  } catch (error) {
    if (error instanceof TargetError) throw new InputError('targets', error.message)
    throw error
  }
  // A parameter name means a parameter of the region the credentials are for: without one, the write could not go anywhere.
  const unplaced = targets.find((t) => t.kind === 'aws-ssm' && awsRegionOf(t) === undefined)
  if (unplaced && !(env.AWS_REGION || env.AWS_DEFAULT_REGION)) {
    throw new InputError(
      'targets',
      `${formatTarget(unplaced)} names no AWS region and AWS_REGION is not set: set aws-region in aws-actions/configure-aws-credentials, or name the parameter by its ARN (arn:aws:ssm:REGION:ACCOUNT_ID:parameter/NAME).`,
    )
  }
  const organizationVisibility = read('organization-visibility') || 'private'
  if (organizationVisibility !== 'private' && organizationVisibility !== 'all' && organizationVisibility !== 'selected') {
    throw new InputError('organization-visibility', `'${organizationVisibility}' is not a visibility: use private, all or selected.`)
  }
  const organizationRepositories = read('organization-repositories')
    .split(/[\s,]+/)
    .filter(Boolean)
  for (const name of organizationRepositories) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name === '.' || name === '..') {
      throw new InputError(
        'organization-repositories',
        `'${name}' is not a repository name (a name in the organization, without the owner).`,
      )
    }
  }
  const organizations = targets.some((t) => t.kind === 'organization' || t.kind === 'dependabot-organization')
  if (organizationVisibility === 'selected' && organizations && organizationRepositories.length === 0) {
    throw new InputError(
      'organization-repositories',
      'is required when organization-visibility is selected: list the repositories that may use a new organization secret.',
    )
  }
  let dispatches: Dispatch[]
  try {
    dispatches = parseDispatches(read('dispatch'), env.GITHUB_REPOSITORY)
  } catch (error) {
    if (error instanceof DispatchError) throw new InputError('dispatch', error.message)
    throw error
  }

  if (expiryVariable && !env.GITHUB_REPOSITORY) {
    throw new InputError(
      'expiry-variable',
      'needs GITHUB_REPOSITORY (the repository that keeps the variable), which the runner sets; set expiry-variable to none outside a workflow.',
    )
  }

  const warnings: string[] = []
  const alert = parseAlert(read('alert'))
  if (alert === 'issue' && !env.GITHUB_REPOSITORY) {
    warnings.push(
      'alert is issue, but GITHUB_REPOSITORY (which the runner sets) is not set: no alert issue is kept. Set alert to none outside a workflow.',
    )
  }

  const receiveTimeoutSeconds = parseSeconds(read('receive-timeout') || '300')
  const verify = parseBoolean('verify', read('verify') || 'true')
  const force = parseBoolean('force', read('force') || 'false')

  const lwaEndpoint = endpoint('lwa-endpoint', read('lwa-endpoint') || DEFAULT_LWA_ENDPOINT, LWA_HOSTS)
  const spApiEndpoint = endpoint('sp-api-endpoint', read('sp-api-endpoint') || SP_API_ENDPOINTS[region as Region], SP_API_HOSTS).replace(
    /\/+$/,
    '',
  )
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

  // The endpoints the AWS clients may be sent to: SQS, Secrets Manager, and STS, where the SDK's credential providers
  // trade a web identity token or a role for credentials. The shared config file's are checked by checkAwsConfigFile.
  for (const variable of [
    'AWS_ENDPOINT_URL_SQS',
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    'AWS_ENDPOINT_URL_STS',
    'AWS_ENDPOINT_URL_SSM',
    'AWS_ENDPOINT_URL',
  ] as const) {
    if (env[variable]) endpoint(variable, env[variable], undefined, 'environment variable')
  }
  const customSqsEndpoint = env.AWS_ENDPOINT_URL_SQS || env.AWS_ENDPOINT_URL
  const { queueUrl, region: queueRegion } = parseQueueUrl(
    required('sqs-queue-url', 'the URL of the SQS queue subscribed to "Application Client New Secret"'),
    Boolean(customSqsEndpoint),
  )
  const awsRegion = queueRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION
  if (!awsRegion) {
    throw new InputError(
      'sqs-queue-url',
      'names no AWS region and AWS_REGION is not set: use the queue URL from the SQS console (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME).',
    )
  }

  return {
    clientId,
    clientSecret,
    queueUrl,
    githubToken,
    secretName,
    targets,
    region: region as Region,
    refreshToken,
    verify,
    force,
    receiveTimeoutSeconds,
    lwaEndpoint,
    spApiEndpoint,
    awsRegion,
    secretsManagerRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    ssmRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    githubApiUrl,
    organizationVisibility,
    organizationRepositories,
    dispatches,
    mode,
    rotateBeforeMs,
    expiryVariable,
    repository: env.GITHUB_REPOSITORY,
    runUrl: runUrlOf(env),
    alert,
    warnings,
  }
}

/** The AWS config file's names for the services whose endpoints the AWS clients resolve (see readInputs). */
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

/** This workflow run's page, from the runner's environment. */
function runUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined
}

function parseAlert(value: string): 'issue' | 'none' {
  const alert = value || 'issue'
  if (alert !== 'issue' && alert !== 'none') {
    throw new InputError(
      'alert',
      `'${alert}' is not an alert: use issue (the default: one issue per application in this repository, opened when a run needs a person and closed once one succeeds) or none.`,
    )
  }
  return alert
}

/** Where a run's alert issue goes: the repository and application, and how to reach GitHub. */
export interface AlertTarget {
  /** alert-token on the server running the workflow, else github-token. */
  token: string
  /** The workflow's repository (GITHUB_REPOSITORY). */
  repository: string
  clientId: string
  githubApiUrl: string
  runUrl: string | undefined
}

/**
 * The alert's inputs, read apart from the others so that a run stopped by any other bad input can still open its
 * issue: `off` with alert: none; `unavailable` (and why) when what is needed to reach GitHub and name the
 * application cannot be read. Never throws.
 */
export function readAlertTarget(
  read: (name: string) => string,
  env: NodeJS.ProcessEnv,
): { target: AlertTarget } | { off: true } | { unavailable: string } {
  let alert: 'issue' | 'none'
  try {
    alert = parseAlert(read('alert'))
  } catch {
    return { unavailable: 'the input alert is not issue or none' }
  }
  if (alert === 'none') return { off: true }
  const clientId = read('client-id')
  if (!env.GITHUB_REPOSITORY || !/^[\w.-]+\/[\w.-]+$/.test(env.GITHUB_REPOSITORY)) return { unavailable: 'GITHUB_REPOSITORY is not set' }
  if (!CLIENT_ID.test(clientId)) return { unavailable: 'client-id does not name an application' }
  let githubApiUrl: string
  try {
    githubApiUrl = endpoint('github-api-url', read('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  } catch {
    return { unavailable: 'github-api-url is not a URL the action may use' }
  }
  // alert-token (by default the workflow's GITHUB_TOKEN) belongs to the server running the workflow: it goes to
  // that server's API only. Talking to another one (or outside a workflow), github-token writes the issue.
  const ownServer = Boolean(env.GITHUB_API_URL) && githubApiUrl === env.GITHUB_API_URL!.replace(/\/+$/, '')
  const token = (ownServer && read('alert-token')) || read('github-token')
  if (!token) return { unavailable: 'neither alert-token nor github-token is set' }
  return { target: { token, repository: env.GITHUB_REPOSITORY, clientId, githubApiUrl, runUrl: runUrlOf(env) } }
}

/** GitHub's rules for secret names (github-secrets.md), which variable names share. */
function checkSecretName(name: string, input = 'secret-name'): void {
  const problem = secretNameProblem(name)
  if (problem) throw new InputError(input, `'${name}' is not a valid ${input === 'secret-name' ? 'secret' : 'variable'} name: ${problem}.`)
}

function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new InputError('receive-timeout', `'${value}' is not a whole number of seconds.`)
  }
  const seconds = Number(value)
  if (seconds < 1 || seconds > MAX_RECEIVE_TIMEOUT_SECONDS) {
    throw new InputError('receive-timeout', `must be between 1 and ${MAX_RECEIVE_TIMEOUT_SECONDS} seconds (got ${seconds}).`)
  }
  return seconds
}

/** The YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them. */
function parseBoolean(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, `'${value}' is not a boolean: use true or false.`)
}

/** A URL's host for an error text, or a placeholder: never the URL itself, which may carry credentials. */
function safeHost(value: string): string {
  try {
    return new URL(value).host
  } catch {
    return 'not a URL'
  }
}

/**
 * https only, to one of `hosts` when given; loopback test servers (http or https) are always allowed.
 * Credentials in the URL are refused: they would travel with every request and be echoed in errors.
 */
function endpoint(name: string, value: string, hosts?: string[], kind: 'input' | 'environment variable' | 'setting' = 'input'): string {
  const fail = (why: string): never => {
    throw new InputError(kind === 'environment variable' ? `environment variable ${name}` : name, why)
  }
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    fail('is not a URL.')
  }
  const { protocol, hostname, host, username, password } = url as URL
  if (username || password) fail(`must not contain credentials (user name or password) before the host ${host}; remove them.`)
  const loopback = isLoopbackHost(hostname)
  if (!loopback && protocol !== 'https:') {
    fail(`must be an https URL (plain http is allowed only for loopback test servers), got '${protocol}//${host}'.`)
  }
  if (loopback && protocol !== 'http:' && protocol !== 'https:') fail(`must be an http(s) URL, got '${protocol}'.`)
  if (hosts && !loopback && !hosts.includes(hostname.toLowerCase())) {
    fail(
      `'${host}' is not one of Amazon's hosts for it (${hosts.join(', ')}); only those, or a loopback test server, may receive these credentials.`,
    )
  }
  return (url as URL).toString()
}

/**
 * A queue URL is https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (or the legacy REGION.queue.amazonaws.com).
 * With a custom SQS endpoint (AWS_ENDPOINT_URL_SQS, e.g. an emulator) any host is accepted, but the path must
 * still be /ACCOUNT/NAME.
 */
function parseQueueUrl(value: string, customEndpoint: boolean): { queueUrl: string; region: string | undefined } {
  const fail = (why: string): never => {
    throw new InputError('sqs-queue-url', `${why} Expected https://sqs.REGION.amazonaws.com/ACCOUNT_ID/QUEUE_NAME.`)
  }
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    fail('it is not a URL.')
  }
  const { hostname, pathname, protocol, username, password } = url as URL
  if (username || password) fail('it must not contain credentials; remove them.')
  if (!/^\/\d{12}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/.test(pathname)) fail(`'${hostname}${pathname}' is not an SQS queue URL.`)
  const aws = /^(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com(?:\.cn)?)$/.exec(hostname)
  if (aws) {
    if (protocol !== 'https:') fail('SQS queue URLs use https.')
    return { queueUrl: value, region: aws[1] ?? aws[2] }
  }
  if (!customEndpoint) fail(`'${hostname}' is not an SQS host.`)
  if (protocol !== 'https:' && !(protocol === 'http:' && isLoopbackHost(hostname))) {
    fail('a queue on a custom endpoint must use https unless it is on this machine.')
  }
  // Emulators use sqs.REGION.<host> too; fall back to AWS_REGION when the host says nothing.
  return { queueUrl: value, region: /^sqs\.([a-z0-9-]+)\./.exec(hostname)?.[1] }
}
