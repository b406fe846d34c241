// Preloaded with --import: this process resolves no host name but localhost. A run behind the test proxy names
// Amazon's real hosts, which only the proxy resolves (to the simulators); a request that skipped the proxy then
// fails here, as a DNS failure, instead of leaving the machine.
import dns from 'node:dns'

const lookup = dns.lookup
const local = new Set(['localhost', 'localhost.'])

dns.lookup = function (hostname: string, options: unknown, callback?: unknown) {
  if (local.has(String(hostname).toLowerCase())) {
    Reflect.apply(lookup, dns, [hostname, options, callback])
    return
  }
  const done = (typeof options === 'function' ? options : callback) as (error: NodeJS.ErrnoException) => void
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname })
  process.nextTick(done, error)
} as typeof dns.lookup
