/**
 * The rows of `mode: check` that prove, or say they cannot prove, what a rotation will need beyond the
 * preflight's reads: that Amazon can deliver to the queue and only the right principals can use it, that
 * every target can be written, and that no earlier rotation is outstanding.
 */
import { queueProblems } from '../core/phases/prove.js'
import type { QueueStats, RotationRecord, SecretStore } from '../core/ports.js'
import { strangers } from '../core/queue-policy.js'
import { isoDay, parseOutstanding } from '../core/rotation-record.js'
import { formatTarget, type Target } from '../core/targets.js'
import type { Check } from './check.js'

const text = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function queueRows(stats: QueueStats, queueAccount: string | undefined): Check[] {
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
          detail: `${others.join('; ')}. Anyone who may send can plant messages, and anyone who may receive can read the new secret: narrow the queue policy (docs/security.md).`,
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
export async function writable(store: SecretStore, target: Target): Promise<Check> {
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
