/**
 * CHANGELOG.md as the release workflow reads it (Keep a Changelog 1.1.0): the section of the version a tag
 * names is that release's notes. Pure; scripts/release-notes.ts reads the files and prints the result.
 */

/** The versions this project releases: X.Y.Z, no pre-releases, so the moving major tag never points at one. */
const RELEASE_TAG = /^v(\d+\.\d+\.\d+)$/

/** The version a release tag names; throws, naming the fix, unless it is vX.Y.Z and package.json says X.Y.Z. */
export function versionOfTag(tag: string, packageVersion: string): string {
  const version = RELEASE_TAG.exec(tag)?.[1]
  if (!version) throw new Error(`'${tag}' is not a release tag: release tags are vX.Y.Z, e.g. v1.2.3.`)
  if (version !== packageVersion) {
    throw new Error(
      `Tag ${tag} does not match package.json, whose version is ${packageVersion}. Set the version with ` +
        `\`npm version ${version} --no-git-tag-version\`, commit, and tag that commit.`,
    )
  }
  return version
}

/** A version's heading: `## [1.2.3] - 2026-12-04`. */
const HEADING = /^## \[([^\]]+)\](.*)$/
const DATED = /^ - \d{4}-\d{2}-\d{2}$/
/** Link reference definitions (`[1.2.3]: https://…`) close the last section. */
const LINK_DEFINITION = /^\[[^\]]+\]:\s/

/**
 * The body of `version`'s section, without its heading, each paragraph and list item on one line (GitHub shows
 * every line break of a release's notes); throws, naming the fix, when there is none to publish.
 */
export function sectionOf(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/)
  const starts = lines.flatMap((line, i) => (HEADING.exec(line)?.[1] === version ? [i] : []))
  const fix = `move the lines under "## [Unreleased]" into a new section "## [${version}] - YYYY-MM-DD" (the release date)`
  if (starts.length === 0) throw new Error(`CHANGELOG.md has no section for ${version}: ${fix}.`)
  if (starts.length > 1) throw new Error(`CHANGELOG.md has ${starts.length} sections for ${version}: keep one.`)
  const start = starts[0]!
  if (!DATED.test(HEADING.exec(lines[start]!)![2]!)) {
    throw new Error(`CHANGELOG.md's heading for ${version} has no release date: write it as "## [${version}] - YYYY-MM-DD".`)
  }
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => line.startsWith('## ') || LINK_DEFINITION.test(line))
  const body = (end === -1 ? rest : rest.slice(0, end)).join('\n').trim()
  if (body === '') throw new Error(`CHANGELOG.md's section for ${version} is empty: ${fix}.`)
  return unwrapped(body)
}

/** A line that starts a block of its own: a heading, a list item, a table row, a quote or a code fence. */
const BLOCK_START = /^\s*(?:#|[-*+]\s|\d+[.)]\s|\||>|```|~~~)/

/** Joins the lines Markdown would join anyway (a wrapped paragraph or list item); code blocks stay as they are. */
function unwrapped(markdown: string): string {
  const out: string[] = []
  let inCode = false
  let joinable = false
  for (const line of markdown.split('\n')) {
    const fence = /^\s*(?:```|~~~)/.test(line)
    if (joinable && !inCode && !fence && line.trim() !== '' && !BLOCK_START.test(line)) {
      out[out.length - 1] += ` ${line.trim()}`
      continue
    }
    out.push(line)
    if (fence) inCode = !inCode
    joinable = !inCode && !fence && line.trim() !== '' && !/^\s*(?:#|\|)/.test(line)
  }
  return out.join('\n')
}
