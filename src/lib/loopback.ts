/**
 * Which hosts are this machine: `localhost` and the loopback addresses, 127.0.0.0/8 and ::1. Names under
 * `.localhost` are not: RFC 6761 asks resolvers to send them to loopback, but not every resolver does, and behind
 * a proxy the proxy resolves them however it likes. Checking their addresses once would not bind the connection
 * made later to them, so they are treated as any other name: https, and the proxy when one is set.
 * Pure: no I/O.
 */
import { BlockList, isIP } from 'node:net'

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** `host` as in a URL (IPv6 in brackets or not, a final dot or not). */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
  if (name === 'localhost') return true
  const family = isIP(name)
  return family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6')
}
