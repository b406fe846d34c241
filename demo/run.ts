/**
 * `npm run demo`: the bundled action against the local simulators (Amazon, GitHub) and a real SQS server,
 * shown the way a workflow log and job summary would show it. Nothing leaves this machine.
 *
 * Part 1 is a scheduled rotation to a repository secret and an environment secret.
 * Part 2 is the failure the action is built for: a write is refused after Amazon has rotated; the new
 * secret stays in the queue, and the re-run finishes the job without rotating again. The failed run opens the
 * application's alert issue; the re-run closes it.
 *
 * Colours only on a terminal, and never with NO_COLOR set (https://no-color.org): `npm run demo > file` is plain text.
 */
import { createWorld, REPO, type World } from '../test/support/world.ts'
import type { RunResult } from '../test/support/action.ts'

const colour = process.stdout.isTTY === true && !process.env.NO_COLOR
const style = (code: string) => (s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s)
const bold = style('1')
const dim = style('2')
const yellow = style('33')
const red = style('31')

/** The example workflow's `uses:` line, as the runner names the step. */
const STEP = 'OWNER/sp-api-secret-rotation-action@<commit-sha>'
/** Inputs that the example workflow passes from `secrets.*`: the runner masks these before the step starts. */
const SECRET_INPUTS = ['client-secret', 'github-token', 'refresh-token']

/** The runner's masking: every registered value, longest first so that no part of a longer one is left showing. */
class Masks {
  private readonly values = new Set<string>()
  add(value: string): void {
    if (value.trim() !== '') this.values.add(value)
  }
  apply(text: string): string {
    return [...this.values].sort((a, b) => b.length - a.length).reduce((out, value) => out.split(value).join('***'), text)
  }
}

/** A workflow command's value is escaped like this (what @actions/core writes). */
const unescapeCommand = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')

/**
 * What the runner shows for the step: its header with the inputs (secrets already masked), then the output with
 * commands consumed, groups folded into headings, ::add-mask:: lines hidden and each value masked from the line that
 * registers it on. A detail that an error repeats from a warning above is shown once (the action states it in both).
 */
function showLog(run: RunResult, inputs: Record<string, string>): Masks {
  const masks = new Masks()
  for (const name of SECRET_INPUTS) if (inputs[name]) masks.add(inputs[name])

  console.log(bold(`▾ Run ${STEP}`))
  console.log('  with:')
  for (const [name, value] of Object.entries(inputs)) {
    const [first, ...rest] = masks.apply(value).split('\n')
    console.log(`    ${name}: ${first}`)
    for (const line of rest) console.log(`    ${' '.repeat(name.length + 2)}${line}`)
  }

  const warnings: string[] = []
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('::add-mask::')) {
      masks.add(unescapeCommand(line.slice('::add-mask::'.length)))
      continue
    }
    if (line === '' || line === '::endgroup::') continue
    if (line.startsWith('::group::')) console.log(bold(`▾ ${line.slice('::group::'.length)}`))
    else if (line.startsWith('::warning::')) {
      const text = masks.apply(unescapeCommand(line.slice('::warning::'.length)))
      warnings.push(text)
      console.log(`  ${yellow('Warning:')} ${text}`)
    } else if (line.startsWith('::error::')) {
      const text = withoutRepeats(masks.apply(unescapeCommand(line.slice('::error::'.length))), warnings)
      console.log(`${red('Error:')} ${text.replace(/\n/g, '\n       ')}`)
    } else console.log(`  ${masks.apply(line)}`)
  }
  console.log(dim(`(exit code ${run.code}; outputs ${masks.apply(JSON.stringify(run.outputs))})`))
  return masks
}

/** An error that quotes a warning's text ("TARGET: detail") gets a pointer to the warning instead of the detail. */
function withoutRepeats(error: string, warnings: string[]): string {
  return warnings.reduce((text, warning) => {
    const detail = warning.slice(warning.indexOf(': ') + 2)
    return warning.includes(': ') && detail.length >= 20 ? text.split(detail).join('see the warning above') : text
  }, error)
}

