/**
 * A loopback HTTP proxy in front of the SQS server that can fail, delay or hold requests by SQS action
 * (the x-amz-target header of the JSON protocol), so tests can inject SQS errors, throttling, and a process
 * kill at the exact moment a DeleteMessage is on its way.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type SqsAction = 'ReceiveMessage' | 'DeleteMessage' | 'ChangeMessageVisibility' | 'GetQueueAttributes' | 'SendMessage'

export interface SqsFault {
  /** HTTP status and the JSON-protocol error type, e.g. 500 InternalError or 400 ThrottlingException. */
  status: number
  type: string
  /** Keep the request open without answering (until the proxy closes). */
  hang?: boolean
  times?: number
}

export interface SqsProxyOptions {
  /**
   * Delay every answer by this long (default 0), faults included: a network round trip, for the benchmark.
   * The request reaches SQS at once, so a long poll is already waiting when a message arrives.
   */
  latencyMs?: number
}

export interface SqsProxy {
  endpoint: string
  /** Requests seen per action. */
  counts: Partial<Record<SqsAction, number>>
  /** Every request, in order of arrival, with Date.now() when it arrived (the benchmark's first request). */
  requests: Array<{ action: SqsAction; at: number }>
  failNext(action: SqsAction, fault: SqsFault): void
  /** Resolves when the next request for `action` arrives; the request is held until `release()` or close. */
  holdNext(action: SqsAction): Promise<void>
  /** Drops the faults and holds still queued (a hold dropped this way never resolves). */
  clearFaults(): void
  close(): Promise<void>
}

export async function startSqsProxy(upstream: string, options: SqsProxyOptions = {}): Promise<SqsProxy> {
  const latencyMs = options.latencyMs ?? 0
  const target = new URL(upstream)
  const faults = new Map<string, SqsFault[]>()
  const holds = new Map<string, Array<() => void>>()
  const sockets = new Set<Socket>()
  const counts: SqsProxy['counts'] = {}
  const requests: SqsProxy['requests'] = []
  const timers = new Set<NodeJS.Timeout>()
  /** Runs `answer` after the latency (at once without one); dropped when the proxy closes. */
  const later = (answer: () => void): void => {
    if (latencyMs <= 0) return answer()
    const timer = setTimeout(() => {
      timers.delete(timer)
      answer()
    }, latencyMs)
    timers.add(timer)
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '') as SqsAction
    counts[action] = (counts[action] ?? 0) + 1
    requests.push({ action, at: Date.now() })
    const hold = holds.get(action)?.shift()
    if (hold) {
      hold()
      return // held: never answered, like a request lost with the process that sent it
    }
    const queue = faults.get(action) ?? []
    const fault = queue[0]
    if (fault) {
      if (--fault.times! <= 0) queue.shift()
      if (fault.hang) return
      req.resume()
      later(() => {
        if (res.destroyed) return
        res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${fault.type};Sender` })
        res.end(JSON.stringify({ __type: `com.amazonaws.sqs#${fault.type}`, message: `injected ${fault.type}` }))
      })
      return
    }
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamResponse) =>
        // The answer stays paused in the stream until it is piped.
        later(() => {
          if (res.destroyed) return void upstreamResponse.resume() // the client gave up meanwhile
          res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers)
          upstreamResponse.pipe(res)
        }),
    )
    upstreamRequest.on('error', () => res.destroy())
    req.pipe(upstreamRequest)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    requests,
    failNext(action, fault) {
      faults.set(action, [...(faults.get(action) ?? []), { ...fault, times: fault.times ?? 1 }])
    },
    holdNext(action) {
      return new Promise((resolve) => holds.set(action, [...(holds.get(action) ?? []), resolve]))
    },
    clearFaults() {
      faults.clear()
      holds.clear()
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
