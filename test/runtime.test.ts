/** The tests run on the runtime GitHub uses for this action (action.yml runs.using), not the machine's Node. */
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

it('runs on Node 24, the runtime action.yml declares', () => {
  const action = readFileSync(new URL('../action.yml', import.meta.url), 'utf8')
  expect(action).toMatch(/^\s+using: node24$/m)
  expect(process.versions.node.split('.')[0]).toBe('24')
})
