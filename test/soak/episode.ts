/**
 * One soak episode: builds the world a draw describes (draw.ts), runs its faulty runs, then clean runs until one
 * succeeds, records what the invariants need (invariants.ts), and checks them. A violation writes a report (the
 * seed, the episode, the draw, Amazon's rotations and every run's log, secrets named, never shown) to `outDir`.
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { expiryNotification, ROTATE_PATH, type RotationRecord } from '../sim/amazon.ts'
import { startSecretsManagerSim, type SecretsManagerSim } from '../sim/secrets-manager.ts'
import type { RunOptions, RunResult } from '../support/action.ts'
import { createWorld, REPO, SECRET_NAME, type World } from '../support/world.ts'
import { describeDraw, killName, type Draw, type FaultyRun, type Kill, type TargetKind } from './draw.ts'
import { FAULTS, type FaultContext } from './faults.ts'
import {
  checkEpisode,
  namer,
  refusedNamingTheDay,
  type EpisodeLog,
  type RotationSnapshot,
  type RunRecord,
  type Violation,
} from './invariants.ts'

/**
 * The one switch for the `force` input: once action.yml has it, a clean run after an undelivered rotation passes
 * force: true and must succeed; until then, such a run may instead fail naming the day it may rotate again.
 */
export const HAS_FORCE_INPUT = /^ {2}force:/m.test(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'))

/** Short, so an episode is cheap; the action still gets at least 15 s to receive after a rotation. */
export const RECEIVE_TIMEOUT_S = 15
export const MAX_CLEAN_RUNS = 4
/**
 * Where a run is killed as hung: receive-timeout, Amazon's refusals waited out (up to three 429s of a minute) and a
 * margin. The invariant's own bound (invariants.ts) is tighter; this only keeps a hung run from stalling the soak.
 */
const HARD_BOUND_MS = (RECEIVE_TIMEOUT_S + 3 * 60 + 90) * 1000
/** A killed run's held message comes back within the action's 30 s lease. */
const LEASE_WAIT_MS = 35_000

export interface EpisodeOptions {
  /** Where a violation's report goes. */
  outDir: string
  /** Progress lines (the CLI prints them; the test stays quiet). */
  progress?: (line: string) => void
  /** Write the report of every episode, not only of those with a violation. */
  reportAll?: boolean
}

export interface EpisodeResult {
  draw: Draw
  violations: Violation[]
  ms: number
  runs: number
  /** The report written for a violation. */
  report: string | undefined
}

const GROUP_KINDS: TargetKind[] = ['repository', 'environment', 'organization']
const KEYS = ['clientSecret', 'backupClientSecret'] as const

/** The target lines of a draw, and how to read what each holds. */
function targetsOf(draw: Draw, world: World, sm: SecretsManagerSim | undefined): Array<{ line: string; held: () => string | undefined }> {
  return draw.targets.flatMap((kind) => {
    switch (kind) {
      case 'repository':
        return [{ line: 'repository', held: () => world.stored(REPO) }]
      case 'environment':
        return [{ line: 'environment:production', held: () => world.stored(`${REPO}:production`) }]
      case 'organization':
        return [{ line: 'organization:octo', held: () => world.github.secret('org:octo', SECRET_NAME)?.value }]
      case 'secrets-manager':
        return [{ line: 'aws-secretsmanager:lwa', held: () => sm!.current('lwa').value }]
      case 'secrets-manager-keys':
        // Two keys of one JSON secret: the writes of one run must not undo each other.
        return KEYS.map((key) => ({
          line: `aws-secretsmanager:lwa-json#${key}`,
          held: () => (JSON.parse(sm!.current('lwa-json').value ?? '{}') as Record<string, string | undefined>)[key],
        }))
    }
  })
}

export async function runEpisode(draw: Draw, options: EpisodeOptions): Promise<EpisodeResult> {
  const began = Date.now()
  const a = draw.amazon
  const world = await createWorld({
    amazon: {
      notificationDelayMs: a.deliveryDelayMs,
      activationDelayMs: a.activationDelayMs,
      usagePlanIntervalMs: a.usagePlanMs,
      duplicateDeliveries: a.duplicates,
      duplicateDelayMs: a.duplicateDelayMs,
    },
  })
  const sm = draw.targets.some((k) => k.startsWith('secrets-manager')) ? await startSecretsManagerSim() : undefined
  const runs: RunRecord[] = []
  const harness: string[] = []
  const snapshots: RotationSnapshot[] = []
  let expectedRefusal = false
  let recovered = false
  let rotateCalls: number[] | undefined
  let log: EpisodeLog | undefined
  try {
    if (draw.targets.some((k) => GROUP_KINDS.includes(k))) world.github.addOrg('octo', ['shop'])
    world.github.addToken(world.githubToken, { write: [REPO, `variables:${REPO}`, 'org:octo'] })
    sm?.createSecret('lwa', world.initialSecret)
    sm?.createSecret(
      'lwa-json',
      JSON.stringify({ clientId: world.clientId, [KEYS[0]]: world.initialSecret, [KEYS[1]]: world.initialSecret }),
    )
    const targets = targetsOf(draw, world, sm)
    const heldNow = () => targets.map((t) => t.held())
    const initialHeld = heldNow()
    const ours = () => world.amazon.rotationLog.filter((r) => r.clientId === world.clientId)

    let runHooks: Array<(record: RotationRecord) => void> = []
    world.amazon.onRotation((record) => {
      if (record.clientId !== world.clientId) return
      const previous = ours().at(-2)
      snapshots.push({
        at: record.at,
        secret: record.secret,
        previous: previous && { secret: previous.secret, delivery: previous.delivery },
        held: heldNow(),
        queued: world.pendingSecrets(),
      })
      for (const hook of runHooks) hook(record)
    })

    if (draw.backlog) await addBacklog(world, draw.backlog)
    if (a.throttledOnce) throttle(world)

    /** One run of the action, recorded; never throws. */
    const one: One = async (label, extra, flags = {}) => {
      // The workflow passes the secret its targets hold now, as `${{ secrets.LWA_CLIENT_SECRET }}` would.
      const current = heldNow().find((h) => h !== undefined) ?? world.initialSecret
      const inputs = world.inputs({
        targets: targets.map((t) => t.line).join('\n'),
        'receive-timeout': String(RECEIVE_TIMEOUT_S),
        'client-secret': current,
        ...(flags.force ? { force: 'true' } : {}),
      })
      const env: Record<string, string> = sm ? { AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url } : {}
      const startedAt = Date.now()
      const lines: Array<[number, string]> = []
      let result: RunResult | undefined
      let leaks: string | undefined
      let failure = ''
      try {
        result = await world.run({ inputs, env, timeoutMs: HARD_BOUND_MS, onLine: (line) => lines.push([Date.now(), line]), ...extra })
      } catch (error) {
        const e = error as Error & { result?: RunResult }
        if (e.result) [result, leaks] = [e.result, e.message]
        else failure = e.message
      }
      const record: RunRecord = {
        label,
        startedAt,
        endedAt: Date.now(),
        concurrent: flags.concurrent ?? false,
        kill: flags.kill,
        killed: result?.killed ?? false,
        force: flags.force ?? false,
        ambiguous: flags.ambiguous ?? false,
        code: result?.code ?? null,
        signal: result?.signal ?? null,
        result: result?.outputs.result || undefined,
        updatedTargets: result?.outputs['updated-targets'],
        errors: result?.errors ?? [],
        warnings: result?.warnings ?? [],
        stdout: result?.stdout ?? failure,
        lines,
        stderr: result?.stderr ?? '',
        summary: result?.summary ?? '',
        leaks,
        hung: !result && /did not finish within/.test(failure),
        heldAfter: heldNow(),
        validAfter: world.amazon.validSecrets(world.clientId),
      }
      if (!result && !record.hung) harness.push(`${label} could not be run: ${failure.split('\n')[0]}`)
      runs.push(record)
      options.progress?.(`  ${label}: ${outcome(record)}`)
      return record
    }

    let last: RunRecord[] = []
    for (const [i, faulty] of draw.faulty.entries()) {
      last = await faultyRun(world, sm, draw, faulty, `faulty ${i + 1}`, one, (hooks) => (runHooks = hooks))
    }

    // Without faults until a run succeeds and no message of this client is left: a copy that reaches the queue after
    // a successful run (a late duplicate, or one a killed run held) is the next scheduled run's to take.
    const undelivered = () => ours().some((r) => r.delivery === 'dropped')
    // A run that stops naming the day of a recorded rotation whose secret never came (a run killed between recording
    // its rotate call and Amazon's answer leaves that too) is answered as a person would: the next run passes force.
    let namedTheDay = false
    for (let i = 1; ; i++) {
      // After a failure the next run starts at once, as a re-run would, whatever Amazon still has to deliver.
      const succeeded = last.some((r) => r.code === 0)
      if (succeeded) await settle(world, harness)
      if (succeeded && !world.pendingSecrets().length) {
        recovered = true
        break
      }
      if (i > MAX_CLEAN_RUNS) break
      if (succeeded) {
        // A message a killed run held comes back when its lease ends.
        const deadline = Date.now() + LEASE_WAIT_MS
        while (world.sqs.contents(world.queueName).inFlight.length && Date.now() < deadline) await sleep(500)
      }
      const run = await one(`clean ${i}`, {}, { force: HAS_FORCE_INPUT && (undelivered() || namedTheDay) })
      last = [run]
      namedTheDay = run.errors.some((e) =>
        /its new secret is not in the queue\. The secret the targets hold stops working on \d{4}-\d{2}-\d{2}/.test(e),
      )
      if (!HAS_FORCE_INPUT && undelivered() && refusedNamingTheDay(run, rotationsDuring(ours(), run))) {
        expectedRefusal = true
        break
      }
    }

    if (!recovered) await settle(world, harness)
    if (sm?.violations.length) harness.push(...sm.violations.map((v) => `Secrets Manager request off the model: ${v}`))
    log = {
      targets: targets.map((t) => t.line),
      receiveTimeoutMs: RECEIVE_TIMEOUT_S * 1000,
      initialSecret: world.initialSecret,
      initialHeld,
      rotations: ours().map((r) => ({ secret: r.secret, at: r.at, delivery: r.delivery })),
      snapshots,
      runs,
      finalHeld: heldNow(),
      finalValid: world.amazon.validSecrets(world.clientId),
      finalQueued: world.pendingSecrets(),
      expectedRefusal,
      recovered,
      harness,
    }
  } catch (error) {
    harness.push(`the episode stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  } finally {
    rotateCalls = world.amazon.requests.filter((r) => r.path.startsWith(ROTATE_PATH) && r.method === 'POST').map((r) => r.at)
    await Promise.allSettled([world.close(), sm?.close()])
  }
  const violations = log ? checkEpisode(log) : harness.map((detail) => ({ invariant: 'The test world worked', detail }))
  const ms = Date.now() - began
  const report =
    violations.length || options.reportAll ? writeReport(options.outDir, draw, violations, log, runs, rotateCalls ?? [], ms) : undefined
  return { draw, violations, ms, runs: runs.length, report }
}

type One = (
  label: string,
  extra: Partial<RunOptions>,
  flags?: { concurrent?: boolean; kill?: Kill; force?: boolean; ambiguous?: boolean },
) => Promise<RunRecord>

/** Arms the run's faults, runs it (or two at once), and disarms everything, so the next run starts clean. */
async function faultyRun(
  world: World,
  sm: SecretsManagerSim | undefined,
  draw: Draw,
  faulty: FaultyRun,
  label: string,
  one: One,
  setHooks: (hooks: Array<(record: RotationRecord) => void>) => void,
): Promise<RunRecord[]> {
  const hooks: Array<(record: RotationRecord) => void> = []
  const after: Array<() => void> = []
  const ctx: FaultContext = { world, sm, targets: draw.targets, onRotation: (fn) => hooks.push(fn), afterRun: (fn) => after.push(fn) }
  if (faulty.undelivered) world.amazon.dropNextDelivery(world.clientId)
  for (const name of faulty.faults) FAULTS[name].inject(ctx)
  let timer: NodeJS.Timeout | undefined
  const kill: Partial<RunOptions> = {}
  const k = faulty.kill
  if (k?.at === 'delay') {
    kill.killOn = new Promise((resolve) => (timer = setTimeout(resolve, k.ms)))
    kill.killOnSignal = k.signal
  } else if (k?.at === 'accepted') {
    kill.killOn = new Promise((resolve) => hooks.push(resolve))
  } else if (k?.at === 'delete') {
    kill.killOn = world.sqsProxy.holdNext('DeleteMessage')
  } else if (k) {
    kill.killWhen = {
      answered: /Amazon accepted the rotation/,
      received: /Received the new secret/,
      written: /: (?:\S+ (?:created|updated)|version \S+ is AWSCURRENT)\.$/,
    }[k.at]
    kill.killSignal = k.signal
  }
  setHooks(hooks)
  const ambiguous = faulty.faults.some((name) => FAULTS[name].kind === 'ambiguous')
  try {
    if (faulty.twoAtOnce) {
      return await Promise.all([
        one(label, kill, { concurrent: true, kill: k, ambiguous }),
        one(`${label} (second)`, {}, { concurrent: true, ambiguous }),
      ])
    }
    return [await one(label, kill, { kill: k, ambiguous })]
  } finally {
    clearTimeout(timer)
    setHooks([])
    const throttled = world.amazon.rotateCalls(world.clientId) === 0 && draw.amazon.throttledOnce
    world.amazon.clearFaults()
    world.github.clearFaults()
    world.sqsProxy.clearFaults()
    sm?.clearFaults()
    for (const fn of after) fn()
    // Amazon's 429 belongs to the episode, not to this run: it waits for the first rotate call.
    if (throttled) throttle(world)
  }
}

function throttle(world: World): void {
  world.amazon.failNext('rotate', {
    status: 429,
    body: { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] },
  })
}

/** Other applications' messages ahead of this client's: expiry notices, and new secrets Amazon issued to them. */
async function addBacklog(world: World, count: number): Promise<void> {
  const others = Array.from({ length: 1 + (count % 3) }, () => world.addApplication())
  const batch: string[] = []
  const flush = async () => {
    const entries = batch.splice(0).map((body, i) => ({ Id: `m${i}`, MessageBody: body }))
    if (entries.length) await world.sqs.client.send(new SendMessageBatchCommand({ QueueUrl: world.queueUrl, Entries: entries }))
  }
  for (let i = 0; i < count; i++) {
    const app = others[i % others.length]!
    if (i % 4 === 0) {
      await flush()
      await world.amazon.sendNotification(app.clientId)
    } else {
      batch.push(
        expiryNotification({ clientId: app.clientId, eventTime: new Date(), expiresAt: new Date(Date.now() + (30 + i) * 86_400_000) }),
      )
      if (batch.length === 10) await flush()
    }
  }
  await flush()
}

/** Waits (bounded) until every notification Amazon owes is on the queue. */
async function settle(world: World, harness: string[]): Promise<void> {
  const settled = await Promise.race([world.amazon.deliveriesSettled().then(() => true), sleep(20_000).then(() => false)])
  if (!settled) harness.push('Amazon still had notifications to send 20 s after the last run')
  if (world.amazon.deliveryErrors.length)
    harness.push(`${world.amazon.deliveryErrors.length} notification(s) could not be sent to the queue`)
}

function rotationsDuring(rotations: RotationRecord[], run: RunRecord): number {
  return rotations.filter((r) => run.startedAt <= r.at && r.at <= run.endedAt).length
}

function outcome(r: RunRecord): string {
  const took = `${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s`
  if (r.hung) return `hung, killed after ${took}`
  if (r.killed) return `${r.signal === 'SIGINT' ? 'cancelled' : 'killed'} (${r.kill ? killName(r.kill) : ''}) after ${took}`
  return `exit ${r.code}${r.result ? `, ${r.result}` : ''} in ${took}`
}

/** Reproduces one episode. */
export const reproduce = (d: Pick<Draw, 'seed' | 'episode'>) => `npm run soak -- --seed ${d.seed} --from ${d.episode} --runs 1`

function writeReport(
  outDir: string,
  draw: Draw,
  violations: Violation[],
  log: EpisodeLog | undefined,
  runs: RunRecord[],
  rotateCalls: number[],
  ms: number,
): string {
  const name = log ? namer(log) : () => '?'
  const start = runs[0]?.startedAt ?? 0
  const t = (at: number) => `+${((at - start) / 1000).toFixed(1)} s`
  const lines = [
    `Fault soak: seed ${draw.seed}, episode ${draw.episode} (${(ms / 1000).toFixed(1)} s)`,
    `Reproduce: ${reproduce(draw)}`,
    '',
    'Violations:',
    ...violations.map((v) => `- ${v.invariant}: ${v.detail}`),
    '',
    `Draw: ${describeDraw(draw)}`,
    JSON.stringify(draw, null, 2),
    '',
  ]
  if (log) {
    lines.push('Targets: ' + log.targets.join(', '), '', "Amazon's accepted rotations of this client:")
    for (const [i, s] of log.snapshots.entries()) {
      const r = log.rotations[i]
      lines.push(
        `- s${i + 1} at ${t(s.at)}, delivery ${r?.delivery ?? '?'}; the targets then held ${s.held.map(name).join(', ')}; queued then: ${
          s.queued.map(name).join(', ') || 'none'
        }`,
      )
    }
    lines.push(
      '',
      `Rotate calls that reached Amazon, accepted or not: ${rotateCalls.map(t).join(', ') || 'none'}`,
      `At the end the targets held ${log.finalHeld.map(name).join(', ')}; queued: ${log.finalQueued.map(name).join(', ') || 'none'}`,
    )
  }
  for (const r of runs) {
    lines.push(
      '',
      `=== ${r.label}: ${t(r.startedAt)} to ${t(r.endedAt)}, ${outcome(r)}${r.force ? ', force: true' : ''}`,
      `targets after: ${r.heldAfter.map(name).join(', ')}`,
      '--- stdout (with the time each line was written)',
      // The values the run registered for masking are the secrets themselves: not in a report.
      ...(r.lines?.length ? r.lines.map(([at, line]) => `${t(at)} ${line}`) : r.stdout.split('\n')).map((line) =>
        line.replace(/::add-mask::.*$/, '::add-mask::***'),
      ),
      '--- stderr',
      r.stderr,
      '--- summary',
      r.summary,
    )
  }
  const file = join(outDir, `seed-${draw.seed}-episode-${draw.episode}.log`)
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}
