/**
 * `npm run bench [-- options]`: the bundled action (dist/index.js) against the local simulators with a
 * latency on every answer, printed as one Markdown table, never asserted (docs/performance.md):
 * - a whole rotation for 1, 10 and 50 targets: wall time next to its round-trip floor (bench/floor.ts);
 * - start-up: spawn → first request, and spawn → the first input error, next to `node -e 0`;
 * - requests per rotation by service, next to what a rotation must request.
 * Medians over several runs, and ratios, because the machine is shared and noisy: a ratio of two figures
 * measured side by side holds where a single time does not.
 */
import { availableParallelism, loadavg } from 'node:os'
import { isAbsolute, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bundleSize, onSettledBundle } from './bundle.ts'
import { floorOf, mustCounts, mustRequests, writePacing, type Floor } from './floor.ts'
import { rotationRun, runInputs, worldFor, type RotationRun } from './rotation.ts'
import { startupRound, type StartupRound } from './startup.ts'
import { int, markdownTable, median, ms, ratio } from './table.ts'

/** Rotations this slow are mostly GitHub's write pacing, a timer: fewer runs keep the whole bench near 5 minutes. */
const SLOW_FLOOR_MS = 20_000

const HELP = `npm run bench -- [options]     (each option also as an environment variable)
  --latency-ms N    delay of every simulator and SQS answer (BENCH_LATENCY_MS, default 50)
  --delivery-ms N   Amazon's delay before the new secret reaches the queue (BENCH_DELIVERY_MS, default 500)
  --runs N          rotations per row, medians taken (BENCH_RUNS, default 5)
  --slow-runs N     runs for a rotation whose floor is over ${SLOW_FLOOR_MS / 1000} s (BENCH_SLOW_RUNS, default 3)
  --targets LIST    target counts of the rotation rows (BENCH_TARGETS, default 1,10,50)
  --startup-runs N  start-up rounds (node -e 0, first request, input error), medians taken (BENCH_STARTUP_RUNS, default 10)`

