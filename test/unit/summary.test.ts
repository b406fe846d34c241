import { describe, expect, it } from 'vitest'
import type { Report } from '../../src/core/rotation.ts'
import { markdownText, renderCheck, renderFailure, renderSummary } from '../../src/shell/summary.ts'

/** Text a hostile server could send: a link, an image, HTML, a table-breaking pipe, emphasis, code, a heading. */
const HOSTILE =
  '[Click to fix](https://evil.example/login) ![pixel](https://evil.example/p.png) | injected | cell |\n' +
  '# Heading <img src=x onerror=alert(1)> <script>alert(1)</script> **bold** _em_ `code` ~~gone~~ \\ &lt;b&gt;\r\nend'

const MARKUP = /[|[\]<>*_`#~!\\\n\r]/

/** The output with its escapes and <br> removed: what is left must hold no character that starts markup. */
const unescaped = (markdown: string) =>
  markdown
    .replace(/<br>/g, '')
    .replace(/&(?:amp|lt|gt);/g, '')
    .replace(/\\[\s\S]/g, '')

/** Pipes that end a table cell: those not escaped by a backslash. */
const cellPipes = (row: string) => row.replace(/\\[\s\S]/g, '').split('|').length - 1

function report(overrides: Partial<Report> = {}): Report {
  return {
    clientId: 'amzn1.application-oa2-client.abc',
    result: 'rotated',
    secretExpiresAt: '2030-01-01T00:00:00.000Z',
    previousSecretExpiresAt: '2029-07-08T00:00:00.000Z',
    targets: [{ target: 'repository:octo/shop', status: 'updated' }],
    messageKept: false,
    message: 'deleted',
    dispatches: [],
    expiryRecord: undefined,
    ...overrides,
  }
}

const row = (markdown: string, name: string) => markdown.split('\n').find((l) => l.startsWith(`| ${name} |`))

describe('markdownText', () => {
  it('escapes every character that could start markup, and loses nothing', () => {
    const out = markdownText(HOSTILE)
    expect(unescaped(out)).not.toMatch(MARKUP)
    expect(out).not.toContain('\n')
    // Read back as a Markdown renderer would: the same text.
    const back = out
      .replace(/<br>/g, '\n')
      .replace(/\\([\s\S])/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
    expect(back).toBe(HOSTILE.replace(/\r\n/g, '\n'))
  })

  it('leaves plain words as they are', () => {
    expect(markdownText('The queue answered in 12 ms.')).toBe('The queue answered in 12 ms.')
  })
})

describe('renderSummary', () => {
  it('keeps a hostile target detail inside its cell, as text', () => {
    const markdown = renderSummary(report({ targets: [{ target: 'repository:octo/shop', status: 'failed', detail: HOSTILE }] }), 'failed')
    const line = row(markdown, '`repository:octo/shop`')!
    expect(cellPipes(line)).toBe(3)
    expect(unescaped(line.slice(line.indexOf('| failed'), -1).slice(1))).not.toMatch(MARKUP)
  })

  it('keeps a hostile dispatch detail inside its cell, as text', () => {
    const markdown = renderSummary(report({ dispatches: [{ event: 'workflow:octo/shop:deploy.yml', status: 'failed', detail: HOSTILE }] }))
    const line = row(markdown, '`workflow:octo/shop:deploy.yml`')!
    expect(cellPipes(line)).toBe(3)
    expect(line).not.toMatch(/<(?!br>)/)
  })

  it('quotes a hostile failure line by line, escaped', () => {
    for (const markdown of [renderSummary(report(), `Rotation failed: ${HOSTILE}`), renderFailure(`Input x: ${HOSTILE}`)]) {
      const quoted = markdown.split('\n').filter((l) => l.startsWith('> ') && l !== '> [!CAUTION]')
      expect(quoted).toHaveLength(3)
      for (const line of quoted) expect(unescaped(line.slice(2))).not.toMatch(MARKUP)
      // No line of the failure escapes the quote (a heading or HTML at the start of a line of its own).
      expect(markdown.split('\n').filter((l) => /^[#<]/.test(l))).toEqual(['## LWA client secret rotation'])
    }
  })

  it.each([
    ['deleted', undefined, 'deleted'],
    ['kept', 'failed', 'kept in the queue for the next run'],
    ['delete failed', undefined, 'failed to delete: it reappears, and the next run stores the same value again'],
    ['none', undefined, 'nothing taken'],
    ['none', 'failed', 'nothing taken'],
  ] as const)('says what became of the new-secret message: %s (failure: %s)', (message, failure, text) => {
    expect(row(renderSummary(report({ message }), failure), 'New-secret message')).toBe(`| New-secret message | ${text} |`)
  })

  it('never says deleted for a skipped run', () => {
    const skipped = report({ result: 'skipped', skipReason: 'not due', message: 'none', secretExpiresAt: undefined })
    expect(row(renderSummary(skipped), 'New-secret message')).toBe('| New-secret message | nothing taken |')
  })
})

describe('renderCheck', () => {
  it('escapes a hostile check detail', () => {
    const markdown = renderCheck({
      clientId: 'amzn1.application-oa2-client.abc',
      checks: [{ name: 'The queue answers', ok: false, detail: HOSTILE }],
      secretExpiresAt: undefined,
    })
    const line = row(markdown, 'The queue answers')!
    expect(cellPipes(line)).toBe(4)
    expect(line).not.toMatch(/<(?!br>)/)
  })
})
