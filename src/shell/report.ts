/**
 * What a finished run tells the runner: outputs (never a secret), the job summary, and annotations for an
 * expiry or an outstanding rotation close at hand.
 */
import * as core from '@actions/core'
import { RotationFailed, type Report } from '../core/rotation.js'
import type { CheckReport } from './check.js'
import { expiryAlerts, renderCheck, renderFailure, renderSummary } from './summary.js'

/** A rotation that finished: its outputs, annotations and summary. */
export async function reportRotation(report: Report, rotateBeforeMs: number | undefined): Promise<void> {
  setOutputs(report)
  if (report.result) core.setOutput('result', report.result)
  alert(expiryAlerts(report, undefined, Date.now()))
  await writeSummary(renderSummary(report, undefined, rotateBeforeMs))
}

/** A run that failed: what the report knows, or (an input error, say) that nothing changed; the step fails. */
export async function reportFailure(error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof RotationFailed) {
    setOutputs(error.report)
    alert(expiryAlerts(error.report, message, Date.now()))
    await writeSummary(renderSummary(error.report, message))
  } else {
    await writeSummary(renderFailure(message))
  }
  core.setFailed(message)
}

/** Annotations that reach people: a secret close to expiry that this run did not replace. */
function alert(alerts: { warning?: string; error?: string }): void {
  if (alerts.error) core.error(alerts.error)
  else if (alerts.warning) core.warning(alerts.warning)
}

/** check mode: the result, the summary, and a failed step when any check failed. */
export async function reportCheck(result: CheckReport): Promise<void> {
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
