/**
 * The reliability suite: every case of the fault catalogue, each in its own world, and the figures that
 * matter at the end: faults injected, runs, secrets lost, double rotations, leaks.
 *
 * The cases mostly wait (a 60 s usage-plan pause, 30 s leases of killed runs, request timeouts), so they run
 * concurrently, the longest waits first: vitest starts concurrent tests in the order they are declared, up to
 * maxConcurrency (vitest.config.ts) at a time, and the shorter cases then run while the long ones wait. The
 * suite takes about as long as its longest case, not the sum of its waits.
 */
import { afterAll, describe, it } from 'vitest'
import type { Tally } from './cases.ts'
import { catalogue } from './catalogue.ts'

const tally: Tally = { cases: 0, faults: 0, runs: 0, lost: 0, doubleRotations: 0 }

// Longest wait first; Array.prototype.sort is stable, so the catalogue's order stays within equal waits.
const byWait = [...catalogue].sort((a, b) => (b.waitSeconds ?? 0) - (a.waitSeconds ?? 0))

describe.concurrent('reliability', () => {
  for (const c of byWait) it(`${c.group}: ${c.fault}`, () => c.run(tally), 180_000)
})

afterAll(() => {
  // Leaks fail the run that leaked (World.run), so a finished suite had none.
  console.log(
    `Reliability figures: ${tally.cases} cases, ${tally.faults} faults injected, ${tally.runs} runs of the action, ` +
      `${tally.lost} secrets lost, ${tally.doubleRotations} double rotations, 0 leaks.`,
  )
})
