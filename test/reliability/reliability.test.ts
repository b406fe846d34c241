/**
 * The reliability suite: every case of the fault catalogue, run concurrently (each in its own world), and the
 * figures that matter at the end: faults injected, runs, secrets lost, double rotations, leaks.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { cases, renderReliabilityDoc, type Tally } from './cases.ts'

const tally: Tally = { cases: 0, faults: 0, runs: 0, lost: 0, doubleRotations: 0 }

describe.concurrent('reliability', () => {
  for (const c of cases) it(`${c.group}: ${c.fault}`, () => c.run(tally), 180_000)
})

afterAll(() => {
  // Leaks fail the run that leaked (World.run), so a finished suite had none.
  console.log(
    `Reliability figures: ${tally.cases} cases, ${tally.faults} faults injected, ${tally.runs} runs of the action, ` +
      `${tally.lost} secrets lost, ${tally.doubleRotations} double rotations, 0 leaks.`,
  )
})

const DOC = new URL('../../docs/reliability.md', import.meta.url)

it('docs/reliability.md is the catalogue rendered (npm run docs:reliability rewrites it)', () => {
  const expected = renderReliabilityDoc(cases)
  if (process.env.UPDATE_RELIABILITY_DOC) writeFileSync(DOC, expected)
  expect(readFileSync(DOC, 'utf8')).toBe(expected)
})
