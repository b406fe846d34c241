/**
 * Bad input, through the bundled action: a clear error naming the input, and not one request to Amazon or
 * GitHub (nothing irreversible before the inputs are known to be right).
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createWorld, type World } from '../support/world.ts'
import { markdownText } from '../../src/shell/summary.ts'

let world: World
beforeAll(async () => (world = await createWorld()))
afterAll(async () => world?.close())

const cases: Array<[string, Record<string, string>, string]> = [
  ['a missing client-id', { 'client-id': '' }, 'Input client-id: is required'],
  ['an empty client-secret', { 'client-secret': '' }, 'Input client-secret: is required'],
  ['a missing github-token', { 'github-token': '' }, 'Input github-token: is required'],
  ['a missing sqs-queue-url', { 'sqs-queue-url': '' }, 'Input sqs-queue-url: is required'],
  ['a malformed client id', { 'client-id': 'amzn1.application.123' }, 'Input client-id: is not an LWA client id'],
  ['a secret name starting with a digit', { 'secret-name': '9LIVES' }, 'Input secret-name:'],
  ['a secret name with a hyphen', { 'secret-name': 'LWA-SECRET' }, 'Input secret-name:'],
  ['a secret name GitHub reserves', { 'secret-name': 'GITHUB_LWA' }, 'starts with GITHUB_'],
  ['an unknown target kind', { targets: 'vault:prod' }, "Input targets: targets line 1 ('vault:prod'): unknown target kind 'vault'"],
  ['duplicate targets', { targets: 'repository\nenvironment:production\nrepository' }, "targets line 3 ('repository'): duplicate target"],
  [
    'an http endpoint on a remote host',
    { 'lwa-endpoint': 'http://api.amazon.com/auth/o2/token' },
    'Input lwa-endpoint: must be an https URL',
  ],
  [
    'an http SP-API endpoint on a private address',
    { 'sp-api-endpoint': 'http://192.168.1.10' },
    'Input sp-api-endpoint: must be an https URL',
  ],
  ['a negative receive-timeout', { 'receive-timeout': '-1' }, 'Input receive-timeout:'],
  ['an absurd receive-timeout', { 'receive-timeout': '999999' }, 'must be between 1 and 3600'],
  ['a queue ARN instead of a URL', { 'sqs-queue-url': 'arn:aws:sqs:us-east-1:123456789012:notifications' }, 'Input sqs-queue-url:'],
  ['a URL that is not a queue', { 'sqs-queue-url': 'https://example.com/notifications' }, 'Input sqs-queue-url:'],
  ['an unknown region', { region: 'us-east-1' }, "Input region: 'us-east-1' is not a region"],
  ['a non-boolean verify', { verify: 'maybe' }, 'Input verify:'],
]

it.each(cases)('%s fails with a clear error and calls nobody', async (_, overrides, message) => {
  const before = { amazon: world.amazon.requests.length, github: world.github.requests.length }
  // alert: none, or the run would open its alert issue (alerts.test.ts covers that for input errors).
  const run = await world.run({ inputs: world.inputs({ alert: 'none', ...overrides }) })
  expect(run.code).toBe(1)
  expect(run.errors.join('\n')).toContain(message)
  // The job summary carries the error too, and says nothing changed.
  expect(run.summary).toContain(markdownText(message))
  expect(run.summary).toContain('Nothing was rotated or changed.')
  expect(world.amazon.requests.length - before.amazon).toBe(0)
  expect(world.github.requests.length - before.github).toBe(0)
  expect(world.sqsProxy.counts).toEqual({})
})
