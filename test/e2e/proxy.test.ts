/**
 * A runner behind a proxy: HTTPS_PROXY / HTTP_PROXY point at a recording proxy, and every endpoint is an https
 * URL on a name that only the proxy resolves (to a simulator's loopback port): Amazon's own host names, which
 * the action requires, and made-up names under .localhost for GitHub, SQS and Secrets Manager. The action runs
 * with a DNS that knows no name but localhost (support/offline.ts), so a request that skipped the proxy could
 * not connect at all, nor leave the machine. Names under .localhost are not loopback to the action: they go
 * through the proxy like any other, over TLS that the proxy ends with a certificate the run is told to trust.
 * Asserted: the rotation completes, every host went through the proxy, and each simulator saw exactly the
 * requests the proxy carried for it; loopback endpoints are reached directly whatever NO_PROXY says; a host
 * listed in NO_PROXY is reached directly and never shown to the proxy.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startSecretsManagerSim, type SecretsManagerSim } from '../sim/secrets-manager.ts'
import type { RunOptions, RunResult } from '../support/action.ts'
import { startProxy, type TestProxy } from '../support/proxy.ts'
import { createWorld, type World } from '../support/world.ts'

const LWA = 'api.amazon.com'
const SP_API = 'sellingpartnerapi-na.amazon.com'
const OFFLINE = fileURLToPath(new URL('../support/offline.ts', import.meta.url))

/** `url` on https at `name` (default port; path and query kept): the proxy alone knows where that is. */
function alias(url: string, name: string): string {
  const u = new URL(url)
  u.protocol = 'https:'
  u.hostname = name
  u.port = ''
  return u.toString()
}

interface Proxied {
  world: World
  sm: SecretsManagerSim
  proxy: TestProxy
  /** A run of the action that trusts the proxy's certificate and resolves no name but localhost. */
  run: (options: Partial<RunOptions>) => Promise<RunResult>
}

async function withProxy(body: (p: Proxied) => Promise<void>): Promise<void> {
  const world = await createWorld()
  const sm = await startSecretsManagerSim()
  const proxy = await startProxy({
    [LWA]: world.amazon.url,
    [SP_API]: world.amazon.url,
    'github.localhost': world.github.url,
    'sqs.localhost': world.sqsProxy.endpoint,
    'secretsmanager.localhost': sm.url,
  })
  const run = (options: Partial<RunOptions>) =>
    world.run({ ...options, env: { NODE_EXTRA_CA_CERTS: proxy.caFile, ...options.env }, nodeArgs: ['--import', OFFLINE] })
  try {
    await body({ world, sm, proxy, run })
    expect(sm.violations, 'requests that do not match the Secrets Manager model').toEqual([])
  } finally {
    await Promise.allSettled([world.close(), sm.close(), proxy.close()])
  }
}

const sqsRequests = (world: World) => Object.values(world.sqsProxy.counts).reduce((sum, n) => sum + (n ?? 0), 0)

