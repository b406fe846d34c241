/**
 * The runner's proxy variables for the clients that do not read them by themselves: undici for Amazon
 * (src/http.ts) and the AWS SDK for SQS and Secrets Manager. GitHub calls already follow them through
 * @actions/github. One reading of the variables serves both, so that they agree on every host:
 * - HTTPS_PROXY for https endpoints, else HTTP_PROXY (undici's own fallback, kept for both);
 *   HTTP_PROXY for http endpoints; lower-case names first; http:// or https:// proxies only;
 * - NO_PROXY: comma- or space-separated hosts, each optionally with :PORT; an entry matches the host and its
 *   subdomains (a leading . or *. is ignored); * alone turns the proxy off. Checked for every request.
 * - loopback (localhost, 127.0.0.0/8, ::1) is always reached directly, listed in NO_PROXY or not: a proxy
 *   elsewhere could not reach this machine's test servers, and must never see what is sent to them.
 * Without a proxy variable nothing here builds or loads a proxy agent: the clients are exactly what they were.
 */
import type { SQSClientConfig } from '@aws-sdk/client-sqs'
import { Agent as AgentBase, type AgentConnectOpts } from 'agent-base'
import * as http from 'node:http'
import * as https from 'node:https'
import { Agent, Dispatcher, Pool, ProxyAgent } from 'undici'
import { InputError } from '../../lib/input-error.js'
import { isLoopbackHost } from '../../lib/loopback.js'

export interface ProxySettings {
  /** For http:// endpoints. */
  http: URL | undefined
  /** For https:// endpoints. */
  https: URL | undefined
  /** NO_PROXY as set ('' when unset). */
  noProxy: string
}

/** The proxy settings in `env`; undefined when no request would go through a proxy. */
export function proxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings | undefined {
  const httpProxy = proxyVariable(env, 'http')
  const httpsProxy = proxyVariable(env, 'https') ?? httpProxy
  const noProxy = (env.no_proxy || env.NO_PROXY || '').trim()
  if (!httpProxy && !httpsProxy) return undefined
  if (noProxyEntries(noProxy).some((entry) => entry.host === '*')) return undefined
  return { http: httpProxy, https: httpsProxy, noProxy }
}

/** The proxy for a request to `host`:`port` over `protocol`, or undefined to connect directly. */
export function proxyFor(settings: ProxySettings, protocol: 'http:' | 'https:', host: string, port: number): URL | undefined {
  const proxy = protocol === 'https:' ? settings.https : settings.http
  if (!proxy || isLoopbackHost(host)) return undefined
  const name = plainHost(host.toLowerCase())
  const bypass = noProxyEntries(settings.noProxy).some(
    (entry) => (entry.port === undefined || entry.port === port) && (name === entry.host || name.endsWith(`.${entry.host}`)),
  )
  return bypass ? undefined : proxy
}

/**
 * The undici dispatcher for the Amazon endpoints, with a bound on connecting and on waiting for headers and
 * body. With a proxy variable, each request goes through the proxy or directly as proxyFor says, the same
 * decision the AWS clients get. Through the proxy the proxy connection and its CONNECT answer get the same
 * bounds: ProxyAgent replaces `connect` with its tunnel, and its client to the proxy otherwise waits minutes.
 */
