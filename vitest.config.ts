import { availableParallelism } from 'node:os'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/** Fast tests that start no process: `npm run test:unit` (`vitest run --project unit`). */
const UNIT = [
  'test/unit/**/*.test.ts',
  'test/sim/**/*.test.ts',
  'test/readme.test.ts',
  'test/workflows.test.ts',
  'test/runtime.test.ts',
  'test/reliability/docs.test.ts',
  'test/aws-template.test.ts',
  'test/bundle.test.ts',
  // The soak's checks and draw, on recorded episodes: nothing runs.
  'test/soak/invariants.test.ts',
]

/**
 * The order files start in. First the reliability suite: it mostly waits (its longest case about 70 s), so the
 * rest of the run fits inside it. Last the dist/ freshness check: its ncc build is the one long CPU-bound job,
 * better run while the others wait than while they start their runs. In between, the base order (cached
 * durations, longest first; sizes on a fresh clone, which alone could start the suite last).
 */
const rank = (file: TestSpecification) =>
  file.moduleId.endsWith('/test/reliability/reliability.test.ts') ? 0 : file.moduleId.endsWith('/test/dist.test.ts') ? 2 : 1

class WaitingFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: the base order stays within a rank.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

export default defineConfig({
  test: {
    // End-to-end cases spawn the bundled action and wait on real servers; every wait inside is bounded too.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // The default (CPUs - 1) is one worker on a 2-CPU machine, so each file would wait for the one before. The
    // end-to-end files mostly wait on timers and servers rather than compute, so more of them run side by side.
    maxWorkers: Math.max(4, availableParallelism() - 1),
    sequence: { sequencer: WaitingFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: {
          // Everything else: the bundled action run as a child process (test/e2e, the reliability suite) and the
          // dist/ freshness check (an ncc build). A new test file lands here unless listed in UNIT.
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          // Concurrent cases (the reliability suite, the concurrent end-to-end suites) mostly wait: 12 at a time rather
          // than the default 5. Not all at once: each starts the action, and on 2 CPUs a burst of dozens of starts
          // delays the long waits that end the run (reliability.test.ts starts them first).
          maxConcurrency: 12,
        },
      },
    ],
  },
})
