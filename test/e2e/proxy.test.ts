/**
 * A runner behind a proxy: HTTPS_PROXY / HTTP_PROXY point at a recording proxy, and every endpoint is a
 * made-up name under .localhost that only the proxy resolves (to a simulator's loopback port), so a request
 * that skipped the proxy could not connect at all. Asserted: the rotation completes, every host went through
 * the proxy, and each simulator saw exactly the requests the proxy carried for it; a host listed in NO_PROXY
 * is reached directly and never shown to the proxy.
 */
import { describe, expect, it } from 'vitest'
import { startSecretsManagerSim, type SecretsManagerSim } from '../sim/secrets-manager.ts'
import { startProxy, type TestProxy } from '../support/proxy.ts'
import { createWorld, type World } from '../support/world.ts'

/** `url` with its host name replaced by `name` (port, path and query kept). */
function alias(url: string, name: string): string {
  const u = new URL(url)
  u.hostname = name
  return u.toString()
}

async function withProxy(body: (world: World, sm: SecretsManagerSim, proxy: TestProxy) => Promise<void>): Promise<void> {
  const world = await createWorld()
  const sm = await startSecretsManagerSim()
  const proxy = await startProxy({
    'amazon.localhost': world.amazon.url,
    'github.localhost': world.github.url,
    'sqs.localhost': world.sqsProxy.endpoint,
    'secretsmanager.localhost': sm.url,
  })
  try {
    await body(world, sm, proxy)
    expect(sm.violations, 'requests that do not match the Secrets Manager model').toEqual([])
  } finally {
    await Promise.allSettled([world.close(), sm.close(), proxy.close()])
  }
}

const sqsRequests = (world: World) => Object.values(world.sqsProxy.counts).reduce((sum, n) => sum + (n ?? 0), 0)

describe.concurrent('behind a proxy', () => {
  it('sends every request through HTTPS_PROXY / HTTP_PROXY: Amazon, GitHub, SQS and Secrets Manager', () =>
    withProxy(async (world, sm, proxy) => {
      sm.createSecret('sp-api/lwa-client-secret', 'old value')
      const github = alias(world.github.url, 'github.localhost')
      const run = await world.run({
        inputs: world.inputs({
          targets: 'repository\naws-secretsmanager:sp-api/lwa-client-secret',
          'lwa-endpoint': alias(world.amazon.lwaEndpoint, 'amazon.localhost'),
          'sp-api-endpoint': alias(world.amazon.spApiEndpoint, 'amazon.localhost'),
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

      expect(proxy.hostsSeen()).toEqual(['amazon.localhost', 'github.localhost', 'secretsmanager.localhost', 'sqs.localhost'])
      expect(proxy.refused).toEqual([])
      // Nothing reached a simulator except through the proxy.
      expect(proxy.count('amazon.localhost')).toBe(world.amazon.requests.length)
      expect(proxy.count('github.localhost')).toBe(world.github.requests.length)
      expect(proxy.count('sqs.localhost')).toBe(sqsRequests(world))
      expect(proxy.count('secretsmanager.localhost')).toBe(sm.requests.length)
      for (const host of proxy.hostsSeen()) expect(proxy.count(host), host).toBeGreaterThan(0)
    }))

  it('reaches a host listed in NO_PROXY directly, with the others still through the proxy', () =>
    withProxy(async (world, _sm, proxy) => {
      const github = alias(world.github.url, 'github.localhost')
      // SQS and the SP-API on 127.0.0.1, which NO_PROXY lists; the token endpoint and GitHub by proxy-only names.
      const run = await world.run({
        inputs: world.inputs({
          'lwa-endpoint': alias(world.amazon.lwaEndpoint, 'amazon.localhost'),
          'sp-api-endpoint': world.amazon.spApiEndpoint,
          'github-api-url': github,
        }),
        env: {
          https_proxy: proxy.url,
          http_proxy: proxy.url,
          no_proxy: 'example.com, 127.0.0.1',
          GITHUB_API_URL: github,
          AWS_ENDPOINT_URL_SQS: world.sqsProxy.endpoint,
        },
      })

      expect(run.code, run.stdout).toBe(0)
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(world.pendingSecrets()).toEqual([])

      expect(proxy.hostsSeen()).toEqual(['amazon.localhost', 'github.localhost'])
      expect(sqsRequests(world)).toBeGreaterThan(0)
      // The token requests went through the proxy and the rotation itself did not, on the same undici client.
      const tokenRequests = world.amazon.requests.filter((r) => r.path === '/auth/o2/token').length
      expect(tokenRequests).toBeGreaterThan(0)
      expect(world.amazon.rotateCalls()).toBe(1)
      expect(proxy.count('amazon.localhost')).toBe(tokenRequests)
      expect(proxy.carried.filter((r) => r.host === 'amazon.localhost').every((r) => r.path === '/auth/o2/token')).toBe(true)
      expect(proxy.count('github.localhost')).toBe(world.github.requests.length)
    }))

  it('a proxy that refuses a host stops the preflight with words that say so', () =>
    withProxy(async (world, _sm, proxy) => {
      // The proxy knows no unknown.localhost: it answers the CONNECT with 502, as a proxy's rules would.
      const run = await world.run({
        inputs: world.inputs({ 'sqs-queue-url': alias(world.queueUrl, 'unknown.localhost') }),
        env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, AWS_ENDPOINT_URL_SQS: alias(world.sqsProxy.endpoint, 'unknown.localhost') },
      })

      expect(run.code).toBe(1)
      expect(run.errors.join('\n')).toMatch(/the proxy 127\.0\.0\.1:\d+ refused a tunnel to unknown\.localhost:\d+ \(HTTP 502\)/)
      expect(proxy.refused).toContain('unknown.localhost')
      expect(world.amazon.rotateCalls()).toBe(0)
      expect(sqsRequests(world)).toBe(0)
    }))
})