describe.concurrent('behind a proxy', () => {
  it('sends every request through HTTPS_PROXY / HTTP_PROXY: Amazon, GitHub, SQS and Secrets Manager', () =>
    withProxy(async ({ world, sm, proxy, run: runAction }) => {
      sm.createSecret('sp-api/lwa-client-secret', 'old value')
      const github = alias(world.github.url, 'github.localhost')
      const run = await runAction({
        inputs: world.inputs({
          targets: 'repository\naws-secretsmanager:sp-api/lwa-client-secret',
          'lwa-endpoint': alias(world.amazon.lwaEndpoint, LWA),
          'sp-api-endpoint': alias(world.amazon.spApiEndpoint, SP_API),
          'github-api-url': github,
          'sqs-queue-url': alias(world.queueUrl, 'sqs.localhost'),
        }),
        env: {
          HTTPS_PROXY: proxy.url,
          HTTP_PROXY: proxy.url,
          GITHUB_API_URL: github,
          AWS_ENDPOINT_URL_SQS: alias(world.sqsProxy.endpoint, 'sqs.localhost'),
          AWS_ENDPOINT_URL_SECRETS_MANAGER: alias(sm.url, 'secretsmanager.localhost'),
        },
      })

      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.stored()).toBe(secret)
      expect(sm.current('sp-api/lwa-client-secret').value).toBe(secret)
      expect(world.pendingSecrets()).toEqual([])

      expect(proxy.hostsSeen()).toEqual([LWA, 'github.localhost', 'secretsmanager.localhost', SP_API, 'sqs.localhost'])
      expect(proxy.refused).toEqual([])
      // Nothing reached a simulator except through the proxy.
      expect(proxy.count(LWA) + proxy.count(SP_API)).toBe(world.amazon.requests.length)
      expect(proxy.carried.filter((r) => r.host === SP_API).map((r) => r.path)).toEqual(['/applications/2023-11-30/clientSecret'])
      expect(proxy.count('github.localhost')).toBe(world.github.requests.length)
      expect(proxy.count('sqs.localhost')).toBe(sqsRequests(world))
      expect(proxy.count('secretsmanager.localhost')).toBe(sm.requests.length)
      for (const host of proxy.hostsSeen()) expect(proxy.count(host), host).toBeGreaterThan(0)
    }))

  it('reaches loopback directly whatever NO_PROXY says: nothing of an all-loopback run goes through the proxy', () =>
    withProxy(async ({ world, sm, proxy, run: runAction }) => {
      sm.createSecret('sp-api/lwa-client-secret', 'old value')
      const run = await runAction({
        inputs: world.inputs({ targets: 'repository\naws-secretsmanager:sp-api/lwa-client-secret' }),
        env: {
          HTTPS_PROXY: proxy.url,
          HTTP_PROXY: proxy.url,
          NO_PROXY: 'example.com',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
        },
      })

      expect(run.code, run.stdout).toBe(0)
      expect(run.outputs.result).toBe('rotated')
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.stored()).toBe(secret)
      expect(sm.current('sp-api/lwa-client-secret').value).toBe(secret)
      expect(world.pendingSecrets()).toEqual([])
      // Every client reached its simulator, and the proxy saw nothing at all: no request, no CONNECT.
      expect(world.amazon.requests.length).toBeGreaterThan(0)
      expect(sqsRequests(world)).toBeGreaterThan(0)
      expect(sm.requests.length).toBeGreaterThan(0)
      expect(proxy.hostsSeen()).toEqual([])
      expect(proxy.carried).toEqual([])
    }))

  it('uses the proxy and a direct connection side by side on one client: tokens by proxy, the rotation on loopback', () =>
    withProxy(async ({ world, proxy, run: runAction }) => {
      const github = alias(world.github.url, 'github.localhost')
      // The token endpoint and GitHub by proxy-only names; SQS and the SP-API on 127.0.0.1, which NO_PROXY does not list.
      const run = await runAction({
        inputs: world.inputs({
          'lwa-endpoint': alias(world.amazon.lwaEndpoint, LWA),
          'sp-api-endpoint': world.amazon.spApiEndpoint,
          'github-api-url': github,
        }),
        env: {
          https_proxy: proxy.url,
          http_proxy: proxy.url,
          no_proxy: 'example.com',
          GITHUB_API_URL: github,
          AWS_ENDPOINT_URL_SQS: world.sqsProxy.endpoint,
        },
      })

      expect(run.code, run.stdout).toBe(0)
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(world.pendingSecrets()).toEqual([])

      expect(proxy.hostsSeen()).toEqual([LWA, 'github.localhost'])
      expect(sqsRequests(world)).toBeGreaterThan(0)
      // The token requests went through the proxy and the rotation itself did not, on the same undici client.
      const tokenRequests = world.amazon.requests.filter((r) => r.path === '/auth/o2/token').length
      expect(tokenRequests).toBeGreaterThan(0)
      expect(world.amazon.rotateCalls()).toBe(1)
      expect(proxy.count(LWA)).toBe(tokenRequests)
      expect(proxy.carried.filter((r) => r.host === LWA).every((r) => r.path === '/auth/o2/token')).toBe(true)
      expect(proxy.count('github.localhost')).toBe(world.github.requests.length)
    }))

  it('reaches a host listed in NO_PROXY directly and never shows it to the proxy', () =>
    withProxy(async ({ world, proxy, run: runAction }) => {
      // sqs.localhost is known to the proxy only: reached directly, as NO_PROXY asks, its name does not resolve.
      const run = await runAction({
        inputs: world.inputs({ 'sqs-queue-url': alias(world.queueUrl, 'sqs.localhost') }),
        env: {
          HTTPS_PROXY: proxy.url,
          NO_PROXY: `example.com,.sqs.localhost`,
          AWS_ENDPOINT_URL_SQS: alias(world.sqsProxy.endpoint, 'sqs.localhost'),
        },
      })

      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toContain(
        'The queue (sqs-queue-url): could not reach SQS for GetQueueAttributes (DNS lookup failed (ENOTFOUND))',
      )
      expect(proxy.hostsSeen()).toEqual([])
      expect(sqsRequests(world)).toBe(0)
      expect(world.amazon.rotateCalls()).toBe(0)
    }))

  it('a proxy that refuses a host stops the preflight with words that say so', () =>
    withProxy(async ({ world, proxy, run: runAction }) => {
      // The proxy knows no unknown.localhost: it answers the CONNECT with 502, as a proxy's rules would.
      const run = await runAction({
        inputs: world.inputs({ 'sqs-queue-url': alias(world.queueUrl, 'unknown.localhost') }),
        env: {
          HTTPS_PROXY: proxy.url,
          HTTP_PROXY: proxy.url,
          AWS_ENDPOINT_URL_SQS: alias(world.sqsProxy.endpoint, 'unknown.localhost'),
        },
      })

      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toMatch(/the proxy 127\.0\.0\.1:\d+ refused a tunnel to unknown\.localhost:\d+ \(HTTP 502\)/)
      expect(proxy.refused).toContain('unknown.localhost')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(sqsRequests(world)).toBe(0)
    }))
})
