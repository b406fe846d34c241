/**
 * Before the rotate call, everything the rotation will need is proven, since a rotation that cannot finish
 * still starts the 7-day clock: Amazon can deliver to the queue (a standard queue whose policy lets Amazon
 * send, not encrypted with the AWS managed key Amazon cannot be granted), the message will outlive the old
 * secret, and every target can be written. What cannot be proven without writing is said, not passed.
 */
import { AMAZON_ACCOUNT, amazonMaySend } from '../queue-policy.js'
import { errorText } from '../model.js'
import type { QueueStats } from '../ports.js'
import { formatTarget } from '../targets.js'
import { MIN_RETENTION_SECONDS } from './preflight.js'
import type { Run } from './run.js'

export async function prove(run: Run, queue: QueueStats): Promise<void> {
  const { plan, deps } = run
  const problems = queueProblems(queue)
  const results = await Promise.allSettled(plan.targets.map((t) => deps.store.proveWrite(t)))
  const unproven: string[] = []
  results.forEach((r, i) => {
    const name = formatTarget(plan.targets[i]!)
    if (r.status === 'rejected') problems.push(`${name}: ${errorText(r.reason)}`)
    else if (r.value === 'unproven') unproven.push(name)
  })
  if (problems.length) throw new Error(`nothing was rotated: the rotation could not finish.\n- ${problems.join('\n- ')}`)
  deps.log.info(
    `Proven before rotating: Amazon may send to the queue, which keeps messages long enough; ${plan.targets.length - unproven.length} target(s) writable.` +
      (unproven.length
        ? ` Not provable without writing the secret itself: ${unproven.join(', ')} (mode: check lists the permissions they need).`
        : ''),
  )
}

/** Why Amazon could not deliver the new secret, or the message could die before the old secret does. */
export function queueProblems(queue: QueueStats): string[] {
  const problems: string[] = []
  if (queue.fifo) problems.push('The queue (sqs-queue-url) is a FIFO queue; Amazon delivers notifications only to standard queues.')
  if (queue.kmsKeyId && /(^|:)alias\/aws\/sqs$/.test(queue.kmsKeyId)) {
    problems.push(
      `The queue (sqs-queue-url) is encrypted with the AWS managed key alias/aws/sqs, whose key policy cannot let Amazon (account ${AMAZON_ACCOUNT}) use it: ` +
        'use a customer managed key whose policy allows Amazon kms:GenerateDataKey and kms:Decrypt, or SQS-managed encryption (SSE-SQS).',
    )
  }
  const policy = amazonMaySend(queue.policy)
  if (!policy.ok) problems.push(`The queue (sqs-queue-url): ${policy.why}; see docs/aws for a policy that lets Amazon in.`)
  if (queue.retentionSeconds < MIN_RETENTION_SECONDS) {
    problems.push(
      `The queue keeps messages for ${(queue.retentionSeconds / 86400).toFixed(1)} days, less than the 8 days the new secret's message may have to wait ` +
        "(the old secret lives 7 days after a rotation). Set the queue's MessageRetentionPeriod to at least 691200 s (8 days); 14 days is the maximum.",
    )
  }
  return problems
}
