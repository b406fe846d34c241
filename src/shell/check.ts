/**
 * `mode: check`: every check a rotation makes before its rotate call, each reported as passed, failed with its
 * fix, or unproven, and nothing changed. It never rotates and never writes the secret or a variable; the one
 * write it makes is the throw-away secret that proves a GitHub scope writable, deleted at once. It holds a
 * message no longer than one look: whatever it receives goes back to the queue at once.
 */
import { daysLeft, parseRecordedExpiry } from '../core/expiry.js'
import type { Plan } from '../core/rotation.js'
import { queueGroup, recordRow, row, targetGroup, text, type Check, type CheckDeps } from './check-rows.js'

export type { Check, CheckDeps }

export interface CheckReport {
  clientId: string
  checks: Check[]
  /** The current secret's expiry as recorded, when known. */
  secretExpiresAt: string | undefined
}

/** The check's row for the alert issue (alert: issue), by name: main does not write an issue when it failed. */
export const alertCheckName = (repository: string) => `Alert issues can be kept in ${repository}`

export async function check(plan: Plan, deps: CheckDeps): Promise<CheckReport> {
  const { lwa, expiry, log, alerts } = deps
  let secretExpiresAt: string | undefined
  const groups = await Promise.all([
    row(
      'LWA accepts the current client-secret',
      async () => (await lwa.rotationToken(plan.currentSecret), 'a rotation token was granted'),
      (e) => `${text(e)}. Set client-secret to the secret the application uses now (Developer Console → your app → View).`,
    ),
    plan.refreshToken
      ? row(
          'LWA accepts the refresh-token',
          async () => (await lwa.refreshGrant(plan.currentSecret, plan.refreshToken!), 'the refresh_token grant succeeded'),
          (e) => `${text(e)}. Set refresh-token to a refresh token of one of this application's authorizations, or leave it empty.`,
        )
      : [],
    queueGroup(plan, deps),
    ...plan.targets.map((target) => targetGroup(deps.store, target)),
    deps.rotationRecord ? row(`The rotation record ${deps.rotationRecord.name} is readable`, () => recordRow(deps.rotationRecord!)) : [],
    expiry
      ? row(`The expiry variable ${expiry.name} is readable`, async () => {
          const value = parseRecordedExpiry(await expiry.read())
          if (!value) return 'it does not exist yet: the next rotation records the expiry'
          secretExpiresAt = value.toISOString()
          return `the current secret expires ${secretExpiresAt} (${daysLeft(value, deps.clock.now())} days left)`
        })
      : [],
    alerts
      ? row(alertCheckName(alerts.repository), async () => {
          // Reads only: writing is what an alert does, and check mode writes nothing.
          const { open, label, labelExists } = await alerts.probe()
          return (
            `its issues can be read (${open} alert issue(s) open); the label ${label} ${labelExists ? 'exists' : 'does not exist yet (the first alert creates it)'}. ` +
            'issues: write unproven: check mode writes nothing'
          )
        })
      : [],
  ])
  const checks = groups.flat()
  for (const c of checks)
    (c.ok ? log.info : log.warning)(`${c.ok ? (c.unproven ? 'unproven' : 'passed') : 'FAILED'}: ${c.name}: ${c.detail}`)
  return { clientId: plan.clientId, checks, secretExpiresAt }
}
