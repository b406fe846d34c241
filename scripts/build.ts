/**
 * `npm run build [-- OUT_DIR]`: the bundle the runner executes (dist/ by default), made by ncc, and the
 * third-party licenses of everything in it (licenses.txt). ncc splits what is imported dynamically into
 * chunks and, asked for a licenses file, writes one per chunk under the same name (the last wins); so the
 * licenses are collected here instead, from ncc's own list of the modules it bundled.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

interface StatsModule {
  name?: string
  chunks?: unknown[]
  modules?: StatsModule[]
}

const root = fileURLToPath(new URL('..', import.meta.url))
const out = process.argv[2] ?? join(root, 'dist')
const scratch = mkdtempSync(join(tmpdir(), 'lwa-rotation-build-'))
try {
  // A fresh folder: chunks of an earlier build must not linger beside the new ones.
  rmSync(out, { recursive: true, force: true })
  const stats = join(scratch, 'stats.json')
  await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'ncc'),
    ['build', 'src/index.ts', '-o', out, '--target', 'es2022', '--stats-out', stats],
    {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    },
  )
  rmSync(join(out, 'stats.json'), { force: true })
  writeFileSync(join(out, 'licenses.txt'), licenses(JSON.parse(readFileSync(stats, 'utf8')) as { modules: StatsModule[] }))
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

/** Every bundled package once (by folder, so two versions both count): name, licence id, licence text. */
function licenses(stats: { modules: StatsModule[] }): string {
  const folders = new Set<string>()
  const visit = (modules: StatsModule[] = []) => {
    for (const m of modules) {
      const match = /^\.\/((?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(m.name ?? '')
      if (match) folders.add(match[1]!)
      visit(m.modules)
    }
  }
  // Modules in no chunk were left out (unused, and marked free of side effects): they ship nothing. A module
  // concatenated into another has no chunks of its own, so only the top level is filtered.
  visit(stats.modules.filter((m) => m.chunks?.length))
  const entries = [...folders].map((folder) => {
    const dir = join(root, folder)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string }
    const file = readdirSync(dir).find((f) => /^(?:licen[cs]e|copying)(?:\.(?:md|txt))?$/i.test(f))
    const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : ''
    return {
      name: pkg.name,
      version: pkg.version,
      entry: [`${pkg.name}@${pkg.version}`, pkg.license ?? 'UNKNOWN', text].filter(Boolean).join('\n'),
    }
  })
  entries.sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1))
  return `${[...new Set(entries.map((e) => e.entry))].join('\n\n')}\n`
}
