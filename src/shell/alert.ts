/**
 * Alert issues, the pure part: what a finished run leaves to tell a person (a failure, work left over, an expiry
 * at hand) or that all is well, and the fingerprint that tells a new state from the same one seen again. The
 * issue's text is in alert-text.ts. No I/O: alert-sync.ts keeps the issue through the IssueTracker port.
 *
 * Everything written here is the action's own words, dates, the client id, target names and the run's link,
 * except the run's error, which may quote remote text: it is neutralised and escaped for Markdown.
 */
import { createHash } from 'node:crypto'
import type { CheckReport } from './check.js'
import { daysLeft, URGENT_WITHIN_MS } from '../core/expiry.js'
import { RotationFailed, type Report } from '../core/rotation.js'
import { InputError } from '../lib/input-error.js'

/** How a run ended, as main saw it. */
export type RunOutcome =
  | { mode: 'rotate'; report: Report }
  | { mode: 'check'; result: CheckReport }
  /** A RotationFailed (which carries its report), an InputError, or anything else that stopped the run. */
  | { mode: 'failed'; error: unknown }

/** Something a person should know about. */
export interface Problem {
  state: 'failed' | 'unfinished' | 'expiring'
  clientId: string
  /** Where the run stopped: a phase of the rotation, `inputs`, `check` or `start`; `report` for work left over. */
  phase: string
  /** What kind of cause, for the fingerprint only: from the action's own words (inputs, targets, checks, statuses). */
  cause: string
  /** When the secret the targets hold stops working (ISO 8601), when known. */
  deadline: string | undefined
  /** The run's error, or what is left to do, line by line. May quote remote text: escaped when rendered. */
  details: string[]
  /** What the action did to keep things safe: its own words. */
  safety: string
}

export type AlertState =
  | Problem
  /** All is well: an open issue is resolved (`why` says by what). */
  | { state: 'healthy'; why: string }
  /** Nothing this run can say (it waited while another run did the work, or it was cancelled): the issue is left as it is. */
  | { state: 'unchanged' }

export const MARKER_PREFIX = 'lwa-secret-rotation'

/** The hidden line that names the application an issue belongs to; the client id is not a secret. */
export const issueMarker = (clientId: string) => `<!-- ${MARKER_PREFIX}: client-id=${clientId} -->`

const STATE_MARKER = /<!-- lwa-secret-rotation-state: ([a-z0-9/ -]+) -->/

/** The state an issue body records, compared with the next run's; undefined when the body has none. */
export function fingerprintIn(body: string): string | undefined {
  return STATE_MARKER.exec(body)?.[1]
}

/**
 * State, phase, a digest of the cause and the deadline's day: a new phase, another cause or a new deadline is a
 * change worth a comment; the same failure seen again is not, whatever its run-specific ids and times.
 */
export function fingerprintOf(problem: Problem): string {
  const cause = createHash('sha256').update(problem.cause).digest('hex').slice(0, 12)
  const phase = problem.phase.toLowerCase().replace(/[^a-z0-9]+/g, '-')
  return `${problem.state}/${phase}/${cause}/${problem.deadline?.slice(0, 10) ?? 'no-deadline'}`
}

