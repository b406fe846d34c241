// Build input for the third-party licenses only (scripts/build.ts): every module the action may load,
// imported statically and exported, so that one chunk holds all of them and ncc writes one complete
// licenses file (with dynamic imports, ncc writes one per chunk to the same name, and the last one wins).
export { run } from '../src/main.js'
export { createSecretsManagerStore } from '../src/secrets-manager.js'