const { values } = parseArgs({
  options: {
    'latency-ms': { type: 'string', default: process.env.BENCH_LATENCY_MS ?? '50' },
    'delivery-ms': { type: 'string', default: process.env.BENCH_DELIVERY_MS ?? '500' },
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '5' },
    'slow-runs': { type: 'string', default: process.env.BENCH_SLOW_RUNS ?? '3' },
    targets: { type: 'string', default: process.env.BENCH_TARGETS ?? '1,10,50' },
    'startup-runs': { type: 'string', default: process.env.BENCH_STARTUP_RUNS ?? '10' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const whole = (name: string, text: string, min: number): number => {
  const n = Number(text)
  if (Number.isInteger(n) && n >= min) return n
  console.error(`bench: --${name} must be a whole number ≥ ${min}, got '${text}'\n${HELP}`)
  process.exit(2)
}
const settings = { latencyMs: whole('latency-ms', values['latency-ms'], 0), deliveryMs: whole('delivery-ms', values['delivery-ms'], 0) }
const runs = whole('runs', values.runs, 1)
const slowRuns = whole('slow-runs', values['slow-runs'], 1)
const startupRuns = whole('startup-runs', values['startup-runs'], 1)
const targetCounts = values.targets.split(',').map((t) => whole('targets', t.trim(), 1))

const began = performance.now()
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`)
const pacing = writePacing()
/** The builds of dist/ the figures come from (it may be rebuilt while the bench runs). */
const builds = new Set<string>()
const floors = new Map<number, Floor>(
  targetCounts.map((n) => [n, floorOf(mustRequests(n), { ...settings, writeIntervalMs: pacing.minTime })]),
)
const runsFor = (n: number) => (floors.get(n)!.ms > SLOW_FLOOR_MS ? Math.min(runs, slowRuns) : runs)

// Start-up rounds: one world, each run killed at its first request.
const startup: StartupRound[] = []
{
  const world = await worldFor(1, settings)
  try {
    const { inputs, env } = runInputs(world, 1)
    await onSettledBundle(new Set(), () => startupRound(world, inputs, env)) // warm-up, not counted: the first spawn fills the page cache
    for (let i = 0; i < startupRuns; i++) {
      const r = await onSettledBundle(builds, () => startupRound(world, inputs, env))
      startup.push(r)
      progress(
        `start-up round ${i + 1}/${startupRuns}: node -e 0 ${ms(r.nodeMs)}, first request ${ms(r.firstRequestMs)}, input error ${ms(r.inputErrorMs)}`,
      )
    }
  } finally {
    await world.close()
  }
}

// Rotations round-robin over the target counts, so that a noisy minute spreads over all rows.
const rotations = new Map<number, RotationRun[]>(targetCounts.map((n) => [n, []]))
for (let round = 0; round < runs; round++) {
  for (const n of targetCounts) {
    if (round >= runsFor(n)) continue
    const timeoutMs = Math.max(60_000, 2 * floors.get(n)!.ms + 30_000)
    const r = await onSettledBundle(builds, () => rotationRun(n, settings, timeoutMs))
    rotations.get(n)!.push(r)
    progress(`rotation, ${n} target(s), run ${round + 1}/${runsFor(n)}: ${ms(r.wallMs)} (floor ${ms(floors.get(n)!.ms)})`)
  }
}

// --- the table ---

const bundle = bundleSize()
const nodeMs = median(startup.map((r) => r.nodeMs))
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const rows: string[][] = []

for (const n of targetCounts) {
  const rs = rotations.get(n)!
  const f = floors.get(n)!
  const walls = rs.map((r) => r.wallMs)
  rows.push([
    `Rotation, ${plural(n, 'target')}: wall time / floor`,
    String(rs.length),
    ms(median(walls)),
    ms(f.ms),
    ratio(median(walls) / f.ms),
    `floor: ${f.chain}-request chain × ${settings.latencyMs} + ${settings.deliveryMs} delivery + ${f.writes - 1} × ${int(pacing.minTime)} pacing − ${int(f.sum - f.ms)} overlap; ` +
      `start-up ${ms(median(rs.map((r) => r.startupMs)))}; runs ${ms(Math.min(...walls))} to ${ms(Math.max(...walls))}; peak RSS ${median(rs.map((r) => r.peakMiB)).toFixed(0)} MiB`,
  ])
}
rows.push([
  'Cold start: spawn → first request',
  String(startup.length),
  ms(median(startup.map((r) => r.firstRequestMs))),
  `node -e 0: ${ms(nodeMs)}`,
  ratio(median(startup.map((r) => r.firstRequestMs / r.nodeMs))),
  `first request: ${mode(startup.map((r) => r.firstRequest))}; bundle ${(bundle.bytes / 1e6).toFixed(2)} MB (dist/*.js, ${plural(bundle.files, 'file')}; index.js ${(bundle.entryBytes / 1e6).toFixed(2)} MB)`,
])
rows.push([
  'Start-up → first input error (no inputs)',
  String(startup.length),
  ms(median(startup.map((r) => r.inputErrorMs))),
  `node -e 0: ${ms(nodeMs)}`,
  ratio(median(startup.map((r) => r.inputErrorMs / r.nodeMs))),
  'spawn → exit 1, both',
])
const SERVICES = ['SQS', 'LWA', 'SP-API', 'GitHub']
for (const n of targetCounts) {
  const rs = rotations.get(n)!
  const must = mustCounts(mustRequests(n))
  const measured = (key: string) => median(rs.map((r) => r.counts.get(key) ?? 0))
  const total = (get: (key: string) => number) => SERVICES.reduce((sum, s) => sum + get(s), 0)
  const keys = [...new Set([...must.keys(), ...rs.flatMap((r) => [...r.counts.keys()])])].sort()
  // Per service, then per SQS action / HTTP method where the service has several: measured/must.
  const detail = SERVICES.map((s) => {
    const kinds = keys.filter((k) => k.startsWith(`${s} `))
    const parts = kinds.map((k) => `${k.slice(s.length + 1)} ${int(measured(k))}/${must.get(k) ?? 0}`)
    return `${s} ${int(measured(s))}/${must.get(s) ?? 0}${kinds.length > 1 ? ` (${parts.join(', ')})` : ''}`
  })
  rows.push([
    `Requests, ${plural(n, 'target')}: measured / must`,
    String(rs.length),
    int(total(measured)),
    int(total((k) => must.get(k) ?? 0)),
    ratio(total(measured) / total((k) => must.get(k) ?? 0)),
    detail.join(' · '),
  ])
}

const elapsed = (performance.now() - began) / 1000
console.log(
  `npm run bench: Node ${process.version}${nodeShown()}, ${process.platform} ${process.arch}, ${availableParallelism()} CPUs, ` +
    `load ${loadavg()[0]!.toFixed(2)}; latency ${settings.latencyMs} ms per answer, SQS delivery ${settings.deliveryMs} ms, ` +
    `GitHub writes ${int(pacing.minTime)} ms apart, ${pacing.maxConcurrent} at a time (${pacing.source}); took ${Math.floor(elapsed / 60)} min ${Math.round(elapsed % 60)} s` +
    `${builds.size > 1 ? `; dist/ was rebuilt during the bench: the figures span ${builds.size} builds` : ''}\n`,
)
console.log(
  markdownTable(
    ['Figure', 'Runs', 'Measured (median)', 'Reference', 'Ratio', 'Made up of'],
    ['left', 'right', 'right', 'right', 'right', 'left'],
    rows,
  ),
)

/** Which Node ran the bench, relative to the repository (the one npm ci installs); nothing for one elsewhere, whose path names the machine. */
function nodeShown(): string {
  const path = relative(fileURLToPath(new URL('..', import.meta.url)), process.execPath)
  return path.startsWith('..') || isAbsolute(path) ? '' : ` (${path})`
}

/** The most frequent value. */
function mode(xs: string[]): string {
  const counts = new Map<string, number>()
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '-'
}
