/**
 * `npm run demo`: the bundled action against the local simulators (Amazon, GitHub) and a real SQS server,
 * shown the way a workflow log and job summary would show it. Nothing leaves this machine.
 *
 * Part 1 is a scheduled rotation to a repository secret and an environment secret.
 * Part 2 is the failure the action is built for: a write is refused after Amazon has rotated; the new
 * secret stays in the queue, and the re-run finishes the job without rotating again.
 */
import { createWorld, REPO, type World } from '../test/support/world.ts'
import type { RunResult } from '../test/support/action.ts'

const bold = (s: string) => `\x1b[1m${s}\x1b[0m`
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`

/** What the runner shows: commands consumed, groups folded into headings, masked values as ***. */
function showLog(run: RunResult): void {
  const masks = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => l.slice('::add-mask::'.length))
  const mask = (line: string) => masks.reduce((text, secret) => text.split(secret).join('***'), line)
  for (const line of run.stdout.split('\n')) {
    if (line === '' || line.startsWith('::add-mask::') || line === '::endgroup::') continue
    if (line.startsWith('::group::')) console.log(bold(`▾ ${line.slice(9)}`))
    else if (line.startsWith('::warning::')) console.log(`  \x1b[33mWarning:\x1b[0m ${mask(line.slice(11))}`)
    else if (line.startsWith('::error::')) console.log(`\x1b[31mError:\x1b[0m ${mask(line.slice(9)).replace(/%0A/g, '\n       ')}`)
    else console.log(`  ${mask(line)}`)
  }
  console.log(dim(`(exit code ${run.code}; outputs ${JSON.stringify(run.outputs)})`))
}

function showSummary(run: RunResult): void {
  console.log(bold('\nJob summary'))
  for (const line of run.summary.trim().split('\n')) console.log(`  ${line}`)
}

function showState(world: World, label: string): void {
  const amazonSecret = world.amazon.currentSecret(world.clientId)
  const check = (scope: string) =>
    world.stored(scope) === amazonSecret ? 'holds the new secret ✔' : world.stored(scope) ? 'holds another value ✘' : 'not written'
  console.log(bold(`\nState after ${label}`))
  console.log(`  Amazon rotations: ${world.amazon.rotations(world.clientId)}`)
  console.log(`  GitHub ${REPO}: ${check(REPO)} (opened from the sealed box by the simulator)`)
  console.log(`  GitHub ${REPO} environment production: ${check(`${REPO}:production`)}`)
  console.log(`  New-secret messages left in the queue: ${world.pendingSecrets().length}\n`)
}

const inputsOf = (world: World) => world.inputs({ targets: 'repository\nenvironment:production' })

console.log(bold('\n━━ Part 1: a scheduled rotation ━━\n'))
let world = await createWorld()
try {
  const run = await world.run({ inputs: inputsOf(world) })
  showLog(run)
  showSummary(run)
  showState(world, 'part 1')
} finally {
  await world.close()
}

console.log(bold('━━ Part 2: a write refused after the rotation, then a re-run ━━\n'))
world = await createWorld()
try {
  world.github.failNext(
    { method: 'PUT', path: /\/environments\// },
    { status: 403, body: { message: 'Resource not accessible by personal access token' } },
  )
  const failed = await world.run({ inputs: inputsOf(world) })
  showLog(failed)
  showState(world, 'the failed run')
  console.log(bold('Re-run of the workflow:\n'))
  const rerun = await world.run({ inputs: inputsOf(world) })
  showLog(rerun)
  showSummary(rerun)
  showState(world, 'the re-run')
} finally {
  await world.close()
}
