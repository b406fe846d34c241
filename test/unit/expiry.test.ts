import { describe, expect, it } from 'vitest'
import { parseDuration, plannedExpiry } from '../../src/core/expiry.ts'
import { amazonMaySend } from '../../src/core/queue-policy.ts'
import { expiryAlerts } from '../../src/shell/summary.ts'

const DAY = 86_400_000
const NOW = Date.parse('2026-06-01T00:00:00Z')

describe('parseDuration', () => {
  it('reads whole days and hours', () => {
    expect(parseDuration('30d')).toBe(30 * DAY)
    expect(parseDuration('72h')).toBe(72 * 3_600_000)
    expect(parseDuration('')).toBeUndefined()
  })
  it.each(['30', '1w', '-3d', '0d', '180d', '2.5d', 'soon'])('rejects %j', (value) => {
    expect(() => parseDuration(value)).toThrow(/duration|less than 180 days|more than 0/)
  })
})

describe('plannedExpiry', () => {
  const recorded = new Date(NOW + 100 * DAY)
  it('lets a notification bring the expiry closer, never push it later', () => {
    expect(plannedExpiry(recorded, [new Date(NOW + 10 * DAY)], NOW)).toEqual(new Date(NOW + 10 * DAY))
    expect(plannedExpiry(recorded, [new Date(NOW + 150 * DAY)], NOW)).toEqual(recorded)
  })
  it('takes a notification when nothing is recorded, unless it lies beyond a secret lifetime', () => {
    expect(plannedExpiry(undefined, [new Date(NOW + 20 * DAY)], NOW)).toEqual(new Date(NOW + 20 * DAY))
    expect(plannedExpiry(undefined, [new Date(NOW + 400 * DAY)], NOW)).toBeUndefined()
    expect(plannedExpiry(undefined, [], NOW)).toBeUndefined()
  })
})

describe('expiryAlerts', () => {
  it('an outstanding rotation is an error counting down to its day, whatever the expiry record says', () => {
    const report = {
      result: undefined,
      currentSecretExpiresAt: at(90),
      previousSecretExpiresAt: undefined,
      outstanding: {
        rotatedAt: new Date(NOW - 2 * 86_400_000).toISOString(),
        deadline: new Date(NOW + 5 * 86_400_000).toISOString().slice(0, 10),
      },
    }
    const { error } = expiryAlerts(report, 'boom', NOW)
    expect(error).toContain(`stops working on ${report.outstanding.deadline}`)
    expect(error).toMatch(/\(4 days left\)|\(5 days left\)/)
  })

  const at = (days: number) => new Date(NOW + days * DAY).toISOString()
  it('warns when the secret in use expires within 14 days and was not replaced', () => {
    expect(
      expiryAlerts({ result: 'skipped', currentSecretExpiresAt: at(10), previousSecretExpiresAt: undefined }, undefined, NOW).warning,
    ).toContain('10 days left')
    expect(expiryAlerts({ result: 'skipped', currentSecretExpiresAt: at(40), previousSecretExpiresAt: undefined }, undefined, NOW)).toEqual(
      {},
    )
    expect(expiryAlerts({ result: 'rotated', currentSecretExpiresAt: at(3), previousSecretExpiresAt: at(7) }, undefined, NOW)).toEqual({})
  })
  it('is an error when a failed run leaves the secret in use less than 2 days', () => {
    expect(
      expiryAlerts({ result: 'rotated', currentSecretExpiresAt: at(90), previousSecretExpiresAt: at(1.5) }, 'boom', NOW).error,
    ).toContain('this run failed')
    expect(
      expiryAlerts({ result: undefined, currentSecretExpiresAt: at(5), previousSecretExpiresAt: undefined }, 'boom', NOW).warning,
    ).toBeDefined()
  })
})

describe('amazonMaySend', () => {
  const allow = {
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::437568002678:root' },
    Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
    Resource: '*',
  }
  it('finds the Allow for Amazon', () => {
    expect(amazonMaySend(JSON.stringify({ Statement: [allow] })).ok).toBe(true)
    expect(amazonMaySend(JSON.stringify({ Statement: [{ ...allow, Action: 'sqs:*' }] })).ok).toBe(true)
  })
  it('says why not', () => {
    expect(amazonMaySend(undefined).why).toContain('no access policy')
    expect(amazonMaySend('{').why).toContain('not valid JSON')
    expect(amazonMaySend(JSON.stringify({ Statement: [{ ...allow, Principal: { AWS: '111122223333' } }] })).why).toContain('no statement')
    const deny = { Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }
    expect(amazonMaySend(JSON.stringify({ Statement: [allow, deny] })).why).toContain('Deny')
    // A conditional deny (everyone but Amazon) does not count against Amazon.
    const denyOthers = { ...deny, Condition: { StringNotEquals: { 'aws:PrincipalAccount': '437568002678' } } }
    expect(amazonMaySend(JSON.stringify({ Statement: [allow, denyOthers] })).ok).toBe(true)
  })
})
