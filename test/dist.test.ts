/**
 * dist/ is what the runner executes, so it must be exactly a fresh build of src/. The check is the one CI and
 * the release workflow run (scripts/check-dist.ts): it rebuilds into a scratch folder with the project's own
 * build and compares every file byte for byte.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

it('dist/ equals a fresh build of src/ (run `npm run build` and commit dist/ when this fails)', () => {
  const check = spawnSync(process.execPath, ['scripts/check-dist.ts'], { cwd: root, encoding: 'utf8', timeout: 170_000 })
  expect(check.status, `${check.stdout}${check.stderr}`).toBe(0)
  expect(check.stdout).toMatch(/^dist\/ equals a fresh build of src\/ \(\d+ files\)\.$/m)
}, 180_000)
