/**
 * `npm run check:dist`: fails when dist/ (what the runner executes) is not exactly a fresh build of src/.
 *
 *   npm run check:dist                      build into a scratch folder (scripts/build.ts) and compare it with dist/
 *   npm run check:dist -- --out DIR         the same, keeping the fresh build in DIR (CI attaches it when they differ)
 *   npm run check:dist -- EXPECTED ACTUAL   compare two folders only, without building
 *
 * Every file at any depth, byte for byte, both ways. CI, the release workflow and test/dist.test.ts run this
 * one check, and test/check-dist.test.ts shows it failing.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')

/** Paths of every file under `dir`, relative to it, sorted; empty when `dir` does not exist. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

/** One line per file that is missing from `actual`, extra in it, or different. */
function differences(expected: string, actual: string, label: string): string[] {
  const want = filesUnder(expected)
  const have = new Set(filesUnder(actual))
  const lines: string[] = []
  for (const file of want) {
    if (!have.has(file)) lines.push(`${label}/${file} is missing`)
    else if (!readFileSync(join(expected, file)).equals(readFileSync(join(actual, file)))) lines.push(`${label}/${file} differs`)
    have.delete(file)
  }
  for (const file of have) lines.push(`${label}/${file} is not in the fresh build`)
  return lines
}

function fail(title: string, message: string): never {
  // On a runner the error also becomes an annotation on the run.
  if (process.env.GITHUB_ACTIONS === 'true') console.log(`::error title=${title}::${message.replaceAll('\n', ' ')}`)
  console.error(message)
  process.exit(1)
}

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true })

let expected: string
let actual: string
let scratch: string | undefined
let reference = 'a fresh build of src/'
if (positionals.length === 2) {
  expected = resolve(positionals[0]!)
  reference = positionals[0]!
  actual = resolve(positionals[1]!)
  if (!existsSync(expected)) fail('No folder to compare with', `${positionals[0]} does not exist.`)
} else if (positionals.length === 0) {
  actual = dist
  if (values.out !== undefined) {
    expected = resolve(values.out)
    // build.ts empties its output folder first: never point it at the bundle under check.
    if (expected === dist) fail('Wrong --out', '--out must not be dist/: the build empties its output folder before writing.')
  } else {
    scratch = mkdtempSync(join(tmpdir(), 'lwa-rotation-check-dist-'))
    expected = scratch
    // Removed however the check ends (process.exit included).
    process.on('exit', () => rmSync(scratch!, { recursive: true, force: true }))
  }
  execFileSync(process.execPath, [join(root, 'scripts', 'build.ts'), expected], { cwd: root, stdio: 'inherit', timeout: 300_000 })
} else {
  fail('Usage', 'Usage: npm run check:dist [-- --out DIR] | npm run check:dist -- EXPECTED ACTUAL')
}

const shown = relative(process.cwd(), actual)
const label = shown && !shown.startsWith('..') ? shown : actual
const found = differences(expected, actual, label)
if (found.length > 0) {
  fail(
    `${label}/ is stale`,
    `${label}/ differs from ${reference} (${found.length} file(s)):\n  ${found.join('\n  ')}\n` + 'Run npm run build and commit dist/.',
  )
}
console.log(`${label}/ equals ${reference} (${filesUnder(actual).length} files).`)