/** The state a finished run leaves: a problem, healthy, or nothing to say. */
export function alertState(outcome: RunOutcome, clientId: string, now: number): AlertState {
  if (outcome.mode === 'failed') return failed(outcome.error, clientId)
  if (outcome.mode === 'check') return checked(outcome.result, now)
  const { report } = outcome
  if (report.skipReason === 'stored by another run') return { state: 'unchanged' }
  const left = leftOver(report)
  if (left.length) {
    const unwritten = report.targets.some((t) => t.status === 'failed' || t.status === 'not written')
    return {
      state: 'unfinished',
      clientId,
      phase: 'report',
      cause: left.map((l) => l.key).join('\n'),
      deadline: unwritten ? report.previousSecretExpiresAt : undefined,
      details: left.map((l) => l.text),
      safety:
        report.result === 'skipped'
          ? 'Nothing was rotated; the targets hold the current secret.'
          : `The run ${report.result === 'resumed' ? 'stored the new secret of an earlier rotation' : 'rotated the secret and stored the new one'}; only what is listed above is left over.`,
    }
  }
  const urgent = urgentExpiry(report, now)
  if (urgent) return expiring(clientId, urgent, now)
  if (report.result === 'rotated' || report.result === 'resumed') {
    const what = report.result === 'rotated' ? 'the secret was rotated' : "an earlier rotation's new secret was stored"
    return { state: 'healthy', why: `${what}${report.secretExpiresAt ? `; the new one expires ${day(report.secretExpiresAt)}` : ''}` }
  }
  if (report.result === 'skipped') {
    return {
      state: 'healthy',
      why: `the secret is not due${report.currentSecretExpiresAt ? ` (it expires ${day(report.currentSecretExpiresAt)})` : ''}`,
    }
  }
  return { state: 'unchanged' }
}

/** What a run that succeeded still leaves to a person, each with a key for the fingerprint. */
function leftOver(report: Report): Array<{ key: string; text: string }> {
  const left: Array<{ key: string; text: string }> = []
  if (report.result === 'rotated' || report.result === 'resumed') {
    for (const t of report.targets.filter((t) => t.status === 'failed' || t.status === 'not written')) {
      left.push({ key: `target ${t.target}`, text: `${t.target} was not written${t.detail ? `: ${t.detail}` : ''}.` })
    }
  }
  if (report.message === 'delete failed') {
    left.push({
      key: 'undeleted',
      text:
        'The new-secret message could not be deleted from the queue: it reappears, and a later run deletes it without ' +
        'storing or deploying again. Check that the AWS credentials may sqs:DeleteMessage on the queue.',
    })
  }
  for (const d of report.dispatches.filter((d) => d.status === 'failed')) {
    left.push({
      key: `dispatch ${d.event}`,
      text: `${d.event} did not start${d.detail ? `: ${d.detail}` : ''}. Start that deploy by hand.`,
    })
  }
  if (report.expiryRecord?.status === 'failed') {
    left.push({
      key: 'expiry variable',
      text:
        `The expiry could not be recorded in the variable ${report.expiryRecord.name} (the run's warning says why): ` +
        'rotate-before-expiry cannot plan by it. The github-token needs "Variables: read and write" on this repository.',
    })
  }
  return left
}

/** The expiry of the secret in use when this run did not replace it and it has less than 2 days to live. */
function urgentExpiry(
  report: Pick<Report, 'result' | 'currentSecretExpiresAt' | 'previousSecretExpiresAt'>,
  now: number,
): string | undefined {
  if (report.result === 'rotated' || report.result === 'resumed') return undefined
  const inUse = report.previousSecretExpiresAt ?? report.currentSecretExpiresAt
  return inUse && Date.parse(inUse) - now < URGENT_WITHIN_MS ? inUse : undefined
}

function expiring(clientId: string, expiresAt: string, now: number): Problem {
  const left = Date.parse(expiresAt) - now
  return {
    state: 'expiring',
    clientId,
    phase: 'expiry',
    cause: 'expiry',
    deadline: expiresAt,
    details: [
      `The client secret in use stops working ${expiresAt} (${left > 0 ? `${daysLeft(new Date(expiresAt), now)} days left` : 'already expired'}) and this run did not replace it.`,
    ],
    safety: 'Nothing was rotated or changed by this run.',
  }
}

function checked(result: CheckReport, now: number): AlertState {
  const failedChecks = result.checks.filter((c) => !c.ok)
  if (failedChecks.length) {
    return {
      state: 'failed',
      clientId: result.clientId,
      phase: 'check',
      cause: failedChecks.map((c) => c.name).join('\n'),
      deadline: result.secretExpiresAt,
      details: failedChecks.map((c) => `${c.name}: ${c.detail}`),
      safety: 'Check mode changes nothing: nothing was rotated or written.',
    }
  }
  const urgent = urgentExpiry(
    { result: undefined, currentSecretExpiresAt: result.secretExpiresAt, previousSecretExpiresAt: undefined },
    now,
  )
  if (urgent) return expiring(result.clientId, urgent, now)
  return { state: 'healthy', why: 'every check passed' }
}

