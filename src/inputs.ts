/**
 * The action's inputs, read and validated in one place before anything touches the network.
 * Every error names the input and says what is allowed; none repeats a secret value.
 */
import { parseTargets, TargetError, type Target } from './targets.js'

export type Region = 'na' | 'eu' | 'fe'

export const SP_API_ENDPOINTS: Record<Region, string> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
}

export const DEFAULT_LWA_ENDPOINT = 'https://api.amazon.com/auth/o2/token'

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
  receiveTimeoutSeconds: number
  lwaEndpoint: string
  spApiEndpoint: string
  /** AWS region of the queue: from the queue URL, else AWS_REGION / AWS_DEFAULT_REGION. */
  awsRegion: string
  githubApiUrl: string
}

export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input ${input}: ${message}`)
    this.name = 'InputError'
  }
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

  const region = (read('region') || 'na').toLowerCase()
  if (!(region in SP_API_ENDPOINTS)) {
    throw new InputError('region', `'${region}' is not a region. Use na, eu or fe: the region your application is registered in.`)
  }

  let targets: Target[]
  try {
    targets = parseTargets(read('targets') || 'repository', env.GITHUB_REPOSITORY)
  } catch (error) {
    if (error instanceof TargetError) throw new InputError('targets', error.message)
    throw error
  }

  const receiveTimeoutSeconds = parseSeconds(read('receive-timeout') || '300')
  const verify = parseBoolean('verify', read('verify') || 'true')

  const lwaEndpoint = endpoint('lwa-endpoint', read('lwa-endpoint') || DEFAULT_LWA_ENDPOINT)
  const spApiEndpoint = endpoint('sp-api-endpoint', read('sp-api-endpoint') || SP_API_ENDPOINTS[region as Region]).replace(/\/+$/, '')

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
    receiveTimeoutSeconds,
    lwaEndpoint,
    spApiEndpoint,
    awsRegion,
    githubApiUrl: endpoint('github-api-url', read('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
  }
}

/** GitHub's rules for secret names (github-secrets.md). */
function checkSecretName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new InputError('secret-name', `'${name}' is not a valid secret name: use only letters, digits and _, not starting with a digit.`)
  }
  if (/^GITHUB_/i.test(name)) {
    throw new InputError('secret-name', `'${name}' starts with GITHUB_, which GitHub reserves. Choose another name.`)
  }
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

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
}

/** https only; plain http is accepted for loopback hosts (local simulators) and nothing else. */
function endpoint(name: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(name, `'${value}' is not a URL.`)
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return url.toString()
  throw new InputError(
    name,
    `must be an https URL (plain http is allowed only for loopback test servers), got '${url.protocol}//${url.host}'.`,
  )
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
    fail(`'${value}' is not a URL.`)
  }
  const { hostname, pathname, protocol } = url as URL
  if (!/^\/\d{12}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/.test(pathname)) fail(`'${value}' is not an SQS queue URL.`)
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
