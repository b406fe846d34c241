/**
 * Wiring: reads the inputs, builds the adapters (wiring.ts), runs the rotation or the checks, reports
 * (report.ts), and keeps the alert issue (alert-run.ts). No rotation logic lives here.
 */
import * as core from '@actions/core'
import { rotate, type Log } from '../core/rotation.js'
import { ALERT_BOUND_MS } from './alert-sync.js'
import type { RunOutcome } from './alert.js'
import { issueTracker, sendAlert } from './alert-run.js'
import { check } from './check.js'
import { checkAwsConfigFile, readAlertTarget, readInputs, SECRET_INPUTS } from './inputs.js'
import { reportCheck, reportFailure, reportRotation } from './report.js'
import { wire } from './wiring.js'

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

  // Read apart from the other inputs, so that a run stopped by a bad input can still open its alert issue.
  const alerting = readAlertTarget((name) => core.getInput(name), process.env)
  let outcome: RunOutcome | undefined
  let close: () => Promise<unknown> = () => Promise.resolve()
  try {
    const inputs = readInputs((name) => core.getInput(name), process.env)
    await checkAwsConfigFile(process.env)
    for (const warning of inputs.warnings) log.warning(warning)
    const wired = wire(inputs, log, cancel.signal)
    close = wired.close
    const { plan, deps } = wired

    if (inputs.mode === 'check') {
      const target = 'target' in alerting ? alerting.target : undefined
      const alerts = target && {
        repository: target.repository,
        probe: async () => (await issueTracker(target, log)(AbortSignal.timeout(ALERT_BOUND_MS))).probe(),
      }
      const result = await check(plan, { ...deps, alerts, queueAccount: new URL(inputs.queueUrl).pathname.split('/')[1] })
      outcome = { mode: 'check', result }
      await reportCheck(result)
      return
    }
    const report = await rotate(plan, deps)
    outcome = { mode: 'rotate', report }
    await reportRotation(report, inputs.rotateBeforeMs)
  } catch (error) {
    outcome = { mode: 'failed', error }
    await reportFailure(error)
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    // After the result is decided; a cancelled run is not a state to report (a person stopped it).
    if (outcome && !cancel.signal.aborted) {
      await sendAlert(alerting, outcome, log).catch((error: unknown) =>
        log.warning(`The alert issue was not brought up to date: ${error instanceof Error ? error.message : String(error)}`),
      )
    }
    await close()
  }
}
