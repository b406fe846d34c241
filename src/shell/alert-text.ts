/**
 * The alert issue's words: title, body, and the comments a change of state or a recovery adds. The run's
 * error may quote remote text: it is neutralised, then escaped for Markdown, so it can mention nobody, link
 * nowhere and fake no marker.
 */
import { daysLeft, URGENT_WITHIN_MS } from '../core/expiry.js'
import { remoteText } from '../lib/remote-text.js'
import { day, fingerprintOf, issueMarker, type Problem } from './alert.js'

export interface RenderContext {
  /** This run's page; undefined outside a workflow. */
  runUrl: string | undefined
  now: number
}

/** The issue's title, which names the application and the state. */
export function issueTitle(problem: Problem): string {
  switch (problem.state) {
    case 'failed':
      return `LWA client secret rotation failed: ${remoteText(problem.phase, 60)} (${problem.clientId})`
    case 'unfinished':
      return `LWA client secret rotation left work to do (${problem.clientId})`
    case 'expiring':
      return `LWA client secret for ${problem.clientId} expires on ${day(problem.deadline!)}`
  }
}

const HEADLINE: Record<Problem['state'], string> = {
  failed: 'A run of the LWA client secret rotation failed.',
  unfinished: 'A run of the LWA client secret rotation succeeded, but left work to do.',
  expiring: 'The LWA client secret in use expires soon, and no run has replaced it.',
}

const TO_DO: Record<Problem['state'], string> = {
  failed:
    'Fix the cause the error above names (it says how), then run the workflow again (Actions → the workflow → Run workflow) or wait for its next scheduled run.',
  unfinished: 'Do what each line above says; the next run that leaves nothing over closes this issue.',
  expiring:
    'Rotate now (in the example workflow: Run workflow with force) and see that the run ends rotated; if it fails, its error says why.',
}

/** The issue's body: the current state, the run's link, and the two hidden markers the next run reads. */
export function issueBody(problem: Problem, context: RenderContext): string {
  const deadline = problem.deadline
    ? `${day(problem.deadline)}: the secret the targets hold stops working ${problem.deadline} (${deadlineLeft(problem.deadline, context.now)}).`
    : 'not known.'
  return [
    `### ${HEADLINE[problem.state]}`,
    '',
    `- **Application:** \`${problem.clientId}\``,
    `- **Where:** ${problem.state === 'failed' ? `the run stopped during ${escapeMarkdown(problem.phase)}` : problem.state === 'unfinished' ? 'after the secret was stored' : 'the expiry'}`,
    `- **Deadline:** ${deadline}`,
    `- **Run:** ${runLink(context.runUrl)}, ${new Date(context.now).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `#### ${problem.state === 'unfinished' ? 'Left to do' : 'What happened'}`,
    '',
    ...quote(problem.details),
    '',
    '#### What the action did to keep things safe',
    '',
    escapeMarkdown(problem.safety),
    '',
    '#### What to do',
    '',
    TO_DO[problem.state],
    '',
    '---',
    '',
    '<sub>Kept by the LWA client secret rotation action: it edits this issue on every run that finds the same problem, comments when the state changes, and closes it once a run succeeds. Set the input <code>alert: none</code> to stop it.</sub>',
    '',
    issueMarker(problem.clientId),
    `<!-- lwa-secret-rotation-state: ${fingerprintOf(problem)} -->`,
    '',
  ].join('\n')
}

/** A comment for a state other than the one the issue recorded. */
export function changeComment(problem: Problem, context: RenderContext): string {
  return [
    // The title is the action's own words and the client id (letters, digits, dots and hyphens).
    `The state changed in ${runLink(context.runUrl)}: **${issueTitle(problem)}**.`,
    '',
    ...quote(problem.details.slice(0, 1)),
    '',
    'The description above shows the current state.',
  ].join('\n')
}

/** The comment an issue gets as it is closed. */
export function resolvedComment(why: string, context: RenderContext): string {
  return `Resolved by ${runLink(context.runUrl)}: ${escapeMarkdown(why)}.`
}

function deadlineLeft(deadline: string, now: number): string {
  const ms = Date.parse(deadline) - now
  if (ms <= 0) return 'already passed'
  return ms < URGENT_WITHIN_MS ? `**less than 2 days left**` : `${daysLeft(new Date(deadline), now)} days left`
}

function runLink(runUrl: string | undefined): string {
  return runUrl ? `[this run](${runUrl})` : 'a run outside a workflow (no link)'
}

/** Lines as a Markdown quote, each escaped; at most 40 lines of 1,000 characters. */
function quote(lines: string[]): string[] {
  const shown = lines.slice(0, 40).map((l) => `> ${escapeMarkdown(l, 1000)}`)
  if (lines.length > 40) shown.push(`> (${lines.length - 40} more lines in the run's log)`)
  return shown
}

/**
 * One line of untrusted text as Markdown that shows it literally: neutralised (remoteText), HTML and Markdown
 * punctuation escaped, so that it can open no tag or hidden comment (a forged marker), link, image or table;
 * mentions, URLs and www. names broken with a zero-width space, so that it pings nobody and links nowhere.
 */
export function escapeMarkdown(text: string, max = 1000): string {
  return remoteText(text, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-!|~=$^]/g, '\\$&')
    .replace(/^(\d+)\./, '$1\\.')
    .replace(/@/g, '@&#8203;')
    .replace(/:\/\//g, ':&#8203;//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}&#8203;.`)
}
