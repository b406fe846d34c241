/**
 * scripts/check-dist.ts, the check that keeps a stale dist/ out of CI and out of a release, fails when it
 * should: given two small folders (no build), it names every file that differs, is missing or is extra.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'lwa-rotation-check-dist-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A folder holding `files` (relative path → content). */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name)
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(join(dir, file), content)
  }
  return dir
}

const check = (expected: string, actual: string) =>
  spawnSync(process.execPath, ['scripts/check-dist.ts', expected, actual], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, GITHUB_ACTIONS: '' },
  })

const fresh = { 'index.js': 'export {}\n', 'package.json': '{"type":"module"}\n', 'chunks/1.index.js': 'one\n' }

describe.concurrent('scripts/check-dist.ts', () => {
  it('passes when both folders hold the same files, byte for byte', () => {
    const result = check(folder('same-a', fresh), folder('same-b', fresh))
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('equals')
  })

  it('fails naming each file that differs, is missing or is extra', () => {
    const stale = folder('stale', {
      'index.js': 'export {}\r\n', // one byte apart
      'chunks/1.index.js': 'one\n',
      'chunks/2.index.js': 'left over from an earlier build\n',
    })
    const result = check(folder('fresh', fresh), stale)
    expect(result.status).toBe(1)
    const lines = result.stderr.split('\n')
    expect(lines).toContain(`  ${stale}/index.js differs`)
    expect(lines).toContain(`  ${stale}/package.json is missing`)
    expect(lines).toContain(`  ${stale}/chunks/2.index.js is not in the fresh build`)
    expect(result.stderr).toMatch(/\(3 file\(s\)\)/)
    expect(result.stderr).not.toContain('chunks/1.index.js')
  })

  it('fails when the folder under check is missing altogether', () => {
    const result = check(folder('fresh-only', fresh), join(scratch, 'never-built'))
    expect(result.status).toBe(1)
    expect(result.stderr.match(/ is missing$/gm)).toHaveLength(3)
  })
})
