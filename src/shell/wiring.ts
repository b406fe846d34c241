/**
 * The adapters a run needs, built from its inputs and loaded on first use (lazy.ts): undici with the first
 * LWA request, the AWS SDK and Octokit once it is on its way, Secrets Manager and Parameter Store only when
 * such a target is listed. An input error never pays for any of them.
 */
import * as core from '@actions/core'
import { setTimeout as sleep } from 'node:timers/promises'
import { createLwa } from '../adapters/amazon/lwa.js'
import { createSpApi } from '../adapters/amazon/sp-api.js'
import type { HttpClient } from '../adapters/net/http.js'
import { AMBIGUOUS_ERRORS, NOT_SENT_ERRORS } from '../adapters/net/transient.js'
import { routeStores } from '../adapters/stores.js'
import type { Dispatcher, ExpiryRecord, Queue, RotationRecord, SecretStore } from '../core/ports.js'
import type { Deps, Log, Plan } from '../core/rotation.js'
import { rotationRecordName } from '../core/rotation-record.js'
import { lazily, once } from '../lib/lazy.js'
import type { Inputs } from './inputs.js'

const REQUEST_TIMEOUT_MS = 30_000
/** LWA answers token requests in well under a second; a slow one is retried sooner. */
const TOKEN_TIMEOUT_MS = 10_000

export function wire(inputs: Inputs, log: Log, signal: AbortSignal): { plan: Plan; deps: Deps; close: () => Promise<unknown> } {
  const { http, lwaHttp, spApiHttp } = httpClients()
  const { sqs, github } = loaders(inputs, log, http)
  const plan: Plan = {
    clientId: inputs.clientId,
    currentSecret: inputs.clientSecret,
    refreshToken: inputs.refreshToken,
    verify: inputs.verify,
    force: inputs.force,
    targets: inputs.targets,
    receiveTimeoutMs: inputs.receiveTimeoutSeconds * 1000,
    rotateBeforeMs: inputs.rotateBeforeMs,
    dispatches: inputs.dispatches,
    runUrl: inputs.runUrl,
    signal,
  }
  const expiryVariable = inputs.expiryVariable
  // Beside the expiry record, and off with it (expiry-variable: none).
  const recordVariable = expiryVariable && rotationRecordName(expiryVariable)
  const deps: Deps = {
    lwa: createLwa({ endpoint: inputs.lwaEndpoint, clientId: inputs.clientId, http: lwaHttp, mask: log.mask }),
    spApi: createSpApi({ endpoint: inputs.spApiEndpoint, http: spApiHttp }),
    queue: lazily<Queue>(async () => (await sqs()).createQueue({ url: inputs.queueUrl, region: inputs.awsRegion })),
    store: routeStores(
      lazily<SecretStore>(async () => (await github()).store),
      async () =>
        (await import('../adapters/aws/secrets-manager.js')).createSecretsManagerStore({
          region: inputs.secretsManagerRegion,
          mask: log.mask,
          targets: inputs.targets,
        }),
      async () => (await import('../adapters/aws/ssm.js')).createParameterStore({ region: inputs.ssmRegion, mask: log.mask }),
    ),
    expiry: expiryVariable
      ? lazily<ExpiryRecord>(async () => (await github()).variable(expiryVariable, 'the expiry'), { name: expiryVariable })
      : undefined,
    rotationRecord: recordVariable
      ? lazily<RotationRecord>(async () => (await github()).variable(recordVariable, 'the record of an outstanding rotation'), {
          name: recordVariable,
        })
      : undefined,
    dispatcher: lazily<Dispatcher>(async () => (await github()).dispatcher),
    log,
    clock: { now: () => Date.now(), sleep: (ms: number, signal?: AbortSignal) => sleep(ms, undefined, { signal }) },
  }
  return { plan, deps, close: () => Promise.allSettled([lwaHttp.close(), spApiHttp.close()]) }
}

/** The Amazon adapters' HTTP clients: undici (with the proxy support) loads on the first request, never for an input error. */
function httpClients() {
  const onRetry = (service: string) => (what: string, delayMs: number, attempt: number) =>
    core.info(`${service} answered ${what}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s.`)
  const http = once(() => import('../adapters/net/http.js'))
  // Token requests are safe to repeat whatever happened to the first attempt.
  const lwaHttp = lazily<HttpClient>(async () =>
    (await http()).createHttpClient({
      timeoutMs: TOKEN_TIMEOUT_MS,
      retry: {
        retries: 3,
        minDelayMs: 1_000,
        maxDelayMs: 30_000,
        statusCodes: [429, 500, 502, 503, 504],
        errorCodes: [...NOT_SENT_ERRORS, ...AMBIGUOUS_ERRORS],
      },
      onRetry: onRetry('LWA'),
    }),
  )
  // The rotation itself is never repeated by the transport: the core decides, after looking at the queue again.
  const spApiHttp = lazily<HttpClient>(async () =>
    (await http()).createHttpClient({
      timeoutMs: REQUEST_TIMEOUT_MS,
      retry: { retries: 0, minDelayMs: 0, maxDelayMs: 0, statusCodes: [], errorCodes: [] },
    }),
  )
  return { http, lwaHttp, spApiHttp }
}

/**
 * The AWS SDK and Octokit load on first use, once the first LWA request is on its way (see lazy.ts): the
 * module loads then overlap its round trip instead of delaying it. One turn of the event loop first lets a
 * connection that is already open (or opens at once) write the request before compiling blocks the thread.
 */
function loaders(inputs: Inputs, log: Log, http: () => Promise<unknown>) {
  const sqs = once(async () => {
    await http()
    await new Promise((resolve) => setImmediate(resolve))
    return import('../adapters/aws/queue.js')
  })
  const github = once(async () => {
    // After the SQS client, not beside it: compiling both at once delays the queue's answer, and the decision
    // to rotate waits for that answer and a round trip more, but for GitHub's answers only.
    await sqs().catch(() => {})
    const [{ createOctokit }, { createGitHubStore }, { createVariable }, { createDispatcher }] = await Promise.all([
      // One chunk for the four: they always load together, and share Octokit's helpers.
      import(/* webpackChunkName: "github" */ '../adapters/github/octokit.js'),
      import(/* webpackChunkName: "github" */ '../adapters/github/secrets.js'),
      import(/* webpackChunkName: "github" */ '../adapters/github/variables.js'),
      import(/* webpackChunkName: "github" */ '../adapters/github/dispatcher.js'),
    ])
    const octokit = createOctokit({ token: inputs.githubToken, baseUrl: inputs.githubApiUrl, warn: log.warning, info: log.info })
    return {
      store: createGitHubStore(octokit, { visibility: inputs.organizationVisibility, repositories: inputs.organizationRepositories }),
      variable: (name: string, purpose: string) => createVariable(octokit, { repository: inputs.repository!, name, purpose }),
      dispatcher: createDispatcher(octokit),
    }
  })
  return { sqs, github }
}
