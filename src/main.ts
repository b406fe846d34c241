/**
 * Wiring: reads the inputs, builds the adapters, runs the rotation, reports. No rotation logic lives here.
 */
import * as core from '@actions/core'
import { setTimeout as sleep } from 'node:timers/promises'
import { createGitHubStore } from './github.js'
import { AMBIGUOUS_ERRORS, createHttpClient, NOT_SENT_ERRORS } from './http.js'
import { readInputs, SECRET_INPUTS } from './inputs.js'
import { createLwa } from './lwa.js'
import { createQueue } from './queue.js'
import { rotate, RotationFailed, type Log, type Report } from './rotation.js'
import { createSpApi } from './sp-api.js'
import { renderSummary } from './summary.js'

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

    // Token requests are safe to repeat whatever happened to the first attempt.
    const lwaHttp = createHttpClient({
      timeoutMs: TOKEN_TIMEOUT_MS,
      retry: {
        retries: 3,
        minDelayMs: 1_000,
        maxDelayMs: 30_000,
        statusCodes: [429, 500, 502, 503, 504],
        errorCodes: [...NOT_SENT_ERRORS, ...AMBIGUOUS_ERRORS],
      },
      onRetry: onRetry('LWA'),
    })
    // The rotation itself is never repeated by the transport: the core decides, after looking at the queue again.
    const spApiHttp = createHttpClient({
      timeoutMs: REQUEST_TIMEOUT_MS,
      retry: { retries: 0, minDelayMs: 0, maxDelayMs: 0, statusCodes: [], errorCodes: [] },
    })
    closers.push(
      () => lwaHttp.close(),
      () => spApiHttp.close(),
    )

    const report = await rotate(
      {
        clientId: inputs.clientId,
        currentSecret: inputs.clientSecret,
        refreshToken: inputs.refreshToken,
        verify: inputs.verify,
        secretName: inputs.secretName,
        targets: inputs.targets,
        receiveTimeoutMs: inputs.receiveTimeoutSeconds * 1000,
        signal: cancel.signal,
      },
      {
        lwa: createLwa({ endpoint: inputs.lwaEndpoint, clientId: inputs.clientId, http: lwaHttp, mask: log.mask }),
        spApi: createSpApi({ endpoint: inputs.spApiEndpoint, http: spApiHttp }),
        queue: createQueue({ url: inputs.queueUrl, region: inputs.awsRegion }),
        store: createGitHubStore({ token: inputs.githubToken, baseUrl: inputs.githubApiUrl, warn: log.warning }),
        log,
        clock: { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, undefined, { signal }) },
      },
    )
    setOutputs(report)
    if (report.result) core.setOutput('result', report.result)
    await writeSummary(renderSummary(report))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof RotationFailed) {
      setOutputs(error.report)
      await writeSummary(renderSummary(error.report, message))
    }
    core.setFailed(message)
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    await Promise.allSettled(closers.map((close) => close()))
  }
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
