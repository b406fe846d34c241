/**
 * The soak's source of chance: mulberry32, written out here rather than taken from a package, because a seed must
 * draw the same episode on every machine and in every later version of this repository, and the generator is five
 * lines. Not for anything but tests.
 */

export interface Rng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number
  /** True with probability p. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[]
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The generator of one episode: its own stream, so episode E of seed S is the same whichever episodes run beside it. */
export function episodeRng(seed: number, episode: number): Rng {
  // Two rounds of mulberry32 mix the pair into one well-spread 32-bit seed.
  const next = mulberry32(mulberry32(seed)() * 4294967296 + Math.imul(episode + 1, 0x9e3779b1))
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    sample(items, count) {
      const left = [...items]
      const out: (typeof items)[number][] = []
      while (out.length < count && left.length) out.push(left.splice(Math.floor(next() * left.length), 1)[0]!)
      return out
    },
  }
  return rng
}
