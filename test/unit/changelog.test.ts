/**
 * The release notes (scripts/changelog.ts, run by the release workflow through scripts/release-notes.ts): the
 * section of the version a tag names, and clear failures when there is none or the tag and package.json
 * disagree. Then CHANGELOG.md itself, so that tagging package.json's version would publish.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { sectionOf, versionOfTag } from '../../scripts/changelog.ts'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

const CHANGELOG = `# Changelog

Intro text.

## [Unreleased]

### Fixed

- Something not released yet.

## [1.1.0] - 2026-12-04

### Added

- A feature whose line is
  wrapped in the source.
- Another one:

  \`\`\`yaml
  with:
    kept: as is
  \`\`\`

### Fixed

- A fix.

## [1.0.0] - 2026-06-01

### Added

- The first release.

[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0
`

describe('sectionOf', () => {
  it("returns a version's section up to the next version, its wrapped lines joined and code kept", () => {
    expect(sectionOf(CHANGELOG, '1.1.0')).toBe(
      [
        '### Added',
        '',
        '- A feature whose line is wrapped in the source.',
        '- Another one:',
        '',
        '  ```yaml',
        '  with:',
        '    kept: as is',
        '  ```',
        '',
        '### Fixed',
        '',
        '- A fix.',
      ].join('\n'),
    )
  })

  it('stops the last section at the link definitions', () => {
    expect(sectionOf(CHANGELOG, '1.0.0')).toBe('### Added\n\n- The first release.')
  })

  it('fails, naming the fix, when the version has no section', () => {
    expect(() => sectionOf(CHANGELOG, '1.2.0')).toThrow(
      'CHANGELOG.md has no section for 1.2.0: move the lines under "## [Unreleased]" into a new section "## [1.2.0] - YYYY-MM-DD"',
    )
  })

  it('fails when the section has no release date, is empty, or appears twice', () => {
    expect(() => sectionOf(CHANGELOG.replace('## [1.1.0] - 2026-12-04', '## [1.1.0]'), '1.1.0')).toThrow(/no release date/)
    expect(() => sectionOf('## [2.0.0] - 2026-12-04\n\n## [1.0.0] - 2026-06-01\n\n- x\n', '2.0.0')).toThrow(/section for 2.0.0 is empty/)
    expect(() => sectionOf(`${CHANGELOG}\n## [1.0.0] - 2026-06-01\n\n- again\n`, '1.0.0')).toThrow(/2 sections for 1.0.0/)
  })
})

describe('versionOfTag', () => {
  it('reads X.Y.Z from a vX.Y.Z tag that matches package.json', () => {
    expect(versionOfTag('v1.1.0', '1.1.0')).toBe('1.1.0')
  })

  it("fails, naming both versions and the fix, when the tag and package.json's version disagree", () => {
    expect(() => versionOfTag('v1.2.0', '1.1.0')).toThrow(
      'Tag v1.2.0 does not match package.json, whose version is 1.1.0. Set the version with `npm version 1.2.0 --no-git-tag-version`',
    )
  })

  it.each(['1.1.0', 'v1.1', 'v1', 'v1.1.0-rc.1', 'release-1.1.0'])('refuses %j as a release tag', (tag) => {
    expect(() => versionOfTag(tag, '1.1.0')).toThrow(/is not a release tag: release tags are vX\.Y\.Z/)
  })
})

describe('CHANGELOG.md', () => {
  const changelog = read('CHANGELOG.md')
  const { version } = JSON.parse(read('package.json')) as { version: string }
  const versions = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/gm)].map((m) => m[1]!)

  it("has the notes of package.json's version, so that tagging it publishes a release", () => {
    expect(sectionOf(changelog, versionOfTag(`v${version}`, version))).not.toBe('')
    expect(versions[0], 'the newest release comes first').toBe(version)
  })

  it('opens with Unreleased, and every other section is a dated release', () => {
    const headings = [...changelog.matchAll(/^## (.*)$/gm)].map((m) => m[1]!)
    expect(headings[0]).toBe('[Unreleased]')
    // Every heading after Unreleased is one of the dated versions, in the same order.
    expect(headings.slice(1).map((h) => /^\[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$/.exec(h)?.[1] ?? h)).toEqual(versions)
  })

  it('uses each kind of change at most once per section, only with a list under it', () => {
    const sections = changelog.split(/^## /m).slice(1)
    for (const section of sections) {
      const name = section.slice(0, section.indexOf('\n'))
      const kinds = [...section.matchAll(/^### (.*)$/gm)].map((m) => m[1]!)
      expect(new Set(kinds).size, `${name}: a heading used twice`).toBe(kinds.length)
      for (const kind of kinds) expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'], name).toContain(kind)
      for (const block of section.split(/^### /m).slice(1)) {
        expect(block, `${name}: ### ${block.slice(0, block.indexOf('\n'))} has no list`).toMatch(/^- \S/m)
      }
    }
  })

  it('links Unreleased and every version', () => {
    expect(changelog).toMatch(new RegExp(`^\\[Unreleased\\]: https://\\S+/compare/v${version.replaceAll('.', '\\.')}\\.\\.\\.HEAD$`, 'm'))
    for (const v of versions) expect(changelog, v).toMatch(new RegExp(`^\\[${v.replaceAll('.', '\\.')}\\]: https://\\S+$`, 'm'))
  })
})
