/**
 * Whether a rotation is due. With rotate-before-expiry, a run rotates only inside the window before the
 * expiry: the recorded one, or an earlier one an expiry notification of Amazon's names. An unknown expiry
 * means rotate.
 */
import { daysLeft, plannedExpiry } from '../expiry.js'
import type { Run } from './run.js'

export function notDue(run: Run): boolean {
  const { plan, deps, report } = run
  if (plan.rotateBeforeMs === undefined) return false
  const now = deps.clock.now()
  const expiry = plannedExpiry(run.recorded, run.reader.expiryNotices.values, now)
  if (!expiry) {
    deps.log.info("The current secret's expiry is not known: rotating.")
    return false
  }
  const days = daysLeft(expiry, now)
  if (expiry.getTime() - now <= plan.rotateBeforeMs) {
    deps.log.info(`The current secret expires ${expiry.toISOString()} (${days} days left), within rotate-before-expiry: rotating.`)
    return false
  }
  report.secretExpiresAt = expiry.toISOString()
  report.currentSecretExpiresAt = expiry.toISOString()
  deps.log.info(
    `Not due: the current secret expires ${expiry.toISOString()} (${days} days left); the next rotation is due ` +
      `${new Date(expiry.getTime() - plan.rotateBeforeMs).toISOString()}. Nothing was rotated or written.`,
  )
  return true
}
