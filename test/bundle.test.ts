/**
 * What the start chunk (dist/index.js) holds. Node compiles all of it on every run, input errors included, so
 * the heavy libraries live in chunks loaded on first use (src/lib/lazy.ts, src/shell/main.ts). Each library is
 * recognised by a string of its own code; a marker that no chunk holds any more would prove nothing, so each
 * must also be found in some other chunk.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const start = readFileSync(join(dist, 'index.js'), 'utf8')
const chunks = readdirSync(dist)
  .filter((f) => /^\d+\.index\.js$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(join(dist, f), 'utf8') }))

const HEAVY: Array<[library: string, marker: string, hint?: string]> = [
  [
    '@actions/http-client (OIDC client of @actions/core)',
    'class HttpClientError',
    'npm ci marks @actions/core free of import-time side effects (scripts/postinstall.ts), so that the bundle can leave out its unused OIDC client: was it run with --ignore-scripts, or is @actions/core a version the script does not list?',
  ],
  ['undici (either copy)', 'undici:request:create'],
  ['the AWS SDK', 'aws-sdk-js'],
  ['Octokit', 'octokit-core.js'],
  ['libsodium', 'crypto_box_seal'],
]

describe('the start chunk', () => {
  it.each(HEAVY)('holds none of %s', (library, marker, hint) => {
    expect(
      chunks.some((c) => c.text.includes(marker)),
      `no chunk holds '${marker}' any more: find another string that only ${library} has`,
    ).toBe(true)
    expect(start.includes(marker), `dist/index.js holds ${library}${hint ? `. ${hint}` : ''}`).toBe(false)
  })
})
