/**
 * The properties every soak episode must end with, checked on what the episode recorded (episode.ts): what each
 * target held when Amazon accepted each rotation and at the end, the queue, and every run. Pure: the unit tests
 * feed it recorded episodes that break each rule.
 *
 * Secrets never appear in a violation: they are named by their place in the episode ("s2": the secret of
 * Amazon's second accepted rotation; "the initial secret").
 */
import type { Kill } from './draw.ts'

export interface RunRecord {
  /** 'faulty 1', 'faulty 1 (second)', 'clean 2', 'later'. */
  label: string
  startedAt: number
  endedAt: number
  /** Another run of the episode ran at the same time (two at once). */
  concurrent: boolean
  kill: Kill | undefined
  /** The kill was carried out (the run may have ended before its moment came). */
  killed: boolean
  /** The run passed force: true. */
  force: boolean
  /** Amazon was to rotate on this run's call and answer otherwise (the run cannot know it rotated). */
  ambiguous: boolean
  code: number | null
  signal: string | null
  result: string | undefined
  updatedTargets: string | undefined
  errors: string[]
  warnings: string[]
  stdout: string
  /** Each line of stdout with the time it was written, for the report. */
  lines?: Array<[number, string]>
  stderr: string
  summary: string
  /** World.run's leak check, when it found anything. */
  leaks: string | undefined
  /** The run was still going at the hard bound and was killed there. */
  hung: boolean
  /** What each target held right after the run, and the secrets LWA accepted then. */
  heldAfter: Array<string | undefined>
  validAfter: string[]
}

/** The world the moment Amazon accepted one of this client's rotations. */
export interface RotationSnapshot {
  at: number
  secret: string
  /** The rotation before it, as it stood then (undefined for the first). */
  previous: { secret: string; delivery: 'pending' | 'delivered' | 'dropped' } | undefined
  /** What each target held then. */
  held: Array<string | undefined>
  /** This client's new secrets in the queue then (visible, in flight or delayed). */
  queued: string[]
}

export interface EpisodeLog {
  /** The target lines, in the order of every `held` array. */
  targets: string[]
  receiveTimeoutMs: number
  initialSecret: string
  /** What each target held before the first run. */
  initialHeld: Array<string | undefined>
  /** This client's accepted rotations, in order, as they finally stand (a dropped one was never delivered). */
  rotations: Array<{ secret: string; at: number; delivery: 'pending' | 'delivered' | 'dropped' }>
  snapshots: RotationSnapshot[]
  runs: RunRecord[]
  finalHeld: Array<string | undefined>
  finalValid: string[]
  finalQueued: string[]
  /** After an undelivered rotation, without the force input: a clean run refused, naming the day (expected). */
  expectedRefusal: boolean
  /** The last run succeeded and left no message of this client, within the bound on clean runs. */
  recovered: boolean
  /** Problems of the test world itself (a notification that could not be sent, a request off the Secrets Manager model). */
  harness: string[]
}

export interface Violation {
  invariant: string
  detail: string
}

export const INVARIANTS = {
  newest: 'Every target holds the newest secret Amazon issued, and LWA accepts it',
  orphan: 'No rotation while the previous new secret is not yet in every target',
  hang: 'No run hangs: each ends within receive-timeout + 60 s + the waits it announces',
  queue: 'No new-secret message of this client is left in the queue',
  leak: 'No secret or token in any output, log or summary',
  exit: "Each run's exit agrees with its result",
  recovery: 'The runs without faults recover: one succeeds within the bound',
  harness: 'The test world worked',
} as const

/** A run's own bound: receive-timeout, a margin for the preflight, verification and writes, and the waits it announced. */
export const HANG_MARGIN_MS = 60_000

