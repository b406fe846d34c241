/**
 * Phase 7, report: the expiry recorded (never the secret), the deploys started, and the run's error when
 * it failed: what failed, where each target stands, and how the next run recovers.
 */
import { plannedExpiry } from '../expiry.js'
import { errorText, type Report } from '../model.js'
import type { Candidate } from '../candidates.js'
import type { Run } from './run.js'

/**
 * Keeps the expiry in the expiry variable, then consumes the expiry notifications it supersedes. The secrets
 * are safe by now: a variable that cannot be written is a warning, not a failure.
 */
export async function recordExpiry(run: Run, expiresAt: string | undefined): Promise<void> {
  const { deps, report, reader } = run
  if (!deps.expiry || !expiresAt) return
  try {
    await deps.expiry.write(expiresAt)
    report.expiryRecord = { name: deps.expiry.name, status: 'recorded' }
    deps.log.info(`Recorded the expiry ${expiresAt} in the variable ${deps.expiry.name}.`)
    await reader.expiryNotices.settle(() => 'delete')
  } catch (error) {
    report.expiryRecord = { name: deps.expiry.name, status: 'failed' }
    deps.log.warning(`The secret is stored, but its expiry could not be recorded in ${deps.expiry.name}: ${errorText(error)}`)
  }
}

/** After a skip: an expiry notification may have taught an earlier expiry than the record holds. */
export async function recordLearnedExpiry(run: Run): Promise<void> {
  const learned = plannedExpiry(run.recorded, run.reader.expiryNotices.values, run.deps.clock.now())
  if (learned && learned.getTime() !== run.recorded?.getTime()) await recordExpiry(run, learned.toISOString())
  else if (run.reader.expiryNotices.size) await run.reader.expiryNotices.settle(() => 'delete')
}

/**
 * Every target holds the new secret and its message is gone: start the deploys that read it. The payload
 * names the secret, never its value. A deploy that does not start is a warning: the rotation is done.
 */
export async function dispatch(run: Run, chosen: Candidate): Promise<void> {
  const { plan, deps, report } = run
  const payload = {
    client_id: plan.clientId,
    secret_names: [...new Set(plan.targets.map((t) => t.secretName))],
    secret_expires_at: chosen.newSecretExpiresAt ?? null,
    result: report.result,
    run_url: plan.runUrl ?? null,
  }
  await Promise.all(
    (plan.dispatches ?? []).map(async (d, i) => {
      const entry = report.dispatches[i]!
      try {
        await deps.dispatcher!.fire(d, payload)
        entry.status = 'started'
        deps.log.info(`Started ${entry.event}.`)
      } catch (error) {
        entry.status = 'failed'
        entry.detail = errorText(error)
        deps.log.warning(`Could not start ${entry.event}: ${entry.detail} The secret is stored; start that deploy by hand.`)
      }
    }),
  )
}

/** The run's error: what failed, where each target stands, and how the next run recovers. */
export function failureMessage(phase: string, error: unknown, report: Report): string {
  const lines = [`Rotation failed during ${phase}: ${errorText(error)}`]
  if (report.result) {
    const written = report.targets.filter((t) => t.status === 'created' || t.status === 'updated').map((t) => t.target)
    const notWritten = report.targets
      .filter((t) => t.status === 'failed' || t.status === 'not written')
      .map((t) => (t.detail ? `${t.target} (${t.detail})` : t.target))
    lines.push(
      `Written: ${written.length ? written.join(', ') : 'none'}. Not written: ${notWritten.length ? notWritten.join(', ') : 'none'}.`,
    )
    if (report.previousSecretExpiresAt) {
      lines.push(`Targets not written still hold the previous secret, which stops working at ${report.previousSecretExpiresAt}.`)
    } else if (report.outstanding) {
      lines.push(`Targets not written still hold the previous secret, which stops working on ${report.outstanding.deadline}.`)
    }
    if (report.messageKept) {
      lines.push(
        'The new secret is still in the queue: the next run checks it first, and stores it without rotating again if LWA accepts it.',
      )
    }
  }
  return lines.join('\n')
}
