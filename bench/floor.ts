/**
 * The round-trip floor of a rotation: what the action must do, as requests and what each must wait for, and
 * the earliest a run could finish if every request took exactly one round trip.
 *
 * The chain is derived from the rotation's rules, not from the code (docs/performance.md explains each step):
 *
 *   at once:  LWA token (current secret)  |  GitHub public key × N  |  GET expiry variable  |  GET rotation record
 *             |  SQS ReceiveMessage (look)
 *   then:     SQS GetQueueAttributes      (nothing held elsewhere; also the retention check: see below)
 *   then:     GitHub PUT, then DELETE, of a throw-away secret × N scopes (the write check), and the rotation
 *             record written (a POST): all writes, paced; the record after the queue's evidence
 *   then:     SP-API rotate               (after the checks, the write checks' PUTs and the record: nothing
 *                                          irreversible before everything it needs is proven and remembered)
 *   then:     SQS ReceiveMessage          (a long poll, answered once Amazon has delivered: the delivery delay)
 *   then:     LWA token (new secret)      (verify before storing)
 *   then:     GitHub PUT secret × N       (writes: GitHub's pacing, one at a time, minTime apart)
 *   then:     GitHub GET secret × N       (each write read back)
 *   then:     SQS DeleteMessage  |  GitHub PATCH expiry variable  |  DELETE rotation record (writes: paced)
 *
 * The queue gives its evidence in two round trips either way. On a queue holding messages, the look answers
 * at once and the GetQueueAttributes after it counts what another consumer holds. On an empty queue, the
 * action sends GetQueueAttributes beside the look, and the look's silence one round trip past that answer is
 * what shows nothing waits: the same two round trips, so the graph keeps the first form.
 *
 * The longest chain is 8 requests. The floor is not simply 8 × latency + delivery + pacing: the rotate's
 * answer travels while the delivery delay runs, and the last PUT and its read-back fit inside the last pacing
 * interval. So the floor is computed on this graph: each request takes `latencyMs` (its answer is late, it
 * acts on arrival), the long poll answers no sooner than `deliveryMs` after the rotate arrived, and each write
 * starts no sooner than `writeIntervalMs` after the previous one.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export type Service = 'SQS' | 'LWA' | 'SP-API' | 'GitHub'

/** One request the action must make. */
export interface MustRequest {
  id: string
  service: Service
  /** The SQS action or the HTTP method, for the counts. */
  kind: string
  /** Requests whose answers this one must wait for. */
  after: string[]
  /** A mutating GitHub request: paced. */
  write?: boolean
  /** A long poll for the message that the request `waitsForDeliveryOf` makes Amazon send. */
  waitsForDeliveryOf?: string
}

/** What a rotation to `targets` GitHub targets (repository or environment secrets) must request, in an order that respects `after`. */
export function mustRequests(targets: number): MustRequest[] {
  const n = Array.from({ length: targets }, (_, i) => i)
  const keys = n.map((i) => `public-key-${i}`)
  const readBacks = n.map((i) => `read-back-${i}`)
  return [
    // Preflight and the first look at once: none of them changes anything.
    { id: 'token', service: 'LWA', kind: 'POST token', after: [] },
    ...keys.map((id): MustRequest => ({ id, service: 'GitHub', kind: 'GET', after: [] })),
    { id: 'expiry-read', service: 'GitHub', kind: 'GET', after: [] },
    { id: 'record-read', service: 'GitHub', kind: 'GET', after: [] },
    { id: 'look', service: 'SQS', kind: 'ReceiveMessage', after: [] },
    // Two round trips of queue evidence before the rotate (see above); this one answers the retention check too.
    { id: 'in-flight', service: 'SQS', kind: 'GetQueueAttributes', after: ['look'] },
    // The write check of each target's scope (each bench target is a scope of its own), and the record.
    ...n.map((i): MustRequest => ({ id: `check-put-${i}`, service: 'GitHub', kind: 'PUT', after: [keys[i]!], write: true })),
    {
      id: 'record-write',
      service: 'GitHub',
      kind: 'POST',
      after: ['token', ...keys, 'expiry-read', 'record-read', 'in-flight'],
      write: true,
    },
    ...n.map((i): MustRequest => ({ id: `check-delete-${i}`, service: 'GitHub', kind: 'DELETE', after: [`check-put-${i}`], write: true })),
    {
      id: 'rotate',
      service: 'SP-API',
      kind: 'POST rotate',
      after: ['token', ...keys, 'expiry-read', 'record-read', 'in-flight', 'record-write', ...n.map((i) => `check-put-${i}`)],
    },
    { id: 'receive', service: 'SQS', kind: 'ReceiveMessage', after: ['rotate'], waitsForDeliveryOf: 'rotate' },
    { id: 'verify', service: 'LWA', kind: 'POST token', after: ['receive'] },
    ...n.map((i): MustRequest => ({ id: `put-${i}`, service: 'GitHub', kind: 'PUT', after: ['verify', keys[i]!], write: true })),
    ...n.map((i): MustRequest => ({ id: readBacks[i]!, service: 'GitHub', kind: 'GET', after: [`put-${i}`] })),
    // Only once every target shows the new secret: the message goes, and the expiry is recorded.
    { id: 'commit', service: 'SQS', kind: 'DeleteMessage', after: readBacks },
    { id: 'expiry-write', service: 'GitHub', kind: 'PATCH', after: readBacks, write: true },
    { id: 'record-clear', service: 'GitHub', kind: 'DELETE', after: readBacks, write: true },
  ]
}

