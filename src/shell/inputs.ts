/**
 * The action's inputs, read and validated in one place before anything touches the network.
 * Every error names the input and says what is allowed; none repeats a secret value.
 */
import { parseDuration } from '../core/expiry.js'
import { DispatchError, parseDispatches, type Dispatch } from '../core/dispatch.js'
import type { Visibility } from '../adapters/github/secrets.js'
import { parseTargets, secretNameProblem, TargetError, type Target } from '../core/targets.js'
import { InputError } from '../lib/input-error.js'

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
  /** Things worth a warning that do not stop the run (e.g. a github-api-url other than the runner's). */
  warnings: string[]
}

/** The inputs whose values are secrets: main masks them before anything else happens. */
export const SECRET_INPUTS = ['client-secret', 'github-token', 'refresh-token'] as const

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
  if (!/^amzn1\.application-oa2-client\.[A-Za-z0-9]+$/.test(clientId)) {
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

  const receiveTimeoutSeconds = parseSeconds(read('receive-timeout') || '300')
  const verify = parseBoolean('verify', read('verify') || 'true')
  const force = parseBoolean('force', read('force') || 'false')

  const lwaEndpoint = endpoint('lwa-endpoint', read('lwa-endpoint') || DEFAULT_LWA_ENDPOINT, LWA_HOSTS)
  const spApiEndpoint = endpoint('sp-api-endpoint', read('sp-api-endpoint') || SP_API_ENDPOINTS[region as Region], SP_API_HOSTS).replace(
    /\/+$/,
    '',
  )
  const warnings: string[] = []
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

  for (const variable of ['AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL'] as const) {
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
    githubApiUrl,
    organizationVisibility,
    organizationRepositories,
    dispatches,
    mode,
    rotateBeforeMs,
    expiryVariable,
    repository: env.GITHUB_REPOSITORY,
    runUrl:
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    warnings,
  }
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

/** Loopback by address or by name: localhost and every name under .localhost (RFC 6761 reserves them for loopback). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
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
function endpoint(name: string, value: string, hosts?: string[], kind: 'input' | 'environment variable' = 'input'): string {
  const fail = (why: string): never => {
    throw kind === 'input' ? new InputError(name, why) : new InputError(`environment variable ${name}`, why)
  }
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    fail('is not a URL.')
  }
  const { protocol, hostname, host, username, password } = url as URL
  if (username || password) fail(`must not contain credentials (user name or password) before the host ${host}; remove them.`)
  const loopback = isLoopback(hostname)
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
  if (protocol !== 'https:' && !(protocol === 'http:' && (isLoopback(hostname) || hostname.endsWith('.localhost')))) {
    fail('a queue on a custom endpoint must use https unless it is on this machine.')
  }
  // Emulators use sqs.REGION.<host> too; fall back to AWS_REGION when the host says nothing.
  return { queueUrl: value, region: /^sqs\.([a-z0-9-]+)\./.exec(hostname)?.[1] }
}
