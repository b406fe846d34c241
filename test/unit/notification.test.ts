import { describe, expect, it } from 'vitest'
import { parseNotification } from '../../src/core/notification.ts'

// Amazon's sample payloads (sp-api-rotation.md), placeholders as there.
const newSecret = {
  notificationVersion: '1.0',
  notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET',
  payloadVersion: '2023-11-30',
  eventTime: '2024-01-10T22:09:17.456Z',
  payload: {
    applicationOAuthClientNewSecret: {
      clientId: 'amzn1.application-oa2-client.EXAMPLE',
      newClientSecret: 'amzn1.oa2-cs.v1.EXAMPLE',
      newClientSecretExpiryTime: '2024-07-08T22:09:17.198Z',
      oldClientSecretExpiryTime: '2024-01-17T22:09:17.180Z',
    },
  },
  notificationMetadata: {
    applicationId: 'amzn1.sp.solution.EXAMPLE',
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    publishTime: '2024-01-10T22:09:18.706Z',
    notificationId: '00000000-0000-0000-0000-000000000001',
  },
}
const expiry = {
  notificationVersion: '1.0',
  notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY',
  payloadVersion: '2023-11-30',
  eventTime: '2024-01-10T02:15:10.045Z',
  payload: {
    applicationOAuthClientSecretExpiry: {
      clientId: 'amzn1.application-oa2-client.EXAMPLE',
      clientSecretExpiryTime: '2024-03-03T22:06:39.224Z',
      clientSecretExpiryReason: 'PERIODIC_ROTATION',
    },
  },
}

describe('parseNotification', () => {
  it('reads a new-secret notification', () => {
    expect(parseNotification(JSON.stringify(newSecret))).toEqual({
      kind: 'new-secret',
      clientId: 'amzn1.application-oa2-client.EXAMPLE',
      newSecret: 'amzn1.oa2-cs.v1.EXAMPLE',
      eventTime: new Date('2024-01-10T22:09:17.456Z'),
      newSecretExpiresAt: '2024-07-08T22:09:17.198Z',
      oldSecretExpiresAt: '2024-01-17T22:09:17.180Z',
      notificationId: '00000000-0000-0000-0000-000000000001',
    })
  })

  it('accepts times with offsets and normalises them to UTC', () => {
    const body = structuredClone(newSecret)
    body.eventTime = '2024-01-11T00:09:17+02:00'
    body.payload.applicationOAuthClientNewSecret.oldClientSecretExpiryTime = '2024-01-17T17:09:17.180-05:00'
    const n = parseNotification(JSON.stringify(body))
    expect(n).toMatchObject({ kind: 'new-secret', oldSecretExpiresAt: '2024-01-17T22:09:17.180Z' })
    expect(n.kind === 'new-secret' && n.eventTime.toISOString()).toBe('2024-01-10T22:09:17.000Z')
  })

  it('reads an expiry notification', () => {
    expect(parseNotification(JSON.stringify(expiry))).toEqual({
      kind: 'secret-expiry',
      clientId: 'amzn1.application-oa2-client.EXAMPLE',
      expiresAt: new Date('2024-03-03T22:06:39.224Z'),
      eventTime: new Date('2024-01-10T02:15:10.045Z'),
    })
  })

  it('classifies other notification types with their client id', () => {
    const other = { ...expiry, notificationType: 'SOMETHING_ELSE' }
    expect(parseNotification(JSON.stringify(other))).toEqual({
      kind: 'other',
      type: 'SOMETHING_ELSE',
      clientId: 'amzn1.application-oa2-client.EXAMPLE',
    })
  })

  it('unwraps an SNS envelope', () => {
    const body = JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: JSON.stringify(newSecret) })
    expect(parseNotification(body)).toMatchObject({ kind: 'new-secret', newSecret: 'amzn1.oa2-cs.v1.EXAMPLE' })
  })

  it.each([
    ['not JSON', 'not json'],
    ['JSON that is not a notification', '[1,2]'],
    ['a new-secret notification without payload', JSON.stringify({ ...newSecret, payload: {} })],
  ])('reports %s as invalid', (_, body) => {
    expect(parseNotification(body).kind).toBe('invalid')
  })

  it('keeps what it can read of a new-secret notification that fails strict parsing', () => {
    expect(parseNotification(JSON.stringify({ ...newSecret, eventTime: 'yesterday' }))).toMatchObject({
      kind: 'new-secret-unreadable',
      clientId: 'amzn1.application-oa2-client.EXAMPLE',
      newSecret: 'amzn1.oa2-cs.v1.EXAMPLE',
      eventTime: undefined,
    })
  })

  it('neutralises workflow commands hidden in field names', () => {
    const body = structuredClone(newSecret) as unknown as { payload: { applicationOAuthClientNewSecret: Record<string, unknown> } }
    delete body.payload.applicationOAuthClientNewSecret.newClientSecretExpiryTime
    const n = parseNotification(JSON.stringify({ ...body, '\n::stop-commands::x': 1, eventTime: '\n::stop-commands::x' }))
    expect(n.kind === 'new-secret-unreadable' && n.reason).not.toMatch(/^::|\n/m)
  })

  it('names the bad fields but never their values', () => {
    const body = structuredClone(newSecret)
    Object.assign(body.payload.applicationOAuthClientNewSecret, {
      newClientSecret: 42,
      newClientSecretExpiryTime: 'amzn1.oa2-cs.v1.LEAKED',
    })
    const n = parseNotification(JSON.stringify(body))
    expect(n.kind).toBe('new-secret-unreadable')
    const reason = n.kind === 'new-secret-unreadable' ? n.reason : ''
    expect(reason).toContain('payload.applicationOAuthClientNewSecret.newClientSecret')
    expect(reason).not.toContain('LEAKED')
  })
})
