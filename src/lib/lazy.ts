/**
 * Adapters built on first use, so that the modules behind them (the AWS SDK, Octokit) load only when a run
 * needs them, beside its first requests rather than before them; an input error or a check run never pays
 * for them. Every method of such an adapter returns a promise, so a call can wait for the module.
 */

/** A factory whose promise is made on the first call and shared by every later one. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
}

/** `make` runs once, on the first call of any method; `fields` are properties known without it. */
export function lazily<T extends object>(make: () => Promise<T>, fields: Partial<T> = {}): T {
  const adapter = once(make)
  return new Proxy(fields as T, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof T]
      if (prop === 'then') return undefined // never mistaken for a promise itself
      return (...args: unknown[]) => adapter().then((made) => (made[prop as keyof T] as (...a: unknown[]) => unknown).apply(made, args))
    },
  })
}
