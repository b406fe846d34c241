/** docs/reliability.md is the fault catalogue rendered; `npm run docs:reliability` rewrites it from this test. */
import { readFileSync, writeFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { catalogue, renderReliabilityDoc } from './catalogue.ts'

const DOC = new URL('../../docs/reliability.md', import.meta.url)

it('docs/reliability.md is the catalogue rendered (npm run docs:reliability rewrites it)', () => {
  const expected = renderReliabilityDoc(catalogue)
  if (process.env.UPDATE_RELIABILITY_DOC) writeFileSync(DOC, expected)
  expect(readFileSync(DOC, 'utf8')).toBe(expected)
})
