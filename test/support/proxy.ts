/**
 * A forward HTTP proxy on 127.0.0.1 for end-to-end runs behind a proxy. It knows a few made-up host names
 * (amazon.localhost, …), each standing for a simulator's loopback origin, and records every request it
 * carries for them: absolute-form requests (GET http://host:port/path) and requests inside a CONNECT tunnel.
 * Those names are not loopback to the action, so its endpoints there are https: the proxy ends the TLS of each
 * tunnel itself, with a certificate for its names made when it starts (`caFile`, for the action's
 * NODE_EXTRA_CA_CERTS), reads the request, and forwards it in plain HTTP to the simulator. Any other host is
 * refused (502) and recorded.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSecureContext, TLSSocket } from 'node:tls'

export interface CarriedRequest {
  /** The host name the client asked for, e.g. 'amazon.localhost'. */
  host: string
  method: string
  path: string
  via: 'absolute-form' | 'CONNECT'
}

export interface TestProxy {
  /** http://127.0.0.1:PORT: the value for HTTPS_PROXY / HTTP_PROXY. */
  url: string
  carried: CarriedRequest[]
  /** Requests carried for `host`. */
  count(host: string): number
  /** Every host name a client asked for, known or not. */
  hostsSeen(): string[]
  /** Host names asked for that the proxy does not know (answered 502). */
  refused: string[]
  /** The certificate the proxy shows for its names (PEM file): the action's NODE_EXTRA_CA_CERTS. */
  caFile: string
  close(): Promise<void>
}

/**
 * A self-signed certificate for `names`, made by openssl: a key for tests only, never kept. (Node has no API
 * that writes a certificate.)
 */
function certificateFor(names: string[]): { dir: string; key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'test-proxy-'))
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
      ...['-subj', '/CN=test proxy', '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`],
      ...['-keyout', keyFile, '-out', certFile],
    ],
    { stdio: 'ignore', timeout: 10_000 },
  )
  return { dir, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile }
}

/** `names` maps each made-up host name to the origin it stands for, e.g. 'amazon.localhost' → 'http://127.0.0.1:4100'. */
export async function startProxy(names: Record<string, string>): Promise<TestProxy> {
  const carried: CarriedRequest[] = []
  const refused: string[] = []
  const seen = new Set<string>()
  const sockets = new Set<Socket>()
  const tunnels = new WeakMap<Socket, string>()
  const tls = certificateFor(Object.keys(names))
  const secureContext = createSecureContext({ key: tls.key, cert: tls.cert })

  const carry = (host: string, via: CarriedRequest['via'], path: string, req: IncomingMessage, res: ServerResponse) => {
    seen.add(host)
    const origin = names[host]
    if (!origin) {
      refused.push(host)
      req.resume()
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`the test proxy does not know ${host}`)
      return
    }
    carried.push({ host, method: req.method ?? 'GET', path, via })
    const upstream = new URL(origin)
    const headers = { ...req.headers }
    delete headers['proxy-connection']
    delete headers['proxy-authorization']
    const out = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    out.on('error', () => res.destroy())
    req.pipe(out)
  }

  // Requests read from inside CONNECT tunnels, once their TLS is ended here: the tunnel's target names the host.
  const inner = createServer((req, res) => carry(tunnels.get(req.socket) ?? '', 'CONNECT', req.url ?? '/', req, res))

  const server = createServer((req, res) => {
    let url: URL
    try {
      url = new URL(req.url ?? '')
    } catch {
      req.resume()
      res.writeHead(400).end('absolute-form requests only')
      return
    }
    carry(url.hostname, 'absolute-form', url.pathname + url.search, req, res)
  })
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const host = (req.url ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')
    seen.add(host)
    if (!names[host]) {
      refused.push(host)
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n')
      return
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length) socket.unshift(head)
    const tunnel = new TLSSocket(socket, { isServer: true, secureContext })
    tunnel.on('error', () => socket.destroy())
    tunnels.set(tunnel, host)
    inner.emit('connection', tunnel)
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    carried,
    count: (host) => carried.filter((r) => r.host === host).length,
    hostsSeen: () => [...seen].sort(),
    refused,
    caFile: tls.certFile,
    async close() {
      for (const socket of sockets) socket.destroy()
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => inner.close(() => resolve())),
      ])
      rmSync(tls.dir, { recursive: true, force: true })
    },
  }
}
