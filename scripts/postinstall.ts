/**
 * Run by `npm ci` and `npm install`. Marks @actions/core free of import-time side effects ("sideEffects": false),
 * the hint the bundler needs to leave out what the action never calls: the OIDC client, and with it
 * @actions/http-client and its undici (about 0.9 MB the start chunk would compile on every run). Upstream has no
 * such hint yet (actions/toolkit#1697, #1893). It drops nothing in use: a module whose exports are used stays.
 * It is only true if no module of the package acts when imported, so it is set only for versions whose lib/*.js
 * were read for that; any other is left alone, and test/bundle.test.ts fails until it has been read and listed.
 * One JSON field, so no patching tool: its dependencies would sit beside the runtime ones, and debug (bundled
 * for the proxy) picks up supports-color when it can resolve it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const READ: Record<string, string[]> = { '@actions/core': ['3.0.1'] }

for (const [name, versions] of Object.entries(READ)) {
  const file = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url))
  if (!existsSync(file)) continue
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version: string; sideEffects?: unknown }
  if (pkg.sideEffects !== undefined) continue // upstream says so itself, or an earlier install did
  if (!versions.includes(pkg.version)) {
    console.warn(
      `postinstall: ${name}@${pkg.version} has not been read for import-time side effects, so it is not marked free of them; ` +
        `its unused parts stay in the start chunk until scripts/postinstall.ts lists this version.`,
    )
    continue
  }
  writeFileSync(file, `${JSON.stringify({ ...pkg, sideEffects: false }, null, 2)}\n`)
}