export function createDispatcher(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const options = { connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }
  const settings = proxySettings(env)
  if (!settings) return new Agent(options)
  return new ProxyDispatcher(
    settings,
    new Agent(options),
    (proxy) =>
      new ProxyAgent({
        ...options,
        uri: proxy.href,
        proxyTls: { timeout: timeoutMs },
        requestTls: { timeout: timeoutMs },
        clientFactory: (origin, opts) => new Pool(origin, { ...opts, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
      }),
  )
}

/**
 * Routes each request by its origin, as proxyFor decides: to the direct agent, or to the proxy's agent (one per
 * proxy URL, built on first use). undici's EnvHttpProxyAgent cannot be used for this: its NO_PROXY matching
 * has no rule for loopback, and would read the list on its own terms.
 */
class ProxyDispatcher extends Dispatcher {
  private readonly proxied = new Map<string, Dispatcher>()

  constructor(
    private readonly settings: ProxySettings,
    private readonly direct: Dispatcher,
    private readonly through: (proxy: URL) => Dispatcher,
  ) {
    super()
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const url = new URL(String(options.origin))
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:'
    const proxy = proxyFor(this.settings, protocol, url.hostname, Number(url.port) || (protocol === 'https:' ? 443 : 80))
    if (!proxy) return this.direct.dispatch(options, handler)
    let agent = this.proxied.get(proxy.href)
    if (!agent) this.proxied.set(proxy.href, (agent = this.through(proxy)))
    return agent.dispatch(options, handler)
  }

  override close(): Promise<void>
  override close(callback: () => void): void
  override close(callback?: () => void): Promise<void> | void {
    const closed = Promise.all([this.direct, ...this.proxied.values()].map((d) => d.close())).then(() => undefined)
    if (!callback) return closed
    void closed.then(callback, callback)
  }

  override destroy(): Promise<void>
  override destroy(error: Error | null): Promise<void>
  override destroy(callback: () => void): void
  override destroy(error: Error | null, callback: () => void): void
  override destroy(error?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    if (typeof error === 'function') return this.destroy(null, error)
    const destroyed = Promise.all([this.direct, ...this.proxied.values()].map((d) => d.destroy(error ?? null))).then(() => undefined)
    if (!callback) return destroyed
    void destroyed.then(callback, callback)
  }
}

/**
 * The `requestHandler` of an AWS SDK client: the given timeouts, and through a proxy, agents that choose
 * per request between the proxy (a CONNECT tunnel, as undici and @actions/github use) and a direct
 * connection. Without a proxy variable it is the plain options object, so the SDK builds its usual agents.
 */
export function awsRequestHandler(
  timeouts: { connectionTimeout: number; requestTimeout: number },
  env: NodeJS.ProcessEnv = process.env,
): NonNullable<SQSClientConfig['requestHandler']> {
  // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes: every request must end.
  const bounded = { ...timeouts, throwOnRequestTimeout: true }
  const settings = proxySettings(env)
  if (!settings) return bounded
  return { ...bounded, httpAgent: new ProxyRouter(false, settings), httpsAgent: new ProxyRouter(true, settings) }
}

/** Routes each request by its host: the same keep-alive pools as the SDK's own agents, one per way. */
class ProxyRouter extends AgentBase {
  private readonly direct: http.Agent
  private tunnel: Promise<http.Agent> | undefined

  constructor(
    private readonly secure: boolean,
    private readonly settings: ProxySettings,
  ) {
    // keepAlive here only tells each request that its connection may be reused; the pools are the delegates'.
    super({ keepAlive: true })
    const pool = { keepAlive: true, maxSockets: 50 }
    this.direct = secure ? new https.Agent(pool) : new http.Agent(pool)
  }

  // The SDK gives no protocol in the request options; each router serves one.
  override isSecureEndpoint(): boolean {
    return this.secure
  }

  override connect(req: http.ClientRequest, options: AgentConnectOpts): http.Agent | Promise<http.Agent> {
    const target = `${options.host ?? ''}:${options.port}`
    const proxy = proxyFor(this.settings, this.secure ? 'https:' : 'http:', options.host ?? '', options.port)
    if (!proxy) return this.direct
    // https-proxy-agent hands a refused CONNECT to the SDK as if the service had answered it (an "UnknownError"):
    // fail the request with what really happened instead. Not retried by the SDK: the proxy's rules decide.
    req.once('proxyConnect', ({ statusCode }: { statusCode?: number }) => {
      if (statusCode === 200) return
      const error = new Error(
        `the proxy ${proxy.host} refused a tunnel to ${target} (HTTP ${statusCode ?? 'error'}): allow that host on the proxy, or list it in NO_PROXY`,
      )
      req.destroy(Object.assign(error, { name: 'ProxyError' }))
    })
    this.tunnel ??= tunnelAgent(proxy)
    return this.tunnel
  }

  override destroy(): void {
    this.direct.destroy()
    void this.tunnel?.then(
      (agent) => agent.destroy(),
      () => undefined,
    )
    super.destroy()
  }
}

/**
 * An https-proxy-agent for `proxy`, loaded on first use: a run without a proxy never loads it. The
 * credentials go in a header rather than in the URL it keeps, which its debug output (DEBUG=*) would print.
 */
async function tunnelAgent(proxy: URL): Promise<http.Agent> {
  const { HttpsProxyAgent } = await import('https-proxy-agent')
  const url = new URL(proxy.href)
  url.username = ''
  url.password = ''
  const headers: Record<string, string> = {}
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`
  }
  return new HttpsProxyAgent(url, { keepAlive: true, maxSockets: 50, headers })
}

/** HTTPS_PROXY / https_proxy or HTTP_PROXY / http_proxy as a URL; a bare host:port means an http proxy. */
function proxyVariable(env: NodeJS.ProcessEnv, scheme: 'http' | 'https'): URL | undefined {
  const name = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`].find((n) => env[n]?.trim())
  if (!name) return undefined
  const value = env[name]!.trim()
  // The value is never repeated in an error: it may hold the proxy's credentials.
  const fail = (why: string): never => {
    throw new InputError(`environment variable ${name}`, `${why} Set it to the proxy's URL, e.g. http://proxy.example.com:3128.`)
  }
  let url: URL | undefined
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
  } catch {
    fail('is not a URL.')
  }
  if (url!.protocol !== 'http:' && url!.protocol !== 'https:') fail(`must be an http:// or https:// proxy, not ${url!.protocol}//.`)
  return url
}

function noProxyEntries(value: string): Array<{ host: string; port: number | undefined }> {
  return value
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      // host, host:port, [v6] or [v6]:port; a bare IPv6 address has colons but no port.
      const m = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(entry)
      const host = m ? m[1]! : entry
      return { host: plainHost(host).replace(/^\*?\./, ''), port: m ? Number(m[2]) : undefined }
    })
}

/** A host name without IPv6 brackets or a final dot. */
function plainHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
}
