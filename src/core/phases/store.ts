/**
 * Phase 5, store, and phase 6, commit. Every target is written (each store confirms its own write); a target
 * that fails does not stop the others, and each outcome is logged as it happens, so a stopped run's log
 * shows how far it got. Once every target holds the new secret, the record of the rotation is cleared and
 * its messages go, with the claims it supersedes and the forged and stale ones; claims that may still hold
 * a newer secret of ours stay for the next run.
 */
import { deletable, describe, versionKey, type Candidate } from '../candidates.js'
import { errorText } from '../model.js'
import type { Run } from './run.js'

export async function store(run: Run, chosen: Candidate): Promise<void> {
  const { plan, deps, report } = run
  const secret = chosen.secret!
  const key = versionKey(chosen, plan.clientId)
  await Promise.all(
    plan.targets.map(async (target, i) => {
      const entry = report.targets[i]!
      try {
        const { status, version } = await deps.store.write(target, secret, key)
        entry.status = status
        if (version) entry.version = version
        deps.log.info(
          target.kind === 'aws-secretsmanager'
            ? `${entry.target}: version ${version ?? '?'} is AWSCURRENT.`
            : target.kind === 'aws-ssm'
              ? `${entry.target}: version ${version ?? '?'} holds the new secret.`
              : `${entry.target}: ${target.secretName} ${entry.status}.`,
        )
      } catch (error) {
        entry.status = 'failed'
        entry.detail = errorText(error)
        deps.log.warning(`${entry.target}: ${entry.detail}`)
      }
    }),
  )
  const failed = report.targets.filter((t) => t.status === 'failed')
  if (failed.length) throw new Error(`${failed.length} of ${report.targets.length} target(s) could not be written`)
}

export async function commit(run: Run, chosen: Candidate): Promise<void> {
  const { reader, plan, deps } = run
  await reader.settled()
  // Beside the deletes: a run that stops between the two finds every target written after the recorded rotation.
  const cleared = clearRecord(run)
  const { deleted, failed, released } = await reader.claims.settle((c) => (deletable(c, chosen, plan.verify) ? 'delete' : 'release'))
  await cleared
  run.report.message = failed ? 'delete failed' : 'deleted'
  deps.log.info(
    `Every target holds the new secret; deleted ${deleted} new-secret message(s) for this client from the queue` +
      `${failed ? ` (${failed} could not be deleted: they reappear, and a later run deletes them without storing or deploying again; check that the credentials may sqs:DeleteMessage)` : ''}` +
      `${released ? `, left ${released} for a later run` : ''}.`,
  )
}

/** A run that found a waiting secret already in every target finishes what the run that stored it could not: the delete. */
export async function finishStored(run: Run): Promise<void> {
  const { reader, deps } = run
  await reader.settled()
  const stored = reader.claims.values.filter((c) => c.state === 'stored')
  const { deleted, failed } = await reader.claims.settle((c) => (c.state === 'stored' ? 'delete' : 'release'))
  run.report.messageKept = failed > 0
  run.report.message = failed ? 'delete failed' : 'deleted'
  if (failed) {
    deps.log.warning(
      `${stored.map(describe).join(', ')}: its secret is in every target, but ${failed} message(s) could not be deleted; ` +
        'nothing was written and no deploy started. Let the credentials sqs:DeleteMessage on the queue, or every run tries again.',
    )
  } else deps.log.info(`Deleted ${deleted} message(s) of a secret already in every target; nothing was written and no deploy started.`)
}

async function clearRecord(run: Run): Promise<void> {
  const record = run.deps.rotationRecord
  if (!record || !run.outstanding) return
  try {
    await record.clear()
    run.outstanding = undefined
  } catch (error) {
    run.outstanding = undefined // the secret is everywhere: the next run sees the targets written after the rotation
    run.deps.log.warning(`The secret is stored, but the record ${record.name} could not be cleared: ${errorText(error)}`)
  }
}
