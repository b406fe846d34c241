/**
 * `npm run bench`: figures for the bundled action, printed, never asserted (shared machines are noisy).
 * - cold start: time for dist/index.js to load and reject a missing input (module loading dominates);
 * - a whole rotation against the local simulators: wall time and the process's peak memory (VmHWM).
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { runAction, type RunOptions } from '../test/support/action.ts'
import { createWorld } from '../test/support/world.ts'

const COLD_RUNS = 10
const ROTATION_RUNS = 5

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Runs the action once; returns wall time and the peak resident set size sampled from /proc while it ran. */
async function measure(options: RunOptions): Promise<{ ms: number; peakMiB: number; code: number | null }> {
  let peakKb = 0
  let timer: NodeJS.Timeout | undefined
  const start = performance.now()
  const run = await runAction({
    ...options,
    onSpawn: (pid) => {
      timer = setInterval(() => {
        try {
          const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
          if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]))
        } catch {
          // the process has gone
        }
      }, 10)
    },
  })
  clearInterval(timer)
  return { ms: performance.now() - start, peakMiB: peakKb / 1024, code: run.code }
}

const cold = []
for (let i = 0; i < COLD_RUNS; i++) cold.push(await measure({ inputs: {} }))
console.log(
  `cold start (load, reject a missing input), ${COLD_RUNS} runs: median ${median(cold.map((r) => r.ms)).toFixed(0)} ms, ` +
    `peak memory median ${median(cold.map((r) => r.peakMiB)).toFixed(0)} MiB`,
)

const rotations = []
for (let i = 0; i < ROTATION_RUNS; i++) {
  const world = await createWorld()
  try {
    const r = await measure({ inputs: world.inputs(), env: world.env() })
    if (r.code !== 0) throw new Error(`rotation run ${i + 1} failed with exit code ${r.code}`)
    rotations.push(r)
  } finally {
    await world.close()
  }
}
const wall = rotations.map((r) => r.ms)
console.log(
  `whole rotation (one repository target, simulators on loopback), ${ROTATION_RUNS} runs: median ${median(wall).toFixed(0)} ms ` +
    `(min ${Math.min(...wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)}), peak memory max ${Math.max(...rotations.map((r) => r.peakMiB)).toFixed(0)} MiB`,
)
