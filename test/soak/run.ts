/**
 * `npm run soak -- [options]`: the seeded fault soak. Each episode draws a world and one to three faulty runs of the
 * bundled action (dist/index.js) from the seed, then runs the action without faults until a run succeeds, and checks
 * the rotation's invariants (invariants.ts). Episodes run a few at a time: they mostly wait. A violation prints the
 * seed, the episode and the command that reproduces it, and writes the episode's report (the draw, Amazon's
 * rotations, every run's log) to the output folder. Exits 1 when any episode broke an invariant.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { describeDraw, drawEpisode } from './draw.ts'
import { HAS_FORCE_INPUT, reproduce, runEpisode, type EpisodeResult } from './episode.ts'

const HELP = `npm run soak -- [options]
  --runs N         episodes to run (default 20)
  --seed S         the seed, a whole number (default: drawn from the clock, and printed)
  --from E         the first episode's number (default 0): --seed S --from E --runs 1 reproduces episode E
  --concurrency C  episodes at a time (default 3)
  --out DIR        where violation reports go (default: a new folder in the system's temp folder)
  --report-all     write the report of every episode, not only of those with a violation
  --list           print what each episode draws, and run nothing`

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seed: { type: 'string' },
    from: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '3' },
    out: { type: 'string' },
    list: { type: 'boolean', default: false },
    'report-all': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const whole = (name: string, text: string, min: number): number => {
  const n = Number(text)
  if (Number.isSafeInteger(n) && n >= min) return n
  console.error(`soak: --${name} must be a whole number ≥ ${min}, got '${text}'\n${HELP}`)
  process.exit(2)
}
const runs = whole('runs', values.runs, 1)
const seed = values.seed === undefined ? Date.now() % 1_000_000 : whole('seed', values.seed, 0)
const from = whole('from', values.from, 0)
const concurrency = whole('concurrency', values.concurrency, 1)
const episodes = Array.from({ length: runs }, (_, i) => from + i)

if (values.list) {
  for (const e of episodes) console.log(`episode ${e}: ${describeDraw(drawEpisode(seed, e))}`)
  process.exit(0)
}

const outDir = values.out ?? mkdtempSync(join(tmpdir(), 'lwa-soak-'))
mkdirSync(outDir, { recursive: true })
console.log(
  `Fault soak: seed ${seed}, episodes ${from} to ${from + runs - 1}, ${concurrency} at a time; reports of violations in ${outDir}` +
    `${HAS_FORCE_INPUT ? '' : ' (no force input in action.yml: a run after an undelivered rotation may fail naming the day)'}`,
)

const began = Date.now()
const results: EpisodeResult[] = []
let next = 0
const worker = async () => {
  while (next < episodes.length) {
    const draw = drawEpisode(seed, episodes[next++]!)
    const progress = (line: string) => console.log(`[episode ${draw.episode}] ${line}`)
    progress(describeDraw(draw))
    const result = await runEpisode(draw, { outDir, progress, reportAll: values['report-all'] })
    results.push(result)
    const took = `${(result.ms / 1000).toFixed(1)} s`
    if (!result.violations.length) progress(`ok: ${result.runs} runs in ${took}`)
    else {
      progress(`VIOLATION (${result.violations.length}) in ${took}; reproduce: ${reproduce(draw)}; report: ${result.report}`)
      for (const v of result.violations) progress(`  - ${v.invariant}: ${v.detail}`)
    }
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, runs) }, worker))

const failed = results.filter((r) => r.violations.length).sort((a, b) => a.draw.episode - b.draw.episode)
const minutes = ((Date.now() - began) / 60_000).toFixed(1)
const runCount = results.reduce((sum, r) => sum + r.runs, 0)
console.log(
  `\nFault soak, seed ${seed}: ${results.length} episodes, ${runCount} runs of the action, ${minutes} min, ` +
    `${failed.length} episode(s) with violations.`,
)
for (const r of failed) {
  console.log(`- episode ${r.draw.episode}: ${[...new Set(r.violations.map((v) => v.invariant))].join('; ')} (${reproduce(r.draw)})`)
}
process.exit(failed.length ? 1 : 0)
