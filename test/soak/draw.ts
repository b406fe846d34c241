/**
 * What one soak episode is made of, drawn from its seed: the targets, how Amazon behaves, a backlog of other
 * applications' messages, and one to three faulty runs (kills, faults, an undelivered rotation, two runs at
 * once). Pure: the same seed and episode number always draw the same episode (prng.ts).
 */
import { episodeRng, type Rng } from './prng.ts'
import { FAULT_NAMES, FAULTS, type FaultName, type FaultSpec } from './faults.ts'

export type TargetKind = 'repository' | 'environment' | 'organization' | 'secrets-manager' | 'secrets-manager-keys'

/** Where and when a faulty run is stopped. */
export type Kill =
  /** SIGKILL (a lost runner) or SIGINT (a cancelled job) this long after the start. */
  | { at: 'delay'; ms: number; signal: 'SIGKILL' | 'SIGINT' }
  /** SIGKILL the moment Amazon accepts the rotation, before its answer reaches the run. */
  | { at: 'accepted' }
  /** Right after the run logs Amazon's 204. */
  | { at: 'answered'; signal: 'SIGKILL' | 'SIGINT' }
  /** When the run logs that it received the new secret. */
  | { at: 'received'; signal: 'SIGKILL' | 'SIGINT' }
  /** When the run logs its first target written. */
  | { at: 'written'; signal: 'SIGKILL' | 'SIGINT' }
  /** SIGKILL when the first DeleteMessage reaches SQS (the commit), which is held unanswered. */
  | { at: 'delete' }

export interface FaultyRun {
  /** Two runs for the application started together (the kill, if any, stops the first). */
  twoAtOnce: boolean
  kill: Kill | undefined
  faults: FaultName[]
  /** Amazon accepts this run's rotation and never delivers its message. */
  undelivered: boolean
}

export interface Draw {
  seed: number
  episode: number
  targets: TargetKind[]
  amazon: {
    /** From the rotation to its message on the queue. */
    deliveryDelayMs: number
    /** Extra copies of each message, and the gap between copies. */
    duplicates: number
    duplicateDelayMs: number
    /** LWA rejects a new secret this long after its rotation. */
    activationDelayMs: number
    /** Amazon's usage plan: one accepted rotation per this interval, 429 otherwise. */
    usagePlanMs: number
    /** The episode's first rotate call answers 429 (the action then waits a minute). */
    throttledOnce: boolean
  }
  /** Messages of other applications already in the queue, ahead of everything this client gets. */
  backlog: number
  faulty: FaultyRun[]
}

/** Amazon's documented plan, and a loose one under which only the action's own guard stops a second rotation. */
export const USAGE_PLANS_MS = [60_000, 5_000] as const

const TARGET_KINDS = ['repository', 'environment', 'organization', 'secrets-manager'] as const

export function drawEpisode(seed: number, episode: number): Draw {
  const rng = episodeRng(seed, episode)
  const targets: TargetKind[] = rng
    .sample(TARGET_KINDS, rng.int(1, 4))
    .map((k) => (k === 'secrets-manager' && rng.chance(0.35) ? 'secrets-manager-keys' : k))
  const duplicates = rng.chance(0.3) ? rng.int(1, 2) : 0
  const amazon = {
    deliveryDelayMs: rng.int(0, 5_000),
    duplicates,
    duplicateDelayMs: duplicates ? rng.int(0, 2_000) : 0,
    activationDelayMs: rng.chance(0.3) ? rng.int(1_000, 5_000) : 0,
    usagePlanMs: rng.chance(0.3) ? USAGE_PLANS_MS[0] : USAGE_PLANS_MS[1],
    throttledOnce: rng.chance(0.06),
  }
  const backlog = rng.chance(0.25) ? rng.int(100, 400) : 0
  const faulty = Array.from({ length: rng.pick([1, 1, 2, 2, 3]) }, () => drawFaultyRun(rng, targets))
  return { seed, episode, targets, amazon, backlog, faulty }
}

function drawFaultyRun(rng: Rng, targets: TargetKind[]): FaultyRun {
  const applicable = FAULT_NAMES.filter((name) => {
    const { needs } = FAULTS[name] as FaultSpec
    return !needs || needs.some((k) => targets.includes(k))
  })
  const run: FaultyRun = {
    twoAtOnce: rng.chance(0.08),
    kill: rng.chance(0.5) ? drawKill(rng) : undefined,
    faults: rng.sample(applicable, rng.pick([0, 1, 1, 2])),
    undelivered: rng.chance(0.1),
  }
  // A faulty run has at least one fault of some kind.
  if (!run.kill && !run.faults.length && !run.undelivered && !run.twoAtOnce) run.faults = [rng.pick(applicable)]
  return run
}

function drawKill(rng: Rng): Kill {
  const signal = () => (rng.chance(0.2) ? 'SIGINT' : 'SIGKILL')
  const at = rng.pick(['delay', 'delay', 'accepted', 'answered', 'received', 'written', 'delete'] as const)
  switch (at) {
    case 'delay':
      return { at, ms: rng.int(100, 8_000), signal: signal() }
    case 'accepted':
    case 'delete':
      return { at }
    default:
      return { at, signal: signal() }
  }
}

/** One line naming what the episode draws, for progress lines and test names. */
export function describeDraw(d: Draw): string {
  const a = d.amazon
  const amazon = [
    `delivery ${(a.deliveryDelayMs / 1000).toFixed(1)} s`,
    a.duplicates ? `${a.duplicates} duplicate(s)` : '',
    a.activationDelayMs ? `activation ${(a.activationDelayMs / 1000).toFixed(1)} s` : '',
    a.usagePlanMs === 60_000 ? '' : `usage plan ${a.usagePlanMs / 1000} s`,
    a.throttledOnce ? 'one 429' : '',
  ].filter(Boolean)
  const runs = d.faulty.map((r) =>
    [r.twoAtOnce ? 'two at once' : '', r.kill ? killName(r.kill) : '', ...r.faults, r.undelivered ? 'undelivered' : '']
      .filter(Boolean)
      .join(' + '),
  )
  return `targets ${d.targets.join(', ')}; Amazon: ${amazon.join(', ')}${d.backlog ? `; backlog ${d.backlog}` : ''}; faulty runs: ${runs
    .map((r) => `[${r}]`)
    .join(' ')}`
}

export function killName(k: Kill): string {
  const signal = 'signal' in k && k.signal === 'SIGINT' ? 'cancelled' : 'killed'
  return k.at === 'delay' ? `${signal} after ${(k.ms / 1000).toFixed(1)} s` : `${signal} at ${k.at}`
}
