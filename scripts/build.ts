/**
 * `npm run build [-- OUT_DIR]`: the bundle the runner executes (dist/ by default), made by ncc, plus the
 * complete third-party licenses. ncc splits what the action imports dynamically into chunks and, asked for
 * a licenses file, writes one per chunk under the same name (the last wins); so the licenses come from a
 * second build of scripts/licenses-entry.ts, which imports every module statically.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = process.argv[2] ?? join(root, 'dist')
const ncc = join(root, 'node_modules', '.bin', 'ncc')
const scratch = mkdtempSync(join(tmpdir(), 'lwa-rotation-licenses-'))
const build = (entry: string, dir: string, license: boolean) =>
  promisify(execFile)(ncc, ['build', entry, '-o', dir, '--target', 'es2022', ...(license ? ['--license', 'licenses.txt'] : [])], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  })

try {
  await Promise.all([build('src/index.ts', out, false), build('scripts/licenses-entry.ts', scratch, true)])
  copyFileSync(join(scratch, 'licenses.txt'), join(out, 'licenses.txt'))
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
