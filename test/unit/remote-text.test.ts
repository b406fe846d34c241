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

  it.each([
    ['a line separator', 'a\u2028::error::fake'],
    ['a paragraph separator', 'a\u2029##[add-mask]x'],
    ['an Arabic letter mark', 'abc\u061cdef'],
    ['a lone high surrogate', 'abc\ud800def'],
    ['a lone low surrogate', 'abc\udc00def'],
  ])('replaces %s with a space', (_name, text) => {
    const out = remoteText(text)
    expect(out).not.toMatch(/[\u2028\u2029\u061c]/)
    expect(out).not.toMatch(/\p{Cs}/u)
    expect(out).not.toContain('::')
    expect(out).not.toContain('##[')
    expect(out).toMatch(/^a(bc)? /)
  })

  it('keeps a surrogate pair whole, and never ends in half of one when capped', () => {
    expect(remoteText('ok 😀')).toBe('ok 😀')
    // 299 one-unit characters then emoji: a cut by UTF-16 units at 299 would split the pair.
    for (const prefix of ['x'.repeat(298), 'x'.repeat(299), 'x'.repeat(300)]) {
      const out = remoteText(`${prefix}${'😀'.repeat(10)}`)
      expect(out, `${prefix.length}`).not.toMatch(/\p{Cs}/u)
      expect(Array.from(out)).toHaveLength(300)
      expect(out.endsWith('…')).toBe(true)
    }
    const emoji = remoteText('😀'.repeat(400))
    expect(Array.from(emoji)).toEqual([...Array.from('😀'.repeat(299)), '…'])
    // Exactly at the cap in code points (but longer in UTF-16 units): kept whole.
    expect(remoteText('😀'.repeat(300))).toBe('😀'.repeat(300))
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
