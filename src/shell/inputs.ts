/**
 * The action's inputs, read and validated before anything touches the network, by group: credentials,
 * destinations (targets and dispatches), schedule, endpoints, queue (each in inputs/). Every error names the
 * input and says what is allowed; none repeats a secret value.
 */
import type { Visibility } from '../adapters/github/secrets.js'
import type { Dispatch } from '../core/dispatch.js'
import type { Target } from '../core/targets.js'
import { InputError } from '../lib/input-error.js'
import { parseAlert, runUrlOf } from './inputs/alert.js'
import { readCredentials } from './inputs/credentials.js'
import { readEndpoints, type Region } from './inputs/endpoints.js'
import type { Read } from './inputs/fields.js'
import { readQueue } from './inputs/queue.js'
import { readSchedule } from './inputs/schedule.js'
import { readDestinations } from './inputs/targets.js'

export { InputError }
export { readAlertTarget, type AlertTarget } from './inputs/alert.js'
export { checkAwsConfigFile, DEFAULT_LWA_ENDPOINT, LWA_HOSTS, SP_API_ENDPOINTS, SP_API_HOSTS, type Region } from './inputs/endpoints.js'
export { MAX_RECEIVE_TIMEOUT_SECONDS } from './inputs/fields.js'

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
export function readInputs(read: Read, env: NodeJS.ProcessEnv): Inputs {
  const credentials = readCredentials(read)
  const destinations = readDestinations(read, env)
  const schedule = readSchedule(read, env, destinations.secretName)
  const warnings: string[] = []
  const alert = parseAlert(read('alert'))
  if (alert === 'issue' && !env.GITHUB_REPOSITORY) {
    warnings.push(
      'alert is issue, but GITHUB_REPOSITORY (which the runner sets) is not set: no alert issue is kept. Set alert to none outside a workflow.',
    )
  }
  const endpoints = readEndpoints(read, env, credentials.region, warnings)
  const awsRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined
  return {
    ...credentials,
    ...destinations,
    ...schedule,
    ...endpoints,
    ...readQueue(read, env),
    secretsManagerRegion: awsRegion,
    ssmRegion: awsRegion,
    repository: env.GITHUB_REPOSITORY,
    runUrl: runUrlOf(env),
    alert,
    warnings,
  }
}
