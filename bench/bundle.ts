/**
 * dist/ may be rebuilt while the bench runs (the build deletes and rewrites it): each run waits for a bundle
 * that has stopped changing, and the bench says when its figures span more than one build.
 */
import { readdirSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { ACTION_ENTRY } from '../test/support/action.ts'

const DIST = new URL('../dist/', import.meta.url)

/** The sizes and modification times of dist/*.js, or undefined while the entry point is missing. */
export function bundleStamp(): string | undefined {
  try {
    statSync(ACTION_ENTRY)
    return jsFiles()
      .map((f) => {
        const s = statSync(new URL(f, DIST))
        return `${f}:${s.size}@${s.mtimeMs}`
      })
      .join(' ')
  } catch {
    return undefined // missing: being rebuilt
  }
}

/** The stamp of a bundle untouched for two seconds (a build in progress has finished); gives up after two minutes. */
export async function settledBundle(): Promise<string> {
  const until = Date.now() + 120_000
  while (Date.now() < until) {
    try {
      const newest = Math.max(statSync(ACTION_ENTRY).mtimeMs, ...jsFiles().map((f) => statSync(new URL(f, DIST)).mtimeMs))
      const stamp = bundleStamp()
      if (stamp !== undefined && Date.now() - newest >= 2000) return stamp
    } catch {
      // missing: being rebuilt
    }
    await sleep(500)
  }
  throw new Error(`bench: ${ACTION_ENTRY} did not settle within two minutes (a build in progress?)`)
}

/**
 * Runs `run` on a settled bundle, and once more if it failed while the bundle changed under it. Collects the
 * stamps of the bundles behind successful runs in `builds`.
 */
export async function onSettledBundle<T>(builds: Set<string>, run: () => Promise<T>): Promise<T> {
  const stamp = await settledBundle()
  try {
    const result = await run()
    builds.add(stamp).add(bundleStamp() ?? stamp) // a rebuild during a good run: it may have loaded either
    return result
  } catch (error) {
    if (bundleStamp() === stamp) throw error
    process.stderr.write('[bench] dist/ changed during a run: running it again on the new bundle\n')
    const again = await settledBundle()
    const result = await run()
    builds.add(again)
    return result
  }
}

const jsFiles = (): string[] => readdirSync(DIST).filter((f) => f.endsWith('.js'))

/** Total size of dist/*.js (the entry point and the chunks it may load), and of the entry point alone. */
export function bundleSize(): { bytes: number; files: number; entryBytes: number } {
  const files = jsFiles()
  return {
    bytes: files.reduce((sum, f) => sum + statSync(new URL(f, DIST)).size, 0),
    files: files.length,
    entryBytes: statSync(ACTION_ENTRY).size,
  }
}
