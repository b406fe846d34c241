/**
 * dist/ is what the runner executes, so it must be exactly a fresh build of src/. Rebuild into a scratch
 * folder with the project's own build command and compare every file byte for byte.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

it('dist/ equals a fresh build of src/ (run `npm run build` and commit dist/ when this fails)', () => {
  const out = mkdtempSync(join(tmpdir(), 'lwa-rotation-dist-'))
  // The same script as `npm run build`, pointed at the scratch folder.
  execFileSync(process.execPath, [join(root, 'scripts', 'build.ts'), out], { cwd: root, stdio: 'pipe', timeout: 150_000 })

  const files = readdirSync(out).sort()
  expect(readdirSync(join(root, 'dist')).sort()).toEqual(files)
  for (const file of files) {
    expect(readFileSync(join(root, 'dist', file)).equals(readFileSync(join(out, file))), `dist/${file} is stale`).toBe(true)
  }
}, 180_000)
