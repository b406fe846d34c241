/**
 * docs/reliability.md is the fault catalogue rendered, then the fault soak's section (test/soak/doc.ts);
 * `npm run docs:reliability` rewrites it from this test.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { renderSoakSection } from '../soak/doc.ts'
import { catalogue, renderReliabilityDoc } from './catalogue.ts'

const DOC = new URL('../../docs/reliability.md', import.meta.url)

it('docs/reliability.md is the catalogue rendered, then the soak section (npm run docs:reliability rewrites it)', () => {
  const expected = `${renderReliabilityDoc(catalogue)}\n${renderSoakSection()}`
  if (process.env.UPDATE_RELIABILITY_DOC) writeFileSync(DOC, expected)
  expect(readFileSync(DOC, 'utf8')).toBe(expected)
})
