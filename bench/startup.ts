/**
 * Start-up figures, each next to `node -e 0` of the same Node binary started the same way in the same round:
 * - spawn → the first request any simulator (or the SQS proxy) records, for a run with real inputs (the run
 *   is killed there: the rest is the rotation's business);
 * - spawn → exit for a run with no inputs (it fails on the first required input).
 * Every child gets the same small environment built from nothing, so nothing of this shell (NODE_OPTIONS,
 * NODE_EXTRA_CA_CERTS, NODE_COMPILE_CACHE, …) changes how Node starts.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { ACTION_ENTRY } from '../test/support/action.ts'
import type { World } from '../test/support/world.ts'

export interface StartupRound {
  nodeMs: number
  firstRequestMs: number
  /** What the first request was, e.g. 'SQS ReceiveMessage'. */
  firstRequest: string
  inputErrorMs: number
}

interface Exited {
  ms: number
  code: number | null
  stdout: string
}

/** The environment every child gets: what the runner always sets, nothing inherited but PATH. */
function baseEnv(dir: string): Record<string, string> {
  const output = join(dir, 'output')
  const summary = join(dir, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_ACTIONS: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
  }
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]))
}

/** Runs `node args` and times spawn → exit; `stop` may end it early (SIGKILL) when it returns true. */
async function timed(args: string[], env: Record<string, string>, stop?: () => boolean): Promise<Exited & { spawnedAt: number }> {
  for (const name of Object.keys(env)) if (/^(NODE_|UV_)/.test(name)) throw new Error(`bench: ${name} must not reach the child`)
  const spawnedAt = Date.now()
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  // Polled, not hooked: the time comes from the servers' own records, so a late kill costs nothing.
  const poll = stop && setInterval(() => stop() && child.kill('SIGKILL'), 10)
  const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const [code, ms] = await new Promise<[number | null, number]>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (c) => resolve([c, performance.now() - t0]))
  })
  clearInterval(poll)
  clearTimeout(timeout)
  // stdout may still be flushing after 'exit'.
  await new Promise((resolve) => (child.stdout.readableEnded ? resolve(undefined) : child.stdout.once('close', resolve)))
  return { ms, code, stdout, spawnedAt }
}

/** Every request the world's servers have recorded, oldest first. */
function recorded(world: World): Array<{ what: string; at: number }> {
  return [
    ...world.amazon.requests.map((r) => ({ what: `${r.path.includes('/auth/') ? 'LWA' : 'SP-API'} ${r.method}`, at: r.at })),
    ...world.github.requests.map((r) => ({ what: `GitHub ${r.method}`, at: r.at })),
    ...world.sqsProxy.requests.map((r) => ({ what: `SQS ${r.action}`, at: r.at })),
  ].sort((a, b) => a.at - b.at)
}

/** One round: node -e 0, the action up to its first request, the action with no inputs; in a shuffled order. */
export async function startupRound(world: World, inputs: Record<string, string>, env: Record<string, string>): Promise<StartupRound> {
  const dir = mkdtempSync(join(tmpdir(), 'lwa-rotation-bench-'))
  try {
    const steps: Array<() => Promise<void>> = []
    const round: Partial<StartupRound> = {}
    steps.push(async () => {
      const r = await timed(['-e', '0'], baseEnv(dir))
      if (r.code !== 0) throw new Error(`node -e 0 exited with ${r.code}`)
      round.nodeMs = r.ms
    })
    steps.push(async () => {
      const r = await timed([ACTION_ENTRY], baseEnv(dir))
      if (r.code !== 1 || !/::error::Input [a-z-]+: is required/.test(r.stdout)) {
        throw new Error(`the action without inputs did not stop at the first input error (exit ${r.code}):\n${r.stdout}`)
      }
      round.inputErrorMs = r.ms
    })
    steps.push(async () => {
      const count = () => world.amazon.requests.length + world.github.requests.length + world.sqsProxy.requests.length
      const before = count()
      const r = await timed([ACTION_ENTRY], { ...baseEnv(dir), ...env, ...inputEnv(inputs) }, () => count() > before)
      const first = recorded(world).find((x) => x.at >= r.spawnedAt)
      if (!first) throw new Error(`the action made no request (exit ${r.code}):\n${r.stdout}`)
      round.firstRequestMs = first.at - r.spawnedAt
      round.firstRequest = first.what
    })
    // A fixed order would give one of them the warmer caches every time.
    for (let i = steps.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1))
      ;[steps[i], steps[j]] = [steps[j]!, steps[i]!]
    }
    for (const step of steps) {
      await step()
      await sleep(50) // let the killed run's connections wind down
    }
    return round as StartupRound
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