function showSummary(run: RunResult, masks: Masks): void {
  console.log(`\n${bold('Job summary')}`)
  for (const line of run.summary.trim().split('\n')) console.log(`  ${masks.apply(line)}`)
}

/** The repository's alert issues as GitHub would show them: title, state, labels, comments, and the description if asked. */
function showIssues(world: World, { body }: { body: boolean }): void {
  const issues = world.github.issues(REPO)
  console.log(bold(`Issues of ${REPO}`) + (issues.length ? '' : ': none'))
  for (const issue of issues) {
    console.log(`  #${issue.number} ${bold(issue.title)}`)
    console.log(`  ${issue.state}${issue.state_reason ? ` (${issue.state_reason})` : ''} · labels: ${issue.labels.join(', ')}`)
    if (body) for (const line of (issue.body ?? '').trimEnd().split('\n')) console.log(dim(`  │ ${line}`))
    for (const comment of issue.comments) console.log(`  ${yellow('comment:')} ${comment}`)
  }
  console.log()
}

function showState(world: World, label: string): void {
  const amazonSecret = world.amazon.currentSecret(world.clientId)
  const check = (scope: string) =>
    world.stored(scope) === amazonSecret ? 'holds the new secret ✔' : world.stored(scope) ? 'holds another value ✘' : 'not written'
  console.log(`\n${bold(`State after ${label}`)}`)
  console.log(`  Amazon rotations: ${world.amazon.rotations(world.clientId)}`)
  console.log(`  GitHub ${REPO}: ${check(REPO)} (opened from the sealed box by the simulator)`)
  console.log(`  GitHub ${REPO} environment production: ${check(`${REPO}:production`)}`)
  console.log(`  New-secret messages left in the queue: ${world.pendingSecrets().length}\n`)
}

/** The demo's runs rotate only when due, as the README recommends; the first finds no expiry recorded, so it rotates. */
const inputsOf = (world: World) => world.inputs({ targets: 'repository\nenvironment:production', 'rotate-before-expiry': '30d' })

/** What the runner sets for a run of the example workflow, for the run's link in the alert issue. */
let runId = 4_100_000_000
const runEnv = () => ({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: String(++runId) })

/** The failed run's summary is left out: it repeats the error just shown. */
async function runAndShow(world: World, { summary, secret }: { summary: boolean; secret?: string }): Promise<void> {
  const inputs = { ...inputsOf(world), ...(secret ? { 'client-secret': secret } : {}) }
  const run = await world.run({ inputs, env: runEnv() })
  const masks = showLog(run, inputs)
  if (summary) showSummary(run, masks)
}

console.log(`\n${bold('━━ Part 1: a scheduled rotation ━━')}\n`)
let world = await createWorld()
try {
  await runAndShow(world, { summary: true })
  showState(world, 'part 1')
  console.log(`${bold("The next day's scheduled run (rotate-before-expiry: 30d): the new secret is not due, so nothing changes:")}\n`)
  await runAndShow(world, { summary: true, secret: world.stored() })
  showState(world, 'the next run')
} finally {
  await world.close()
}

console.log(`${bold('━━ Part 2: a write refused after the rotation, then a re-run ━━')}\n`)
world = await createWorld()
try {
  const refusal = { status: 403, body: { message: 'Resource not accessible by personal access token' } }
  world.github.failNext({ method: 'PUT', path: /\/environments\// }, refusal)
  console.log(
    dim(
      `Injected fault, once: GitHub's API answers the first write of an environment secret with HTTP ${refusal.status} ` +
        `"${refusal.body.message}". Every later request, the re-run's included, is answered normally.\n`,
    ),
  )
  await runAndShow(world, { summary: false })
  showState(world, 'the failed run')
  showIssues(world, { body: true })
  console.log(`${bold('Re-run of the workflow:')}\n`)
  await runAndShow(world, { summary: true })
  showState(world, 'the re-run')
  showIssues(world, { body: false })
} finally {
  await world.close()
}