export function checkEpisode(log: EpisodeLog): Violation[] {
  const name = namer(log)
  const out: Violation[] = []
  const add = (key: keyof typeof INVARIANTS, detail: string) => out.push({ invariant: INVARIANTS[key], detail })
  const runAt = (t: number) =>
    log.runs
      .filter((r) => r.startedAt <= t && t <= r.endedAt)
      .map((r) => r.label)
      .join(', ') || 'no run'

  // Every target holds the newest secret (after an expected refusal: the newest delivered one, else what it held).
  const delivered = log.rotations.filter((r) => r.delivery !== 'dropped').at(-1)
  const newest = log.rotations.at(-1)?.secret ?? log.initialSecret
  log.targets.forEach((target, i) => {
    const expected = log.expectedRefusal ? (delivered?.secret ?? log.initialHeld[i]) : newest
    if (log.finalHeld[i] !== expected) add('newest', `${target} holds ${name(log.finalHeld[i])}, not ${name(expected)}`)
  })
  const expected = log.expectedRefusal ? delivered?.secret : newest
  // A secret Amazon never delivered was never verified by a run: it may not be active yet.
  const undelivered = log.rotations.some((r) => r.secret === expected && r.delivery === 'dropped')
  if (expected !== undefined && expected !== log.initialSecret && !undelivered && !log.finalValid.includes(expected)) {
    add('newest', `LWA does not accept ${name(expected)}`)
  }

  // The rule: when Amazon accepts rotation k, rotation k-1's secret must be in every target, unless Amazon never
  // delivered it (no run could have seen it). Not stored everywhere, it is lost to the targets: still on its way,
  // waiting in the queue, or gone.
  log.snapshots.forEach((s, k) => {
    if (!s.previous) return
    const prev = log.rotations.find((r) => r.secret === s.previous!.secret)
    if ((prev?.delivery ?? s.previous.delivery) === 'dropped') return
    const holding = s.held.filter((h) => h === s.previous!.secret).length
    if (holding === log.targets.length) return
    const where =
      s.previous.delivery === 'pending'
        ? 'still on its way to the queue'
        : s.queued.includes(s.previous.secret)
          ? 'waiting in the queue'
          : 'neither in the queue nor stored'
    add(
      'orphan',
      `Amazon accepted rotation ${k + 1} (${name(s.secret)}, at ${at(log, s.at)}, during ${runAt(s.at)}) while ${name(s.previous.secret)} was ` +
        `${where}, held by ${holding} of ${log.targets.length} target(s)`,
    )
  })

  for (const run of log.runs) {
    if (run.hung) add('hang', `${run.label} was still running at the hard bound and was killed`)
    else if (!run.killed) {
      const announced = [...run.stdout.matchAll(/Trying again in (\d+) s/g)].reduce((sum, m) => sum + Number(m[1]) * 1000, 0)
      const bound = log.receiveTimeoutMs + HANG_MARGIN_MS + announced
      const took = run.endedAt - run.startedAt
      if (took > bound) add('hang', `${run.label} took ${(took / 1000).toFixed(1)} s, over its bound of ${(bound / 1000).toFixed(1)} s`)
    }
    if (run.leaks) add('leak', `${run.label}: ${run.leaks}`)
    // A run killed with SIGKILL says nothing; a cancelled one (SIGINT) must still end as a failure.
    if (!run.hung && !(run.killed && run.signal === 'SIGKILL')) out.push(...exitAgrees(log, run, name), ...storedNewest(log, run, name))
  }

  if (log.finalQueued.length) {
    add('queue', `${log.finalQueued.length} new-secret message(s) of this client left: ${log.finalQueued.map(name).join(', ')}`)
  }
  const clean = log.runs.filter((r) => r.label.startsWith('clean')).length
  if (!log.expectedRefusal && !log.recovered) add('recovery', `no success that left the queue clear after ${clean} clean run(s)`)
  for (const h of log.harness) add('harness', h)
  return out
}

