/**
 * `mode: check`: every check a rotation makes before its rotate call, each reported as passed, failed with its
 * fix, or unproven, and nothing changed. It never rotates and never writes the secret or a variable; the one
 * write it makes is the throw-away secret that proves a GitHub scope writable, deleted at once. It holds a
 * message no longer than one look: whatever it receives goes back to the queue at once.
 */
import { FUTURE_TOLERANCE_MS } from '../core/candidates.js'
import { daysLeft, parseRecordedExpiry } from '../core/expiry.js'
import { isSecretFormat, parseNotification } from '../core/notification.js'
import { amazonMaySend } from '../core/queue-policy.js'
import { MIN_RETENTION_SECONDS, type Deps, type Plan } from '../core/rotation.js'
import type { IssueTracker } from '../core/ports.js'
import { formatTarget, type Target } from '../core/targets.js'
import { queueRows, recordRow, writable } from './check-rows.js'

export interface Check {
  name: string
  ok: boolean
  /** Passed as far as a check can tell without changing anything: what it could not prove is in `detail`. */
  unproven?: boolean
  /** What was found; for a failed check, what to do about it. */
  detail: string
}

export interface CheckReport {
  clientId: string
  checks: Check[]
  /** The current secret's expiry as recorded, when known. */
  secretExpiresAt: string | undefined
}

/** The check's row for the alert issue (alert: issue), by name: main does not write an issue when it failed. */
export const alertCheckName = (repository: string) => `Alert issues can be kept in ${repository}`

export async function check(
  plan: Plan,
  deps: Omit<Deps, 'spApi'> & {
    alerts?: { repository: string; probe: IssueTracker['probe'] } | undefined
    /** The AWS account that owns the queue (from sqs-queue-url): the one account that should read from it. */
    queueAccount?: string | undefined
  },
): Promise<CheckReport> {
  const { lwa, queue, store, expiry, log, alerts } = deps
  const checks: Check[] = []
  const text = (error: unknown) => (error instanceof Error ? error.message : String(error))
  const run = async (name: string, fn: () => Promise<string>, fix: (error: unknown) => string): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await fn() })
    } catch (error) {
      checks.push({ name, ok: false, detail: fix(error) })
    }
  }
  let secretExpiresAt: string | undefined

  await Promise.all([
    run(
      'LWA accepts the current client-secret',
      async () => (await lwa.rotationToken(plan.currentSecret), 'a rotation token was granted'),
      (e) => `${text(e)}. Set client-secret to the secret the application uses now (Developer Console → your app → View).`,
    ),
    ...(plan.refreshToken
      ? [
          run(
            'LWA accepts the refresh-token',
            async () => (await lwa.refreshGrant(plan.currentSecret, plan.refreshToken!), 'the refresh_token grant succeeded'),
            (e) => `${text(e)}. Set refresh-token to a refresh token of one of this application's authorizations, or leave it empty.`,
          ),
        ]
      : []),
    (async () => {
      let stats
      try {
        stats = await queue.stats()
        checks.push({ name: 'The queue answers', ok: true, detail: 'GetQueueAttributes succeeded' })
      } catch (error) {
        checks.push({ name: 'The queue answers', ok: false, detail: text(error) })
        return
      }
      const days = (stats.retentionSeconds / 86400).toFixed(1)
      checks.push(
        stats.retentionSeconds >= MIN_RETENTION_SECONDS
          ? { name: 'The queue keeps messages long enough', ok: true, detail: `retention ${days} days (at least 8 needed)` }
          : {
              name: 'The queue keeps messages long enough',
              ok: false,
              detail: `retention ${days} days: set MessageRetentionPeriod to at least 691200 s (8 days); 14 days is the maximum.`,
            },
      )
      {
        // No Policy attribute means no policy: then Amazon cannot send either.
        const verdict = amazonMaySend(stats.policy)
        checks.push({
          name: "The queue policy lets Amazon's notifications in",
          ok: verdict.ok,
          detail: verdict.ok ? verdict.why : `${verdict.why}: allow sqs:SendMessage for arn:aws:iam::437568002678:root (see docs/aws).`,
        })
      }
      checks.push(...queueRows(stats, deps.queueAccount))
      await run(
        'A new-secret message is waiting',
        async () => {
          // One look, given back at once: the check must not hide a message from a rotation running beside it.
          const messages = await queue.receive(0, 5, plan.signal)
          await Promise.allSettled(messages.map((m) => queue.setVisibility(m, 0)))
          const ours = messages.filter((m) => {
            const n = parseNotification(m.body)
            // Masked as a rotation would: only a value in LWA's format that is not dated in the future.
            if (
              n.kind === 'new-secret' &&
              n.clientId === plan.clientId &&
              isSecretFormat(n.newSecret) &&
              n.eventTime.getTime() <= deps.clock.now() + FUTURE_TOLERANCE_MS
            ) {
              log.mask(n.newSecret)
            }
            return (n.kind === 'new-secret' || n.kind === 'new-secret-unreadable') && n.clientId === plan.clientId
          })
          return ours.length
            ? `${ours.length} new-secret message(s) for this client are waiting: the next rotation run checks them first and resumes without rotating.`
            : 'none in the first look (nothing to resume)'
        },
        text,
      )
    })(),
    ...plan.targets.map(async (target) => {
      let reachable = false
      await run(
        `Target ${formatTarget(target)} is reachable`,
        async () => {
          await store.check(target)
          reachable = true
          return reached(target)
        },
        text,
      )
      if (reachable) checks.push(await writable(store, target))
    }),
    ...(deps.rotationRecord
      ? [run(`The rotation record ${deps.rotationRecord.name} is readable`, () => recordRow(deps.rotationRecord!), text)]
      : []),
    ...(expiry
      ? [
          run(
            `The expiry variable ${expiry.name} is readable`,
            async () => {
              const value = parseRecordedExpiry(await expiry.read())
              if (!value) return 'it does not exist yet: the next rotation records the expiry'
              secretExpiresAt = value.toISOString()
              const days = daysLeft(value, deps.clock.now())
              return `the current secret expires ${secretExpiresAt} (${days} days left)`
            },
            text,
          ),
        ]
      : []),
    ...(alerts
      ? [
          run(
            alertCheckName(alerts.repository),
            async () => {
              // Reads only: writing is what an alert does, and check mode writes nothing.
              const { open, label, labelExists } = await alerts.probe()
              return (
                `its issues can be read (${open} alert issue(s) open); the label ${label} ${labelExists ? 'exists' : 'does not exist yet (the first alert creates it)'}. ` +
                'issues: write unproven: check mode writes nothing'
              )
            },
            text,
          ),
        ]
      : []),
  ])

  for (const c of checks)
    (c.ok ? log.info : log.warning)(`${c.ok ? (c.unproven ? 'unproven' : 'passed') : 'FAILED'}: ${c.name}: ${c.detail}`)
  return { clientId: plan.clientId, checks, secretExpiresAt }
}

/** What a target's check read, in the words of its kind. */
function reached(target: Target): string {
  if (target.kind === 'aws-secretsmanager') return 'the secret was described'
  if (target.kind === 'aws-ssm') return 'a SecureString, described and read with decryption'
  return 'its public key was read'
}
