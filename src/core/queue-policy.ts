/**
 * Whether a queue's access policy lets Amazon's notification service send to it: an Allow of
 * sqs:SendMessage for account 437568002678 that no Deny without conditions takes away. A reading of the
 * policy document only (conditions on an Allow are assumed to hold for Amazon); IAM decides for real.
 * Pure: no I/O.
 */

export const AMAZON_ACCOUNT = '437568002678'

interface Statement {
  Effect?: unknown
  Principal?: unknown
  NotPrincipal?: unknown
  Action?: unknown
  NotAction?: unknown
  Condition?: unknown
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value])

function coversSend(s: Statement): boolean {
  if (s.NotAction !== undefined) return !list(s.NotAction).some((a) => matchesSend(a))
  return list(s.Action).some((a) => matchesSend(a))
}

function matchesSend(action: unknown): boolean {
  if (typeof action !== 'string') return false
  const pattern = new RegExp(
    `^${action
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  )
  return pattern.test('sqs:SendMessage')
}

function namesAmazon(principal: unknown): boolean {
  if (principal === '*') return true
  if (!principal || typeof principal !== 'object') return false
  const aws = list((principal as { AWS?: unknown }).AWS)
  return aws.some((p) => p === '*' || p === AMAZON_ACCOUNT || p === `arn:aws:iam::${AMAZON_ACCOUNT}:root`)
}

/** ok, or why not, in words that say what to add. */
export function amazonMaySend(policy: string | undefined): { ok: boolean; why: string } {
  if (!policy) return { ok: false, why: `the queue has no access policy, so Amazon (account ${AMAZON_ACCOUNT}) cannot send to it` }
  let statements: Statement[]
  try {
    statements = list((JSON.parse(policy) as { Statement?: unknown }).Statement) as Statement[]
  } catch {
    return { ok: false, why: 'the queue policy is not valid JSON' }
  }
  const denied = statements.some(
    (s) =>
      s.Effect === 'Deny' &&
      s.Condition === undefined &&
      coversSend(s) &&
      (s.NotPrincipal !== undefined ? !namesAmazon(s.NotPrincipal) : namesAmazon(s.Principal)),
  )
  if (denied)
    return { ok: false, why: `a Deny without conditions in the queue policy covers sqs:SendMessage by Amazon (account ${AMAZON_ACCOUNT})` }
  const allowed = statements.some((s) => s.Effect === 'Allow' && coversSend(s) && namesAmazon(s.Principal))
  if (!allowed) return { ok: false, why: `no statement of the queue policy allows sqs:SendMessage to Amazon (account ${AMAZON_ACCOUNT})` }
  return { ok: true, why: `the queue policy allows Amazon (account ${AMAZON_ACCOUNT}) to send` }
}
