/**
 * Run by `npm ci` and `npm install` (the `postinstall` script). It declares @actions/core free of import-time
 * side effects ("sideEffects": false in its package.json), a hint the bundler needs to leave out the parts of
 * it this action never calls: its OIDC client (core.getIDToken), and with it @actions/http-client and its copy
 * of undici, about 0.9 MB that the start chunk would otherwise compile on every run, input errors included.
 * Upstream ships no such hint yet (actions/toolkit#1697, #1893).
 *
 * The hint drops nothing the bundle uses: a module whose exports are used stays in whatever the flag says. It
 * is only true if no module of the package does anything when imported, so it is set only for the versions
 * whose lib/*.js were read for that (top-level code: declarations, os.platform() and the like). Any other
 * version is left as it is, with a warning; test/bundle.test.ts then fails until that version has been read
 * and added below. Written here rather than with a patching tool: one JSON field, and a tool's own
 * dependencies would land beside the runtime ones (debug picks up supports-color when it can resolve it).
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
