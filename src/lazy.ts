/**
 * Adapters built on first use, so that the modules behind them (the AWS SDK, Octokit) load only when a run
 * needs them, beside its first requests rather than before them; an input error or a check run never pays
 * for them. Every method of such an adapter returns a promise, so a call can wait for the module.
 */

/** `make` runs once, on the first call of any method; `fields` are properties known without it. */
export function lazily<T extends object>(make: () => Promise<T>, fields: Partial<T> = {}): T {
  let made: Promise<T> | undefined
  return new Proxy(fields as T, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof T]
      if (prop === 'then') return undefined // never mistaken for a promise itself
      return (...args: unknown[]) =>
        (made ??= make()).then((adapter) => (adapter[prop as keyof T] as (...a: unknown[]) => unknown).apply(adapter, args))
    },
  })
}
