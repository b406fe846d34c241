/**
 * `npm run -s release:notes -- vX.Y.Z`: prints the CHANGELOG.md section of the version a release tag names,
 * the body of its GitHub release (.github/workflows/release.yml). Fails, naming the fix, when the tag is not
 * vX.Y.Z, disagrees with package.json's version, or CHANGELOG.md has no dated, non-empty section for it.
 */
import { readFileSync } from 'node:fs'
import { sectionOf, versionOfTag } from './changelog.ts'

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')

try {
  const tag = process.argv[2]
  if (!tag) throw new Error('Usage: npm run -s release:notes -- vX.Y.Z')
  const { version } = JSON.parse(read('package.json')) as { version: string }
  process.stdout.write(`${sectionOf(read('CHANGELOG.md'), versionOfTag(tag, version))}\n`)
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  // stdout is the notes, so the error goes to stderr; on a runner, as an annotation on the run.
  console.error(process.env.GITHUB_ACTIONS === 'true' ? `::error title=No release notes::${message}` : message)
  process.exitCode = 1
}