export interface Floor {
  ms: number
  /** Requests on the longest chain of `after` links. */
  chain: number
  writes: number
  /** chain × latency + delivery + (writes − 1) × interval: the plain sum, which double-counts the overlaps. */
  sum: number
}

export function floorOf(requests: MustRequest[], o: { latencyMs: number; deliveryMs: number; writeIntervalMs: number }): Floor {
  const start = new Map<string, number>()
  const end = new Map<string, number>()
  const depth = new Map<string, number>()
  let lastWrite: number | undefined
  for (const r of requests) {
    const deps = r.after.map((id) => {
      const e = end.get(id)
      if (e === undefined) throw new Error(`floor: ${r.id} is listed before ${id}`)
      return e
    })
    let s = Math.max(0, ...deps)
    if (r.write) {
      if (lastWrite !== undefined) s = Math.max(s, lastWrite + o.writeIntervalMs)
      lastWrite = s
    }
    const answerable = r.waitsForDeliveryOf === undefined ? s : Math.max(s, start.get(r.waitsForDeliveryOf)! + o.deliveryMs)
    start.set(r.id, s)
    end.set(r.id, answerable + o.latencyMs)
    depth.set(r.id, 1 + Math.max(0, ...r.after.map((id) => depth.get(id)!)))
  }
  const chain = Math.max(...depth.values())
  const writes = requests.filter((r) => r.write).length
  return {
    ms: Math.max(...end.values()),
    chain,
    writes,
    sum: chain * o.latencyMs + o.deliveryMs + Math.max(0, writes - 1) * o.writeIntervalMs,
  }
}

/** Requests per service, and per SQS action / HTTP method. */
export function mustCounts(requests: MustRequest[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const r of requests) {
    counts.set(r.service, (counts.get(r.service) ?? 0) + 1)
    counts.set(`${r.service} ${r.kind}`, (counts.get(`${r.service} ${r.kind}`) ?? 0) + 1)
  }
  return counts
}

export interface WritePacing {
  minTime: number
  maxConcurrent: number
  source: string
}

/**
 * GitHub asks for at least a second between mutating requests; @octokit/plugin-throttling's 'write' group is how
 * the action keeps to it. Read from the installed plugin, so the floor follows the version in use.
 */
export function writePacing(): WritePacing {
  const file = fileURLToPath(import.meta.resolve('@octokit/plugin-throttling'))
  const m = /id:\s*"octokit-write",\s*maxConcurrent:\s*([\d.e]+),\s*minTime:\s*([\d.e]+)/.exec(readFileSync(file, 'utf8'))
  if (!m) return { minTime: 1000, maxConcurrent: 1, source: "GitHub's guidance (the plugin's 'write' group was not found)" }
  const version = (JSON.parse(readFileSync(new URL('../package.json', `file://${file}`), 'utf8')) as { version: string }).version
  return { maxConcurrent: Number(m[1]), minTime: Number(m[2]), source: `@octokit/plugin-throttling ${version} 'write' group` }
}
