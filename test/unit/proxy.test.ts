import { describe, expect, it } from 'vitest'
import { proxyFor, proxySettings } from '../../src/adapters/net/proxy.ts'
import { isLoopbackHost } from '../../src/lib/loopback.ts'

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '[0:0:0:0:0:0:0:1]', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  )

  it.each(['amazon.localhost', 'localhost.example.com', '127.0.0.1.nip.io', '128.0.0.1', '10.0.0.1', '::2', 'example.com', ''])(
    '%s is not',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  )
})

describe('proxyFor', () => {
  const settings = proxySettings({ HTTPS_PROXY: 'http://proxy.example.com:3128', NO_PROXY: 'internal.example.com' })!

  it('sends loopback directly even when NO_PROXY does not list it', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(proxyFor(settings, 'https:', host, 443), host).toBeUndefined()
      expect(proxyFor(settings, 'http:', host, 80), host).toBeUndefined()
    }
  })

  it('sends names under .localhost, and every other name not in NO_PROXY, through the proxy', () => {
    for (const host of ['amazon.localhost', 'api.amazon.com', '127.0.0.1.nip.io']) {
      expect(proxyFor(settings, 'https:', host, 443)?.host, host).toBe('proxy.example.com:3128')
    }
    expect(proxyFor(settings, 'https:', 'api.internal.example.com', 443)).toBeUndefined()
  })
})
