/**
 * What a queue's access policy lets Amazon and others do.
 *
 * amazonMaySend: whether Amazon's notification service may send to it: an Allow of
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

function covers(s: Statement, action: string): boolean {
  if (s.NotAction !== undefined) return !list(s.NotAction).some((a) => matches(a, action))
  return list(s.Action).some((a) => matches(a, action))
}

const coversSend = (s: Statement) => covers(s, 'sqs:SendMessage')

function matches(pattern: unknown, action: string): boolean {
  if (typeof pattern !== 'string') return false
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  )
  return regex.test(action)
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

/** The account ids (or '*') a principal element names; a service principal counts as itself. */
function accountsOf(principal: unknown): string[] {
  if (principal === '*') return ['*']
  if (!principal || typeof principal !== 'object') return []
  const p = principal as { AWS?: unknown; Service?: unknown }
  const aws = list(p.AWS).map((a) => (typeof a === 'string' ? (/^arn:aws[\w-]*:iam::(\d{12}):/.exec(a)?.[1] ?? a) : String(a)))
  return [...aws, ...list(p.Service).map(String)]
}

/**
 * Who besides Amazon may send, and who outside the queue's own account may receive or delete: each such grant,
 * in words. An Allow with conditions is still listed (a condition narrows, the reader cannot tell how far).
 */
export function strangers(policy: string | undefined, queueAccount: string | undefined): string[] {
  let statements: Statement[]
  try {
    statements = list((JSON.parse(policy ?? '{}') as { Statement?: unknown }).Statement) as Statement[]
  } catch {
    return []
  }
  const found: string[] = []
  statements.forEach((s, i) => {
    if (s.Effect !== 'Allow') return
    const accounts = accountsOf(s.Principal)
    const where = `statement ${i + 1}${s.Condition === undefined ? '' : ' (with conditions)'}`
    const senders = accounts.filter((a) => a !== AMAZON_ACCOUNT)
    if (coversSend(s) && senders.length) found.push(`${where} lets ${senders.join(', ')} send`)
    const readers = accounts.filter((a) => a !== queueAccount)
    const reads = ['sqs:ReceiveMessage', 'sqs:DeleteMessage'].filter((a) => covers(s, a))
    if (reads.length && readers.length) found.push(`${where} lets ${readers.join(', ')} ${reads.map((a) => a.slice(4)).join(' and ')}`)
  })
  return found
}
