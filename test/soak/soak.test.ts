/**
 * A short fault soak inside `npm test`: fixed episodes of the seeded soak (test/soak/run.ts), chosen so that
 * together they inject every kind of fault the soak knows, each episode in well under a minute, all at once (they
 * mostly wait). Each must end with no violation of the rotation's invariants; a failure names the report of the
 * episode and the command that replays it.
 *
 * Left to the long soak (`npm run soak`), since each costs a minute of Amazon's usage plan: two runs at once,
 * Amazon's 429 on the first call, and the rotate calls whose answer is lost after Amazon rotated.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeDraw, drawEpisode, type Draw } from './draw.ts'
import { reproduce, runEpisode } from './episode.ts'
import { FAULTS } from './faults.ts'

/** [seed, episode]: chosen (with `npm run soak -- --list`) so that each kind of fault takes effect in at least one. */
const EPISODES: Array<[number, number]> = [
  [5, 147],
  [5, 447],
  [7, 9],
  [7, 14],
  [7, 18],
  [7, 48],
  [7, 72],
  [7, 103],
  [7, 166],
  [7, 257],
  [7, 309],
]

const draws = EPISODES.map(([seed, episode]) => drawEpisode(seed, episode))
const outDir = mkdtempSync(join(tmpdir(), 'lwa-soak-test-'))

/** The kinds of fault an episode injects, as the coverage check counts them. */
function kinds(d: Draw): string[] {
  const out = d.targets.map((t) => `target ${t}`)
  if (d.backlog) out.push('backlog')
  if (d.amazon.duplicates) out.push('duplicate deliveries')
  if (d.amazon.activationDelayMs) out.push('slow activation')
  for (const r of d.faulty) {
    if (r.undelivered) out.push('undelivered rotation')
    if (r.kill) out.push(`kill ${r.kill.at}`, `${'signal' in r.kill ? r.kill.signal : 'SIGKILL'}`)
    for (const f of r.faults) out.push(`${FAULTS[f].service} ${FAULTS[f].kind}`)
  }
  return out
}

it('the fixed episodes inject every kind of fault but the minute-long ones', () => {
  const covered = new Set(draws.flatMap(kinds))
  const services = ['GitHub', 'LWA', 'SP-API', 'SQS', 'Secrets Manager']
  const expected = [
    ...services.flatMap((s) => [`${s} transient`, `${s} permanent`]),
    ...['delay', 'accepted', 'answered', 'received', 'written', 'delete'].map((k) => `kill ${k}`),
    'SIGKILL',
    'SIGINT',
    'backlog',
    'duplicate deliveries',
    'slow activation',
    'undelivered rotation',
    ...['repository', 'environment', 'organization', 'secrets-manager', 'secrets-manager-keys'].map((t) => `target ${t}`),
  ]
  expect(expected.filter((k) => !covered.has(k))).toEqual([])
})

describe.concurrent('fault soak, fixed episodes', () => {
  for (const draw of draws) {
    it(`seed ${draw.seed} episode ${draw.episode}: ${describeDraw(draw)}`, async () => {
      const result = await runEpisode(draw, { outDir })
      const where = `report: ${result.report ?? 'none'}; replay: ${reproduce(draw)}`
      expect(
        result.violations.map((v) => `${v.invariant}: ${v.detail}`),
        where,
      ).toEqual([])
    }, 180_000)
  }
})
