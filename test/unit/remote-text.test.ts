import { describe, expect, it } from 'vitest'
import { networkCause, remoteText } from '../../src/lib/remote-text.ts'

describe('remoteText', () => {
  it.each([
    ['::stop-commands::abc'],
    ['ok\n::add-mask::x'],
    ['fine\r::error::fake'],
    ['  ::warning::indented'],
    ['prefix ##[add-mask]x'],
    ['\u001b[2K::set-output name=x::y'],
    ['\u202e::gnirts'],
  ])('leaves no workflow command in %j', (text) => {
    const out = remoteText(text)
    // eslint-disable-next-line no-control-regex -- the point is that no control character survives
    expect(out).not.toMatch(/[\r\n\u001b\u202e]/)
    expect(out).not.toContain('::')
    expect(out).not.toContain('##[')
  })

  it('keeps ordinary text as it is and caps long text', () => {
    expect(remoteText('Access to requested resource is denied.')).toBe('Access to requested resource is denied.')
    const long = remoteText('x'.repeat(5000))
    expect(long.length).toBe(300)
    expect(long.endsWith('…')).toBe(true)
  })
})

describe('networkCause', () => {
  it('names the cause from the error or its cause chain', () => {
    expect(networkCause(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe('DNS lookup failed (ENOTFOUND)')
    const fetchError = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) })
    expect(networkCause(fetchError)).toBe('connection refused (ECONNREFUSED)')
    expect(networkCause(new Error('something else'))).toBeUndefined()
  })
})
