/**
 * The job summary: what happened, when the secrets expire, and each target's status. Never a value.
 * Pure: returns Markdown for main to write.
 */
import type { Report } from './rotation.js'

const RESULT_TEXT: Record<NonNullable<Report['result']>, string> = {
  rotated: 'Rotated: Amazon issued a new client secret and every target holds it.',
  resumed: "Resumed: an earlier run's new secret was found in the queue and stored; no second rotation.",
  skipped: 'Skipped: another run for this application stored a new secret in every target while this run waited; nothing was rotated.',
}

/** Table cells cannot hold pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')

export function renderSummary(report: Report, failure?: string): string {
  const lines = ['## LWA client secret rotation', '']
  if (failure) {
    lines.push('> [!CAUTION]', ...failure.split('\n').map((l) => `> ${l}`), '')
  } else if (report.result) {
    lines.push(RESULT_TEXT[report.result], '')
  }
  lines.push(
    '| | |',
    '|---|---|',
    `| Client id | \`${cell(report.clientId)}\` |`,
    `| Result | ${failure ? 'failed' : (report.result ?? '-')} |`,
    `| New secret expires | ${report.secretExpiresAt ?? '-'} |`,
    `| Previous secret stops working | ${report.previousSecretExpiresAt ?? '-'} |`,
    `| New-secret message | ${report.messageKept ? 'kept in the queue for the next run' : failure ? '-' : 'deleted'} |`,
    '',
    '| Target | Status |',
    '|---|---|',
    ...report.targets.map((t) => `| \`${cell(t.target)}\` | ${cell(t.detail ? `${t.status}: ${t.detail}` : t.status)} |`),
    '',
  )
  return lines.join('\n')
}