function failed(error: unknown, clientId: string): Problem {
  const message = error instanceof Error ? error.message : String(error)
  const lines = message.split('\n').filter((l) => l.trim() !== '')
  if (error instanceof InputError) {
    return {
      state: 'failed',
      clientId,
      phase: 'inputs',
      cause: `input ${error.input}`,
      deadline: undefined,
      details: lines,
      safety: 'Nothing was rotated or changed: the run stopped at its inputs, before any request to Amazon.',
    }
  }
  if (!(error instanceof RotationFailed)) {
    return {
      state: 'failed',
      clientId,
      phase: 'start',
      cause: causeOf(lines[0] ?? ''),
      deadline: undefined,
      details: lines,
      safety: 'Nothing was rotated.',
    }
  }
  const { report } = error
  const phase = phaseOf(error)
  const failedTargets = report.targets.filter((t) => t.status === 'failed').map((t) => t.target)
  // The preflight lists each problem as "- SUBJECT: error": the subjects are the action's own words.
  const subjects = lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2).split(': ')[0]!)
  const cause = subjects.length
    ? subjects.sort().join('\n')
    : failedTargets.length
      ? `targets ${failedTargets.sort().join('\n')}`
      : causeOf(lines[0]!.replace(/^Rotation failed during [^:]+: /, ''))
  return {
    state: 'failed',
    clientId,
    phase,
    cause,
    // An outstanding rotation's day comes first: it is when the secret the targets hold stops working.
    deadline:
      (report.outstanding && `${report.outstanding.deadline}T00:00:00.000Z`) ??
      report.previousSecretExpiresAt ??
      report.currentSecretExpiresAt,
    details: lines,
    safety: safetyOf(report, phase),
  }
}

/** The phase a RotationFailed names in its first line ("Rotation failed during PHASE: …"), or its own field. */
function phaseOf(error: RotationFailed): string {
  const own = (error as { phase?: unknown }).phase
  if (typeof own === 'string' && own) return own
  return /^Rotation failed during ([^:\n]+):/.exec(error.message)?.[1] ?? 'rotation'
}

/**
 * A cause's kind from the first line of an error: its HTTP status and network code, and the action's words before
 * the first colon (what follows may quote a service's message, with ids that change from run to run).
 */
function causeOf(line: string): string {
  const status = /\bHTTP (\d{3})\b/.exec(line)?.[1]
  const code = /\(([A-Z][A-Z_]{3,})\)/.exec(line)?.[1]
  const words = (line.split(':')[0] ?? '').match(/\b[A-Za-z][A-Za-z-]*\b/g) ?? []
  return [status && `HTTP ${status}`, code, words.slice(0, 8).join(' ').toLowerCase()].filter(Boolean).join(' ')
}

function safetyOf(report: Report, phase: string): string {
  if (!report.result) return 'Nothing was rotated: the targets still hold the current secret, which keeps working until it expires.'
  const written = report.targets.filter((t) => t.status === 'created' || t.status === 'updated').map((t) => t.target)
  const parts: string[] = []
  if (report.messageKept) {
    parts.push('The new secret is kept in the queue: the next run checks it first and stores it without rotating again.')
  } else if (report.result === 'rotated' && phase === 'receive') {
    parts.push('Amazon was asked to rotate; if its new-secret message arrives later, the next run stores it without rotating again.')
  }
  parts.push(written.length ? `Already written: ${written.join(', ')}.` : 'No target was written.')
  if (written.length < report.targets.length) {
    parts.push(
      report.previousSecretExpiresAt
        ? `The targets not written still hold the previous secret, which stops working ${report.previousSecretExpiresAt}.`
        : 'The targets not written still hold the secret they had.',
    )
  }
  return parts.join(' ')
}

/** `YYYY-MM-DD` (UTC) of an ISO date-time. */

export const day = (iso: string) => iso.slice(0, 10)
