/**
 * The job summary: what happened, when the secrets expire, and each target's status. Never a value.
 * Pure: returns Markdown for main to write.
 */
import type { CheckReport } from './check.js'
import { daysLeft, dueAt, URGENT_WITHIN_MS, WARN_WITHIN_MS } from '../core/expiry.js'
import type { Report } from '../core/rotation.js'

const RESULT_TEXT: Record<NonNullable<Report['result']>, string> = {
  rotated: 'Rotated: Amazon issued a new client secret and every target holds it.',
  resumed: "Resumed: an earlier run's new secret was found in the queue and stored; no second rotation.",
  skipped: 'Skipped: nothing was rotated or written.',
}

const SKIP_TEXT: Record<NonNullable<Report['skipReason']>, string> = {
  'not due': 'Skipped: the secret is not due for rotation (rotate-before-expiry); nothing was rotated or written.',
  'stored by another run':
    'Skipped: another run for this application stored a new secret in every target while this run waited; nothing was rotated.',
  'already stored':
    'Skipped: the new secret waiting in the queue is in every target already; its message was deleted, nothing was written and no deploy started.',
}

const MESSAGE_TEXT: Record<Report['message'], string> = {
  deleted: 'deleted',
  kept: 'kept in the queue for the next run',
  'delete failed': 'failed to delete: it reappears, and the next run stores the same value again',
  none: 'nothing taken',
}

/** Our own text in a table cell (names, code spans): cells cannot hold pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')

/**
 * Text that may carry remote text (error texts, details) as literal Markdown text: every character that could
 * open a link, an image, emphasis, code, a heading, HTML or a table cell is escaped, and line breaks become <br>.
 * A bare URL may still be shown as a link by GitHub's autolinking; it then shows its real target.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]#|~!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '<br>')
}

/** A failure as a caution block, each line escaped (it carries remote text). */
const caution = (failure: string) => ['> [!CAUTION]', ...failure.split(/\r?\n/).map((l) => `> ${markdownText(l)}`), '']

export function renderSummary(report: Report, failure?: string, rotateBeforeMs?: number, now = Date.now()): string {
  const lines = ['## LWA client secret rotation', '']
  if (failure) {
    lines.push(...caution(failure))
  } else if (report.result) {
    lines.push(report.skipReason ? SKIP_TEXT[report.skipReason] : RESULT_TEXT[report.result], '')
  }
  lines.push(
    '| | |',
    '|---|---|',
    `| Client id | \`${cell(report.clientId)}\` |`,
    `| Result | ${failure ? 'failed' : (report.result ?? '-')} |`,
    `| New secret expires | ${report.secretExpiresAt ?? '-'} |`,
    `| Previous secret stops working | ${report.previousSecretExpiresAt ?? '-'} |`,
    `| New-secret message | ${MESSAGE_TEXT[report.message]} |`,
    ...timeline(report, rotateBeforeMs, now),
    '',
    '| Target | Status |',
    '|---|---|',
    ...report.targets.map(
      (t) =>
        `| \`${cell(t.target)}\` | ${markdownText(t.detail ? `${t.status}: ${t.detail}` : t.version ? `${t.status} (version ${t.version})` : t.status)} |`,
    ),
    '',
  )
  if (report.dispatches.length) {
    lines.push(
      '| Deploy | Status |',
      '|---|---|',
      ...report.dispatches.map((d) => `| \`${cell(d.event)}\` | ${markdownText(d.detail ? `${d.status}: ${d.detail}` : d.status)} |`),
      '',
    )
    const missed = report.dispatches.filter((d) => d.status === 'failed')
    if (missed.length)
      lines.push(`Deploys that did not start (start them by hand): ${missed.map((d) => `\`${cell(d.event)}\``).join(', ')}.`, '')
  }
  return lines.join('\n')
}

/** A run that failed before there was anything to report (bad input, say): the error, and that nothing changed. */
export function renderFailure(failure: string): string {
  return ['## LWA client secret rotation', '', ...caution(failure), 'Nothing was rotated or changed.', ''].join('\n')
}

/** The expiry timeline: the secret in use, its days left, and when the next rotation is due. */
function timeline(report: Report, rotateBeforeMs: number | undefined, now: number): string[] {
  const inUse = report.result === 'rotated' || report.result === 'resumed' ? report.secretExpiresAt : report.currentSecretExpiresAt
  const rows: string[] = []
  if (inUse) {
    const at = new Date(inUse)
    rows.push(`| Secret in use expires | ${inUse} (${daysLeft(at, now)} days left) |`)
    rows.push(
      `| Next rotation due | ${rotateBeforeMs === undefined ? 'every run rotates (rotate-before-expiry is empty)' : dueAt(at, rotateBeforeMs).toISOString()} |`,
    )
  }
  if (report.outstanding) {
    const { rotatedAt, deadline } = report.outstanding
    rows.push(
      `| Rotation outstanding | Amazon was asked at ${rotatedAt}; the secret the targets hold stops working on ${deadline} (${daysLeft(new Date(`${deadline}T00:00:00Z`), now)} days left) |`,
    )
  }
  if (report.expiryRecord) rows.push(`| Expiry variable | \`${report.expiryRecord.name}\`: ${report.expiryRecord.status} |`)
  return rows
}

