/**
 * One whole rotation of the bundled action in a fresh world: N GitHub targets spread over repositories and
 * their environments, every simulator answer (and every SQS answer) late by the latency, the new secret
 * delivered to the queue the delivery delay after the rotate. The run must rotate and store the new secret
 * everywhere, or the bench stops: a figure of a broken run means nothing.
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { findLeaks, runAction } from '../test/support/action.ts'
import { createWorld, REPO, SECRET_NAME, type World } from '../test/support/world.ts'

export interface RotationRun {
  wallMs: number
  /** Spawn → the first request any server recorded. */
  startupMs: number
  peakMiB: number
  /** Requests per service ('SQS', 'LWA', 'SP-API', 'GitHub') and per 'SQS <action>' / 'GitHub <method>'. */
  counts: Map<string, number>
}

export interface Settings {
  latencyMs: number
  deliveryMs: number
}

/** Target i: repository and environment secrets in turn, two per repository (octo/svc-1, octo/svc-1:production, octo/svc-2, …). */
export function targetsFor(n: number): Array<{ line: string; scope: string; repo: string }> {
  return Array.from({ length: n }, (_, i) => {
    const repo = `octo/svc-${Math.floor(i / 2) + 1}`
    return i % 2 === 0
      ? { line: `repository:${repo}`, scope: repo, repo }
      : { line: `environment:${repo}:production`, scope: `${repo}:production`, repo }
  })
}

/** A world whose token may write every target's secrets and the expiry variable. */
export async function worldFor(targets: number, s: Settings): Promise<World> {
  const world = await createWorld({ latencyMs: s.latencyMs, amazon: { notificationDelayMs: s.deliveryMs } })
  const repos = [...new Set(targetsFor(targets).map((t) => t.repo))]
  for (const repo of repos) world.github.addRepo(repo, { environments: ['production'] })
  world.github.addToken(world.githubToken, { write: [REPO, ...repos, `variables:${REPO}`] })
  // Every run but an installation's first finds the variable there (and updates it).
  world.github.setVariable(REPO, `${SECRET_NAME}_EXPIRES_AT`, new Date(Date.now() + 5 * 86_400_000).toISOString())
  return world
}

/** The inputs and environment of a plain run against `world`, debug logging off as in a normal run. */
export function runInputs(world: World, targets: number): { inputs: Record<string, string>; env: Record<string, string> } {
  return {
    inputs: world.inputs({
      targets: targetsFor(targets)
        .map((t) => t.line)
        .join('\n'),
    }),
    env: world.env({ RUNNER_DEBUG: '0', ACTIONS_STEP_DEBUG: 'false' }),
  }
}

export async function rotationRun(targets: number, s: Settings, timeoutMs: number): Promise<RotationRun> {
  const world = await worldFor(targets, s)
  try {
    const { inputs, env } = runInputs(world, targets)
    let peakKb = 0
    let sampler: NodeJS.Timeout | undefined
    const spawnedAt = Date.now()
    const t0 = performance.now()
    const result = await runAction({
      inputs,
      env,
      timeoutMs,
      // VmHWM is the high-water mark: sampling now and then loses nothing but the last moments.
      onSpawn: (pid) =>
        (sampler = setInterval(() => {
          try {
            const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
            if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]))
          } catch {
            // the process has gone
          }
        }, 50)),
    })
    const wallMs = performance.now() - t0
    clearInterval(sampler)

    const stored = targetsFor(targets).filter((t) => world.stored(t.scope) === world.amazon.currentSecret(world.clientId)).length
    if (result.code !== 0 || result.outputs.result !== 'rotated' || stored !== targets) {
      throw new Error(
        `rotation with ${targets} target(s) did not rotate and store everywhere (exit ${result.code}, result ${result.outputs.result}, ${stored} stored):\n${result.stdout}\n${result.stderr}`,
      )
    }
    const leaks = findLeaks(result, [world.githubToken, ...world.amazon.issued()])
    if (leaks.length) throw new Error(`the action leaked secrets:\n${leaks.join('\n')}`)

    const first = Math.min(...[...world.amazon.requests, ...world.github.requests, ...world.sqsProxy.requests].map((r) => r.at))
    return { wallMs, startupMs: first - spawnedAt, peakMiB: peakKb / 1024, counts: countsOf(world) }
  } finally {
    await world.close()
  }
}

function countsOf(world: World): Map<string, number> {
  const counts = new Map<string, number>()
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1)
  for (const r of world.sqsProxy.requests) {
    add('SQS')
    add(`SQS ${r.action}`)
  }
  for (const r of world.amazon.requests) {
    const service = r.path.startsWith('/auth/') ? 'LWA' : 'SP-API'
    add(service)
    add(`${service} ${r.method} ${service === 'LWA' ? 'token' : 'rotate'}`)
  }
  for (const r of world.github.requests) {
    add('GitHub')
    add(`GitHub ${r.method}`)
  }
  return counts
}
