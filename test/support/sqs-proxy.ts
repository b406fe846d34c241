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

export interface SqsProxy {
  endpoint: string
  /** Requests seen per action. */
  counts: Partial<Record<SqsAction, number>>
  failNext(action: SqsAction, fault: SqsFault): void
  /** Resolves when the next request for `action` arrives; the request is held until `release()` or close. */
  holdNext(action: SqsAction): Promise<void>
  close(): Promise<void>
}

export async function startSqsProxy(upstream: string): Promise<SqsProxy> {
  const target = new URL(upstream)
  const faults = new Map<string, SqsFault[]>()
  const holds = new Map<string, Array<() => void>>()
  const sockets = new Set<Socket>()
  const counts: SqsProxy['counts'] = {}

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '') as SqsAction
    counts[action] = (counts[action] ?? 0) + 1
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
      res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${fault.type};Sender` })
      res.end(JSON.stringify({ __type: `com.amazonaws.sqs#${fault.type}`, message: `injected ${fault.type}` }))
      return
    }
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers)
        upstreamResponse.pipe(res)
      },
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
    failNext(action, fault) {
      faults.set(action, [...(faults.get(action) ?? []), { ...fault, times: fault.times ?? 1 }])
    },
    holdNext(action) {
      return new Promise((resolve) => holds.set(action, [...(holds.get(action) ?? []), resolve]))
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
