import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end cases spawn the bundled action and wait on real servers; every wait inside is bounded too.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Builds dist once into a scratch folder for the freshness check; see test/dist.test.ts.
    reporters: ['default'],
  },
})
