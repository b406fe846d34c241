/**
 * The whole fault catalogue: one list for both the tests (reliability.test.ts) and the table in
 * docs/reliability.md (docs.test.ts), so neither can miss a case. A new list of cases is a module exporting
 * `FaultCase[]` (see cases.ts for the type and the shared helpers), spread in here.
 */
import { cases, type FaultCase } from './cases.ts'
import { parameterStoreCases } from './cases-parameter-store.ts'
import { targetCases } from './cases-targets.ts'
import { trustCases } from './cases-trust.ts'

export const catalogue: FaultCase[] = [...cases, ...trustCases, ...targetCases, ...parameterStoreCases]

/** docs/reliability.md, rendered from the catalogue. */
export function renderReliabilityDoc(list: FaultCase[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|')
  const lines = [
    '# Reliability: faults and recovery',
    '',
    '<!-- Generated from test/reliability/catalogue.ts by `npm run docs:reliability`; a test fails when this file differs. -->',
    '',
    'Each row is a test in `npm test`: the fault is injected into a real run of the bundled action (dist/index.js) against',
    'the Amazon and GitHub simulators and a real SQS server, and the test checks the final state: what every target holds',
    '(decrypted), what the queue holds, and how many times Amazon rotated. Every run in the suite is also checked for',
    'leaks: no secret or token in stdout, stderr, outputs or the job summary (debug logging on).',
    '',
    'The invariants behind the table: the new-secret message is the only copy of the new secret, so it is deleted only',
    'when every target holds the secret and is made visible again on any failure; a run never rotates while a new secret',
    'for the application may still be waiting (visible, or in flight with another run for at most 30 s); nothing',
    'irreversible happens before the preflight passes.',
  ]
  for (const group of [...new Set(list.map((c) => c.group))]) {
    lines.push('', `## ${group}`, '', '| Fault | What the action does | What the user sees | Recovery |', '|---|---|---|---|')
    for (const c of list.filter((c) => c.group === group)) {
      lines.push(`| ${cell(c.fault)} | ${cell(c.action)} | ${cell(c.userSees)} | ${cell(c.recovery)} |`)
    }
  }
  return lines.join('\n') + '\n'
}
