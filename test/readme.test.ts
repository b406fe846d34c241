/**
 * The README's promises about action.yml and the local-run files: its inputs and outputs tables list exactly
 * what action.yml declares (names, required flags, defaults), its quick start is the example workflow that
 * actionlint checks, and .env.example holds what demo/serve.ts serves.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { DEFAULT_PORT, dotenvLines, portsFrom, runSettings } from '../demo/serve.ts'
import { REPO } from './support/world.ts'

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
const readme = read('README.md')

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}
const action = parse(read('action.yml')) as ActionYml

/** The text after `heading` and before the next heading. */
function sectionAfter(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`)
  expect(start, `README has a '${heading}' section`).toBeGreaterThan(-1)
  return readme.slice(start + heading.length + 2).split(/\n#{1,6} /)[0]!
}

/** The rows of the first Markdown table after `heading` and before the next heading, as trimmed cells. */
function tableAfter(heading: string): string[][] {
  const rows = sectionAfter(heading)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    // Cells are split on pipes that Markdown does not escape.
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
  // Header and delimiter rows first.
  expect(rows.length, `a table under '${heading}'`).toBeGreaterThan(2)
  return rows.slice(2)
}

/** `code` → code; an empty cell stays empty. */
const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1')

describe('README inputs and outputs', () => {
  it('lists every input of action.yml once, in order, with its required flag and default', () => {
    const rows = tableAfter('### Inputs').map(([name, required, defaultValue, description]) => ({
      name: unquote(name!),
      required: required,
      default: unquote(defaultValue!),
      described: Boolean(description),
    }))
    const expected = Object.entries(action.inputs).map(([name, input]) => ({
      name,
      required: input.required ? 'yes' : 'no',
      default: input.default ?? '',
      described: true,
    }))
    expect(rows).toEqual(expected)
  })

  it('shows a with: block of every input of action.yml once, in order, with its default', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(sectionAfter('### Inputs'))?.[1]
    expect(block, "a yaml block under '### Inputs'").toBeDefined()
    // yaml refuses duplicate keys, so each input appears once.
    const [step] = parse(block!) as Array<{ with: Record<string, string | number | boolean | null> }>
    const listed = step!.with
    expect(Object.keys(listed)).toEqual(Object.keys(action.inputs))
    for (const [name, input] of Object.entries(action.inputs)) {
      // A required input has no default: the block shows where its value usually comes from, marked required.
      const line = block!.split('\n').find((l) => l.trimStart().startsWith(`${name}:`))
      if (input.required) expect(line, name).toMatch(/ # required$/)
      else expect(String(listed[name] ?? ''), name).toBe(input.default ?? '')
    }
  })

  it('lists every output of action.yml once, in order', () => {
    const rows = tableAfter('### Outputs').map(([name, description]) => ({ name: unquote(name!), described: Boolean(description) }))
    expect(rows).toEqual(Object.keys(action.outputs).map((name) => ({ name, described: true })))
  })

  it('gives every input and output a description in action.yml', () => {
    for (const [name, entry] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
      expect(entry.description?.trim(), name).toBeTruthy()
    }
  })
})

describe('README quick start', () => {
  it('is docs/examples/rotate-lwa-client-secret.yml, which actionlint checks', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
    expect(blocks).toContain(read('docs/examples/rotate-lwa-client-secret.yml'))
  })

  it('gives the test command CI runs', () => {
    expect(readme).toContain('npm ci && npm test')
    expect(read('.ci/run')).toContain('npm ci && npm test')
  })
})

/** KEY=VALUE lines as dotenv reads them: comments and blank lines skipped, double quotes removed, \n expanded. */
function parseDotenv(lines: string[]): Record<string, string> {
  const entries = lines
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line): [string, string] => {
      const eq = line.indexOf('=')
      const value = line.slice(eq + 1)
      return [line.slice(0, eq), /^".*"$/.test(value) ? value.slice(1, -1).replace(/\\n/g, '\n') : value]
    })
  return Object.fromEntries(entries)
}

describe('.env.example', () => {
  it('points at the simulators that `npm run serve` starts, with their values', () => {
    const example = parseDotenv(read('.env.example').split('\n'))
    const served = parseDotenv(dotenvLines(runSettings(portsFrom(DEFAULT_PORT), REPO)))
    // local-action's own setting comes on top of what the runner would pass.
    expect(Object.keys(example).sort()).toEqual([...Object.keys(served), 'GITHUB_STEP_SUMMARY'].sort())
    for (const [name, value] of Object.entries(served)) expect(example[name], name).toBe(value)
  })

  it('sets every required input', () => {
    const example = parseDotenv(read('.env.example').split('\n'))
    for (const [name, input] of Object.entries(action.inputs)) {
      if (input.required) expect(example[`INPUT_${name.toUpperCase()}`], name).toBeTruthy()
    }
  })
})