function exitAgrees(log: EpisodeLog, run: RunRecord, name: (s: string | undefined) => string): Violation[] {
  const out: string[] = []
  const ok = ['rotated', 'resumed', 'skipped'].includes(run.result ?? '')
  if (run.code === 0) {
    if (!ok) out.push(`exit 0 with result '${run.result ?? ''}'`)
    if (run.errors.length) out.push(`exit 0 with ${run.errors.length} error line(s)`)
  } else {
    if (run.result) out.push(`exit ${run.code ?? run.signal} with result '${run.result}'`)
    if (!run.errors.length) out.push(`exit ${run.code ?? run.signal} without an error line`)
  }
  const stored = run.code === 0 && (run.result === 'rotated' || run.result === 'resumed')
  if (stored) {
    let updated: unknown
    try {
      updated = JSON.parse(run.updatedTargets ?? '')
    } catch {
      updated = undefined
    }
    if (!Array.isArray(updated) || updated.length !== log.targets.length) {
      out.push(`result ${run.result} but updated-targets is ${JSON.stringify(run.updatedTargets ?? null)}`)
    }
  }
  // Alone in its time, a run's claims can be checked against Amazon and the targets.
  if (!run.concurrent) {
    const rotations = log.rotations.filter((r) => run.startedAt <= r.at && r.at <= run.endedAt).length
    if (run.code === 0 && run.result === 'rotated' && rotations === 0) out.push('result rotated, but Amazon accepted no rotation during it')
    if (run.code === 0 && (run.result === 'resumed' || run.result === 'skipped') && rotations > 0 && !run.ambiguous) {
      out.push(`result ${run.result}, but Amazon accepted ${rotations} rotation(s) during it`)
    }
    if (stored) {
      const values = new Set(run.heldAfter)
      const [value] = values
      if (values.size !== 1 || value === undefined)
        out.push(`result ${run.result}, but the targets then held ${run.heldAfter.map(name).join(', ')}`)
      else if (!run.validAfter.includes(value))
        out.push(`result ${run.result}, but LWA did not accept what the targets held (${name(value)})`)
    }
  }
  return out.map((detail) => ({ invariant: INVARIANTS.exit, detail: `${run.label}: ${detail}` }))
}

/** A run that stored a secret, alone in its time, leaves every target with Amazon's newest one that could arrive. */
function storedNewest(log: EpisodeLog, run: RunRecord, name: (s: string | undefined) => string): Violation[] {
  if (run.concurrent || run.code !== 0 || (run.result !== 'rotated' && run.result !== 'resumed')) return []
  const newest = log.rotations.filter((r) => r.at <= run.endedAt && r.delivery !== 'dropped').at(-1)?.secret
  const stale = run.heldAfter.filter((h) => h !== newest)
  if (!newest || !stale.length) return []
  return [
    {
      invariant: INVARIANTS.newest,
      detail: `${run.label} (result ${run.result}) left ${stale.length} target(s) holding ${[...new Set(stale)].map(name).join(', ')} when Amazon's newest secret was ${name(newest)}`,
    },
  ]
}

/** Names a secret by its place in the episode, never by its value. */
export function namer(log: Pick<EpisodeLog, 'rotations' | 'initialSecret'>): (secret: string | undefined) => string {
  return (secret) => {
    if (secret === undefined) return 'nothing'
    if (secret === log.initialSecret) return 'the initial secret'
    const i = log.rotations.findIndex((r) => r.secret === secret)
    return i === -1 ? 'a value Amazon never issued' : `s${i + 1}`
  }
}

function at(log: EpisodeLog, t: number): string {
  const start = log.runs[0]?.startedAt ?? t
  return `+${((t - start) / 1000).toFixed(1)} s`
}

/**
 * A clean run after an undelivered rotation, without the force input: the action may refuse to rotate again until
 * a given day (an outstanding rotation may still be delivered), failing with that day in its error.
 */
export function refusedNamingTheDay(run: RunRecord, rotationsDuring: number): boolean {
  return run.code === 1 && !run.result && rotationsDuring === 0 && run.errors.some((e) => /\b\d{4}-\d{2}-\d{2}\b/.test(e))
}