/**
 * Annotations that reach people: a warning when the secret in use expires within 14 days and this run did
 * not replace it; an error when a failed run leaves it less than 2 days to live.
 */
export function expiryAlerts(
  report: Pick<Report, 'result' | 'currentSecretExpiresAt' | 'previousSecretExpiresAt' | 'outstanding'>,
  failure: string | undefined,
  now: number,
): { warning?: string; error?: string } {
  const replaced = !failure && (report.result === 'rotated' || report.result === 'resumed')
  if (replaced) return {}
  // A rotation whose secret is not stored: the clock runs whatever the expiry record says.
  if (report.outstanding) {
    const days = daysLeft(new Date(`${report.outstanding.deadline}T00:00:00Z`), now)
    return {
      error: `A rotation of ${report.outstanding.rotatedAt} is outstanding: the secret the targets hold stops working on ${report.outstanding.deadline} (${days} days left). Fix the cause above and run the rotation again before then.`,
    }
  }
  // After a rotation that did not finish, the secret in use is the previous one, which dies 7 days after it.
  const inUse = report.previousSecretExpiresAt ?? report.currentSecretExpiresAt
  if (!inUse) return {}
  const at = new Date(inUse)
  const left = at.getTime() - now
  const days = daysLeft(at, now)
  if (failure && left < URGENT_WITHIN_MS) {
    return {
      error: `The client secret in use stops working ${inUse} (${left > 0 ? `${days} days left` : 'already expired'}) and this run failed: fix the cause above and run the rotation again now.`,
    }
  }
  if (left < WARN_WITHIN_MS) {
    return { warning: `The client secret in use expires ${inUse} (${days} days left) and this run did not replace it.` }
  }
  return {}
}

/** mode: check — each check with its outcome and fix. */
export function renderCheck(result: CheckReport): string {
  const failed = result.checks.filter((c) => !c.ok).length
  const unproven = result.checks.filter((c) => c.unproven).length
  return [
    '## LWA client secret rotation: check',
    '',
    failed
      ? `${failed} of ${result.checks.length} check(s) failed; nothing was rotated or changed.`
      : `All ${result.checks.length - unproven} checks passed${unproven ? `, ${unproven} unproven (only a write can prove them)` : ''}; nothing was rotated or changed.`,
    '',
    `Client id: \`${cell(result.clientId)}\``,
    '',
    '| Check | Result | Detail |',
    '|---|---|---|',
    ...result.checks.map(
      (c) => `| ${cell(c.name)} | ${c.ok ? (c.unproven ? 'unproven' : 'passed') : '**failed**'} | ${markdownText(c.detail)} |`,
    ),
    '',
  ].join('\n')
}
