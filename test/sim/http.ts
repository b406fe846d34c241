// Shared plumbing for the loopback HTTP simulators in this folder: request recording, queued faults,
// bounded body reading, and a close() that never leaves a socket or timer behind.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** A canned failure served instead of the normal answer. */
export interface Fault {
  status: number
  /** Object -> JSON; string -> sent as is; undefined -> no body. */
  body?: unknown
  headers?: Record<string, string>
  /** Wait this long before answering. */
  delayMs?: number
  /** Never answer: the socket stays open until the client gives up or the simulator closes. */
  hang?: boolean
  /** How many requests this fault serves (default 1). */
  times?: number
}

export interface RecordedRequest {
  method: string
  /** Raw request path, query string included. */
  path: string
  headers: Record<string, string | string[] | undefined>
  /** Raw request body (UTF-8). May hold secrets: assert on it, never print it. */
  body: string
  /** Date.now() when the request had been read completely. */
  at: number
}

/** What a route handler gets. */
export interface SimRequest {
  method: string
  /** Raw path, query string included. */
  url: string
  /** Raw (still percent-encoded) path without the query string. */
  pathname: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  /** Set when the body was larger than the simulator's limit; `body` is then empty. */
  bodyTooLarge: boolean
}

export interface SimResponse {
  status: number
  headers?: Record<string, string>
  /** Object -> JSON; string -> as is; undefined -> no body. */
  body?: unknown
}

/** What a handler may return: an answer, or `hang` to leave the request unanswered. */
export type HandlerResult = SimResponse | 'hang'

export interface LoopbackServer {
  url: string
  requests: RecordedRequest[]
  /** Run `fn` after `ms` unless the server closes first. */
  later(ms: number, fn: () => void): void
  close(): Promise<void>
}

/** Requests bodies above this are not buffered (the simulators answer 413 or 422 instead). */
const MAX_BODY_BYTES = 1024 * 1024

export interface LoopbackServerOptions {
  /**
   * Delay every answer by this long (default 0): a network round trip, for the benchmark. The request is
   * handled on arrival, as a remote server would; only its answer waits, so state changes (and timers such as
   * a notification delivery) start when the request arrives.
   */
  latencyMs?: number
}

/**
 * Starts a node:http server on 127.0.0.1 with an ephemeral port. `handle` is called once per request after
 * the body has been read; the request is recorded before `handle` runs, so faults are recorded too.
 */
export async function startLoopbackServer(
  handle: (req: SimRequest) => HandlerResult | Promise<HandlerResult>,
  options: LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const latencyMs = options.latencyMs ?? 0
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let closed = false

  const later = (ms: number, fn: () => void): void => {
    if (closed) return
    const t = setTimeout(() => {
      timers.delete(t)
      if (!closed) fn()
    }, ms)
    timers.add(t)
  }

  const server: Server = createServer((req, res) => {
    readBody(req)
      .then(async ({ body, tooLarge }) => {
        const url = req.url ?? '/'
        const q = url.indexOf('?')
        const simReq: SimRequest = {
          method: req.method ?? 'GET',
          url,
          pathname: q === -1 ? url : url.slice(0, q),
          query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
          headers: req.headers,
          body,
          bodyTooLarge: tooLarge,
        }
        requests.push({ method: simReq.method, path: url, headers: { ...req.headers }, body, at: Date.now() })
        const result = await handle(simReq)
        if (result === 'hang') return // close() destroys the socket
        if (latencyMs > 0) await new Promise<void>((resolve) => later(latencyMs, resolve))
        send(res, result)
      })
      .catch((err: unknown) => {
        // A simulator bug must show up as a failed request, not as a hung test.
        if (!res.headersSent) send(res, { status: 500, body: { message: `simulator error: ${String(err)}` } })
        else res.destroy()
      })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    later,
    async close() {
      if (closed) return
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      const done = new Promise<void>((resolve) => server.close(() => resolve()))
      // Hung requests and idle keep-alive connections would otherwise keep close() waiting forever.
      for (const s of sockets) s.destroy()
      server.closeAllConnections()
      await done
    },
  }
}

/**
 * Resolves after `ms`. After close() it never resolves: whatever awaited it was serving a request whose socket
 * close() has destroyed, so nothing is left waiting on it.
 */
export function delay(server: Pick<LoopbackServer, 'later'>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    server.later(ms, resolve)
  })
}

function readBody(req: IncomingMessage): Promise<{ body: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) tooLarge = true
      else chunks.push(c)
    })
    req.on('end', () => resolve({ body: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge }))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, r: SimResponse): void {
  const headers: Record<string, string> = { ...r.headers }
  let payload: string | undefined
  if (typeof r.body === 'string') payload = r.body
  else if (r.body !== undefined) {
    payload = JSON.stringify(r.body)
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json; charset=utf-8'
    }
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload))
  res.writeHead(r.status, headers)
  res.end(payload)
}

/** One queued fault plus whatever decides which requests it applies to. */
interface QueuedFault<M> {
  match: M
  fault: Fault
  left: number
}

/** Faults served in the order they were queued; each one serves `times` matching requests. */
export class FaultQueue<M> {
  private readonly queue: QueuedFault<M>[] = []

  add(match: M, fault: Fault): void {
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new Error(`Fault.times must be a positive integer, got ${times}`)
    this.queue.push({ match, fault, left: times })
  }

  /** Takes (consumes one use of) the first queued fault whose matcher accepts the request. */
  take(accepts: (match: M) => boolean): Fault | undefined {
    const i = this.queue.findIndex((q) => accepts(q.match))
    if (i === -1) return undefined
    const q = this.queue[i]!
    q.left -= 1
    if (q.left === 0) this.queue.splice(i, 1)
    return q.fault
  }

  get size(): number {
    return this.queue.length
  }

  /** Drops every fault still queued (the fault soak's clean runs start without the faults a faulty run left unused). */
  clear(): void {
    this.queue.length = 0
  }
}

/** Serves a fault: waits delayMs (bounded by close()), then answers, or hangs. */
export async function serveFault(
  server: Pick<LoopbackServer, 'later'>,
  fault: Fault,
  defaultHeaders: Record<string, string>,
): Promise<HandlerResult> {
  if (fault.hang) return 'hang'
  if (fault.delayMs !== undefined && fault.delayMs > 0) await delay(server, fault.delayMs)
  return { status: fault.status, headers: mergeHeaders(defaultHeaders, fault.headers), body: fault.body }
}

/** Header merge where `override` wins whatever the letter case. */
export function mergeHeaders(base: Record<string, string>, override: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  const overridden = new Set(Object.keys(override ?? {}).map((k) => k.toLowerCase()))
  for (const [k, v] of Object.entries(base)) if (!overridden.has(k.toLowerCase())) out[k] = v
  return { ...out, ...override }
}

/** First value of a header, lower-cased name lookup. */
export function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}

/** The media type of a Content-Type header without parameters, lower-cased ('' when absent). */
export function mediaType(headers: IncomingMessage['headers']): string {
  return (header(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}
