import { describe, expect, it } from 'vitest'
import { amazonMaySend, strangers } from '../../src/core/queue-policy.ts'

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const amazonSends = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::437568002678:root' }, Action: 'sqs:SendMessage', Resource: '*' }

describe('strangers', () => {
  it('finds nothing in the policy docs/aws sets up: Amazon sends, the account reads', () => {
    const own = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:role/rotation' },
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
    }
    expect(strangers(policy(amazonSends, own), '123456789012')).toEqual([])
    expect(amazonMaySend(policy(amazonSends, own)).ok).toBe(true)
  })

  it('names every grant to anyone else, wildcards and conditions included', () => {
    const found = strangers(
      policy(
        amazonSends,
        { Effect: 'Allow', Principal: '*', Action: 'sqs:*' },
        {
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'sqs:SendMessage',
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        },
        { Effect: 'Deny', Principal: '*', Action: 'sqs:*' },
      ),
      '123456789012',
    )
    expect(found).toEqual([
      'statement 2 lets * send',
      'statement 2 lets * ReceiveMessage and DeleteMessage',
      'statement 3 (with conditions) lets 111122223333 send',
    ])
  })

  it('reads no policy, or one that is not JSON, as granting nothing', () => {
    expect(strangers(undefined, '123456789012')).toEqual([])
    expect(strangers('{not json', '123456789012')).toEqual([])
  })
})
