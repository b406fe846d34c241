/**
 * Runs the bundled action (dist/index.js) the way the runner does: a child process of the Node 24 binary
 * with INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and nothing else from this process's
 * environment. Every run is checked for leaks: no known secret or token may appear anywhere it writes,
 * except in the runner's own ::add-mask:: commands.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ACTION_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

export interface RunOptions {
  inputs: Record<string, string>
  env?: Record<string, string>
  /** Ends the run with SIGKILL (a lost job) as soon as a line of its output matches. */
  killWhen?: RegExp
  /** The signal killWhen sends instead: SIGINT is what the runner sends first when a job is cancelled. */
  killSignal?: NodeJS.Signals
  /** Ends the run with SIGKILL when this settles (e.g. a simulator saw a given request). */
  killOn?: Promise<unknown>
  /** The signal killOn sends instead (SIGINT: the runner cancelling the job at that moment). */
  killOnSignal?: NodeJS.Signals
  /** Sees each line of output as it is written, to change the world at a given moment of the run. */
  onLine?: (line: string) => void
  /** Called with the child's pid once it is started (the benchmark samples its memory). */
  onSpawn?: (pid: number) => void
  /** Hard bound on the run; the test fails rather than hang. */
  timeoutMs?: number
  /** Node options before the entry point (e.g. --import of a hook that records loaded modules). */
  nodeArgs?: string[]
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  killed: boolean
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** ::error:: lines, decoded. */
  errors: string[]
  warnings: string[]
}

export async function runAction(options: RunOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lwa-rotation-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: 'true',
    // No instance metadata service on a test machine: make the SDK's credential chain not look for one.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env,
  }
  // The runner's naming: INPUT_ + upper case, spaces to underscores, hyphens kept.
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value

  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ACTION_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid !== undefined) options.onSpawn?.(child.pid)
  let stdout = ''
  let stderr = ''
  let killed = false
  let pending = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      options.onLine?.(line)
      if (!killed && options.killWhen?.test(line)) {
        killed = true
        child.kill(options.killSignal ?? 'SIGKILL')
      }
    }
  })
  void options.killOn?.then(() => {
    killed = true
    child.kill(options.killOnSignal ?? 'SIGKILL')
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  const timeoutMs = options.timeoutMs ?? 90_000
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the action did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal })
    })
  })

  const commands = (kind: string) =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith(`::${kind}`))
      .map((l) => decodeCommand(l.slice(l.indexOf('::', 2) + 2)))
  return {
    code,
    signal,
    killed,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    errors: commands('error'),
    warnings: commands('warning'),
  }
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks (what @actions/core writes). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const [, name, delimiter] = m
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
    outputs[name!] = value.join('\n')
  }
  return outputs
}

function decodeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * Where each known secret appears outside ::add-mask:: lines, as it is or in a form the runner's masking
 * would miss (base64, URL-encoded, JSON-escaped). An empty list means no leak.
 */
export function findLeaks(run: Pick<RunResult, 'stdout' | 'stderr' | 'outputs' | 'summary'>, secrets: Iterable<string>): string[] {
  const leaks: string[] = []
  const places: Array<[string, string]> = [
    ['stderr', run.stderr],
    ['outputs', JSON.stringify(run.outputs)],
    ['summary', run.summary],
  ]
  const stdoutLines = run.stdout.split('\n')
  for (const secret of new Set(secrets)) {
    if (secret.length < 4) continue
    for (const [form, text] of encodings(secret)) {
      for (const [where, place] of places) if (place.includes(text)) leaks.push(`${where} contains ${label(secret)}${form}`)
      stdoutLines.forEach((line, n) => {
        if (line.includes(text) && !line.startsWith('::add-mask::')) leaks.push(`stdout line ${n + 1} contains ${label(secret)}${form}`)
      })
    }
  }
  return leaks
}

/** A secret as it is and in the encodings a careless log line could carry it. */
function encodings(secret: string): Array<[string, string]> {
  const forms: Array<[string, string]> = [
    ['', secret],
    [' (base64)', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
    [' (base64url)', Buffer.from(secret).toString('base64url')],
    [' (URL-encoded)', encodeURIComponent(secret)],
    [' (form-encoded)', new URLSearchParams({ v: secret }).toString().slice(2)],
    [' (JSON-escaped)', JSON.stringify(secret).slice(1, -1)],
  ]
  const seen = new Set<string>()
  return forms.filter(([, text]) => !seen.has(text) && seen.add(text))
}

/** Names a leaked value without repeating it in the test report. */
function label(secret: string): string {
  return `a secret (${secret.length} characters, starting ${JSON.stringify(secret.slice(0, 3))})`
}
