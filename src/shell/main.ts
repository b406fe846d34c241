/**
 * Wiring: reads the inputs, builds the adapters, runs the rotation, reports. No rotation logic lives here.
 */
import * as core from '@actions/core'
import { setTimeout as sleep } from 'node:timers/promises'
import { check, type CheckReport } from './check.js'
import type { HttpClient } from '../adapters/net/http.js'
import { readInputs, SECRET_INPUTS } from './inputs.js'
import { lazily, once } from '../lib/lazy.js'
import type { Dispatcher, ExpiryRecord, Queue, RotationRecord, SecretStore } from '../core/ports.js'
import { rotationRecordName } from '../core/rotation-record.js'
import { createLwa } from '../adapters/amazon/lwa.js'
import { rotate, RotationFailed, type Log, type Report } from '../core/rotation.js'
import { createSpApi } from '../adapters/amazon/sp-api.js'
import { routeStores } from '../adapters/stores.js'
import { AMBIGUOUS_ERRORS, NOT_SENT_ERRORS } from '../adapters/net/transient.js'
import { expiryAlerts, renderCheck, renderFailure, renderSummary } from './summary.js'

const REQUEST_TIMEOUT_MS = 30_000
/** LWA answers token requests in well under a second; a slow one is retried sooner. */
const TOKEN_TIMEOUT_MS = 10_000

export async function run(): Promise<void> {
  // Mask first: nothing below may print these before the runner knows to hide them.
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name)
    if (value) core.setSecret(value)
  }

  const cancel = new AbortController()
  const onSignal = () => cancel.abort(new Error('the run was cancelled'))
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal)

  const log: Log = {
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    group: (name, fn) => core.group(name, fn),
    mask: (s) => core.setSecret(s),
  }
  const onRetry = (service: string) => (what: string, delayMs: number, attempt: number) =>
    core.info(`${service} answered ${what}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s.`)

  const closers: Array<() => Promise<void>> = []
  try {
    const inputs = readInputs((name) => core.getInput(name), process.env)
    for (const warning of inputs.warnings) log.warning(warning)

    // undici (with the proxy support) loads on the first request too: an input error never pays for it.
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
    closers.push(
      () => lwaHttp.close(),
      () => spApiHttp.close(),
    )

    // The AWS SDK and Octokit load on first use, once the first LWA request is on its way (see lazy.ts): the
    // module loads then overlap its round trip instead of delaying it. One turn of the event loop first lets a
    // connection that is already open (or opens at once) write the request before compiling blocks the thread.
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
    const plan = {
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
      signal: cancel.signal,
    }
    const expiryVariable = inputs.expiryVariable
    // Beside the expiry record, and off with it (expiry-variable: none).
    const recordVariable = expiryVariable && rotationRecordName(expiryVariable)
    const deps = {
      lwa: createLwa({ endpoint: inputs.lwaEndpoint, clientId: inputs.clientId, http: lwaHttp, mask: log.mask }),
      spApi: createSpApi({ endpoint: inputs.spApiEndpoint, http: spApiHttp }),
      queue: lazily<Queue>(async () => (await sqs()).createQueue({ url: inputs.queueUrl, region: inputs.awsRegion })),
      store: routeStores(
        lazily<SecretStore>(async () => (await github()).store),
        async () =>
          (await import('../adapters/aws/secrets-manager.js')).createSecretsManagerStore({
            region: inputs.secretsManagerRegion,
            mask: log.mask,
          }),
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

    if (inputs.mode === 'check') {
      await reportCheck(await check(plan, deps))
      return
    }
    const report = await rotate(plan, deps)
    setOutputs(report)
    if (report.result) core.setOutput('result', report.result)
    alert(expiryAlerts(report, undefined, Date.now()))
    await writeSummary(renderSummary(report, undefined, inputs.rotateBeforeMs))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof RotationFailed) {
      setOutputs(error.report)
      alert(expiryAlerts(error.report, message, Date.now()))
      await writeSummary(renderSummary(error.report, message))
    } else {
      // Input errors and anything else that stopped the run before it began: the summary says so too.
      await writeSummary(renderFailure(message))
    }
    core.setFailed(message)
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    await Promise.allSettled(closers.map((close) => close()))
  }
}

/** Annotations that reach people: a secret close to expiry that this run did not replace. */
function alert(alerts: { warning?: string; error?: string }): void {
  if (alerts.error) core.error(alerts.error)
  else if (alerts.warning) core.warning(alerts.warning)
}

/** check mode: the result, the summary, and a failed step when any check failed. */
async function reportCheck(result: CheckReport): Promise<void> {
  const failed = result.checks.filter((c) => !c.ok)
  if (result.secretExpiresAt) core.setOutput('secret-expires-at', result.secretExpiresAt)
  alert(
    expiryAlerts(
      { result: undefined, currentSecretExpiresAt: result.secretExpiresAt, previousSecretExpiresAt: undefined },
      undefined,
      Date.now(),
    ),
  )
  await writeSummary(renderCheck(result))
  if (failed.length)
    core.setFailed(
      `${failed.length} of ${result.checks.length} check(s) failed:\n- ${failed.map((c) => `${c.name}: ${c.detail}`).join('\n- ')}`,
    )
  else core.setOutput('result', 'checked')
}

/** The summary is a report: failing to write it must not turn a finished rotation into a failed run. */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Outputs never carry a secret: only dates and target names (and, on success, the result word). */
function setOutputs(report: Report): void {
  if (report.secretExpiresAt) core.setOutput('secret-expires-at', report.secretExpiresAt)
  if (report.previousSecretExpiresAt) core.setOutput('previous-secret-expires-at', report.previousSecretExpiresAt)
  const written = report.targets.filter((t) => t.status === 'created' || t.status === 'updated').map((t) => t.target)
  core.setOutput('updated-targets', JSON.stringify(written))
}
