/**
 * The rows of `mode: check` that prove, or say they cannot prove, what a rotation will need beyond the
 * preflight's reads: that Amazon can deliver to the queue and only the right principals can use it, that
 * every target can be written, and that no earlier rotation is outstanding.
 */
import { FUTURE_TOLERANCE_MS } from '../core/candidates.js'
import { isSecretFormat, parseNotification } from '../core/notification.js'
import { MIN_RETENTION_SECONDS } from '../core/phases/preflight.js'
import { queueProblems } from '../core/phases/prove.js'
import type { QueueStats, RotationRecord, SecretStore } from '../core/ports.js'
import { amazonMaySend, strangers } from '../core/queue-policy.js'
import type { Plan } from '../core/rotation.js'
import { isoDay, parseOutstanding } from '../core/rotation-record.js'
import { formatTarget, type Target } from '../core/targets.js'
import { remoteText } from '../lib/remote-text.js'
import type { IssueTracker } from '../core/ports.js'
import type { Deps } from '../core/rotation.js'

export interface Check {
  name: string
  ok: boolean
  /** Passed as far as a check can tell without changing anything: what it could not prove is in `detail`. */
  unproven?: boolean
  /** What was found; for a failed check, what to do about it. */
  detail: string
}

export type CheckDeps = Omit<Deps, 'spApi'> & {
  alerts?: { repository: string; probe: IssueTracker['probe'] } | undefined
  /** The AWS account that owns the queue (from sqs-queue-url): the one account that should read from it. */
  queueAccount?: string | undefined
  /** The workflow's repository, which keeps the records (for the command that seeds the expiry). */
  repository?: string | undefined
}

export const text = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** One row: passed with what `fn` found, or failed with the fix. */
export async function row(name: string, fn: () => Promise<string>, fix: (error: unknown) => string = text): Promise<Check> {
  try {
    return { name, ok: true, detail: await fn() }
  } catch (error) {
    return { name, ok: false, detail: fix(error) }
  }
}

/** The queue's rows: it answers, keeps messages long enough, lets Amazon in and no one else, and what waits in it. */
export async function queueGroup(plan: Plan, deps: CheckDeps): Promise<Check[]> {
  const { queue, log } = deps
  let stats: QueueStats
  try {
    stats = await queue.stats()
  } catch (error) {
    return [{ name: 'The queue answers', ok: false, detail: text(error) }]
  }
  const days = (stats.retentionSeconds / 86400).toFixed(1)
  // No Policy attribute means no policy: then Amazon cannot send either.
  const verdict = amazonMaySend(stats.policy)
  const waiting = await row('A new-secret message is waiting', async () => {
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
  })
  return [
    { name: 'The queue answers', ok: true, detail: 'GetQueueAttributes succeeded' },
    stats.retentionSeconds >= MIN_RETENTION_SECONDS
      ? { name: 'The queue keeps messages long enough', ok: true, detail: `retention ${days} days (at least 8 needed)` }
      : {
          name: 'The queue keeps messages long enough',
          ok: false,
          detail: `retention ${days} days: set MessageRetentionPeriod to at least 691200 s (8 days); 14 days is the maximum.`,
        },
    {
      name: "The queue policy lets Amazon's notifications in",
      ok: verdict.ok,
      detail: verdict.ok ? verdict.why : `${verdict.why}: allow sqs:SendMessage for arn:aws:iam::437568002678:root (see docs/aws).`,
    },
    ...queueRows(stats, deps.queueAccount),
    waiting,
  ]
}

/** A target's rows: it is reachable and, once it is, whether it can be written. */
export async function targetGroup(store: SecretStore, target: Target): Promise<Check[]> {
  const reachable = await row(`Target ${formatTarget(target)} is reachable`, async () => (await store.check(target), reached(target)))
  return reachable.ok ? [reachable, await writable(store, target)] : [reachable]
}

/** What a target's check read, in the words of its kind. */
function reached(target: Target): string {
  if (target.kind === 'aws-secretsmanager') return 'the secret was described'
  if (target.kind === 'aws-ssm') return 'a SecureString, described and read with decryption'
  return 'its public key was read'
}

function queueRows(stats: QueueStats, queueAccount: string | undefined): Check[] {
  // Retention and the policy have rows of their own; these are the rest of what the rotation proves.
  const delivery = queueProblems({ ...stats, retentionSeconds: Number.MAX_SAFE_INTEGER, policy: undefined }).filter(
    (p) => !p.includes('access policy'),
  )
  const cmk = stats.kmsKeyId && !/(^|:)alias\/aws\/sqs$/.test(stats.kmsKeyId)
  const others = strangers(stats.policy, queueAccount)
  return [
    delivery.length
      ? { name: 'Amazon can deliver to the queue', ok: false, detail: delivery.join(' ') }
      : cmk
        ? {
            name: 'Amazon can deliver to the queue',
            ok: true,
            unproven: true,
            detail: `a standard queue; its KMS key ${stats.kmsKeyId} must let Amazon (account 437568002678) use kms:GenerateDataKey and kms:Decrypt: unproven, the key policy is not read (docs/aws has one that does)`,
          }
        : {
            name: 'Amazon can deliver to the queue',
            ok: true,
            detail: `a standard queue, ${stats.kmsKeyId ? 'SSE-KMS' : 'SSE-SQS or unencrypted'}`,
          },
    others.length
      ? {
          name: 'Only Amazon may send, and only this account may receive or delete',
          ok: false,
          // Principals are the policy's text, from AWS: neutralised before they reach the log.
          detail: `${remoteText(others.join('; '), 600)}. Anyone who may send can plant messages, and anyone who may receive can read the new secret: narrow the queue policy (docs/security.md).`,
        }
      : {
          name: 'Only Amazon may send, and only this account may receive or delete',
          ok: true,
          detail: 'the queue policy grants no one else',
        },
    {
      name: "Amazon's subscription names this queue",
      ok: true,
      unproven: true,
      detail:
        'unproven: "Application Client New Secret" is subscribed in Developer Console → Notification Preferences, which no API reads; the first rotation shows it',
    },
  ]
}

/** A GitHub scope is proven by a throw-away secret written and deleted; an AWS target lists what only its write proves. */
async function writable(store: SecretStore, target: Target): Promise<Check> {
  const name = `Target ${formatTarget(target)} can be written`
  try {
    if ((await store.proveWrite(target)) === 'proven') {
      return { name, ok: true, detail: 'a throw-away secret LWA_ROTATION_WRITE_CHECK was written and deleted there' }
    }
    const missing = (await store.unproven?.(target).catch(() => [])) ?? []
    return {
      name,
      ok: true,
      unproven: true,
      detail: `unproven: ${missing.length ? missing.join(', ') : 'the write permission'} (only a write of the secret proves it; the first rotation's write is the proof)`,
    }
  } catch (error) {
    return { name, ok: false, detail: text(error) }
  }
}

export async function recordRow(record: RotationRecord): Promise<string> {
  const outstanding = parseOutstanding(await record.read())
  if (!outstanding) return 'no rotation is outstanding'
  throw new Error(
    `a rotation of ${outstanding.rotatedAt.toISOString()} is outstanding and its secret is not stored: the secret the targets hold stops working on ${isoDay(outstanding.deadline)}. ` +
      'A rotation run waits for it or, if it never arrives, stops; fix the delivery, then run once with force: true.',
  )
}
