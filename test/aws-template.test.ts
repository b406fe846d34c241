/**
 * docs/aws/sp-api-rotation.yml, the AWS side as a CloudFormation template, checked for what it grants rather than
 * how it is spelled: the template is evaluated for given parameters the way CloudFormation would (conditions,
 * !If, !Sub, !Join; resources by symbolic tokens such as <Queue.Arn>), and its resource policies are run through a
 * small IAM evaluator (explicit deny wins, then allow) for the principals that matter: Amazon's notification
 * service, the rotation role, the account's administrators, a stranger and an anonymous caller.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse, type CollectionTag, type ScalarTag } from 'yaml'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

/** Amazon's account that sends SP-API notifications. */
const AMAZON = '437568002678'
const AMAZON_ROOT = `arn:aws:iam::${AMAZON}:root`
const ACCOUNT = '123456789012'
const REGION = 'eu-west-1'
const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'sp-api-rotation',
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing: CloudFormation's short forms (!Ref, !Sub, …) become the long forms ({Ref: …}, {'Fn::Sub': …}).

const FUNCTIONS = 'And Base64 Cidr Equals FindInMap GetAtt GetAZs If ImportValue Join Not Or Select Split Sub'.split(' ')

function cloudFormationTags(): Array<ScalarTag | CollectionTag> {
  const longName = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`)
  // !GetAtt A.B is the short form of ['A', 'B'] (split at the first dot: attribute names may hold more).
  const scalarValue = (name: string, value: string): Json =>
    name === 'GetAtt' ? [value.slice(0, value.indexOf('.')), value.slice(value.indexOf('.') + 1)] : value
  return ['Ref', 'Condition', ...FUNCTIONS].flatMap((name): Array<ScalarTag | CollectionTag> => [
    { tag: `!${name}`, resolve: (value: string) => ({ [longName(name)]: scalarValue(name, value) }) },
    ...(['seq', 'map'] as const).map((collection): CollectionTag => ({
      tag: `!${name}`,
      collection,
      resolve: (node) => ({ [longName(name)]: node.toJSON() as Json }),
    })),
  ])
}

const TEMPLATE_PATH = 'docs/aws/sp-api-rotation.yml'
const templateText = readFileSync(new URL(`../${TEMPLATE_PATH}`, import.meta.url), 'utf8')

interface Parameter {
  Type: string
  Default?: string
  AllowedPattern?: string
}
interface Resource {
  Type: string
  Condition?: string
  DependsOn?: string | string[]
  DeletionPolicy?: string
  Properties?: JsonObject
}
interface Template {
  Parameters: Record<string, Parameter>
  Conditions?: Record<string, Json>
  Resources: Record<string, Resource>
  Outputs: Record<string, { Value: Json }>
}

const template = parse(templateText, { customTags: cloudFormationTags() }) as Template

// ---------------------------------------------------------------------------------------------------------------
// Evaluation for given parameters. Ref to a resource gives <Id>, GetAtt gives <Id.Attr>; a reference to a resource
// whose condition is false is an error, as in CloudFormation.

const NO_VALUE = '\u0000AWS::NoValue'
type ParameterValues = Record<string, string | string[]>

interface Deployed {
  resources: Record<string, Resource & { Properties: JsonObject }>
  outputs: Record<string, Json>
}

function deploy(values: ParameterValues): Deployed {
  const parameters: Record<string, string | string[]> = {}
  for (const [name, p] of Object.entries(template.Parameters)) {
    const given = values[name] ?? p.Default
    if (given === undefined) throw new Error(`parameter ${name} has no value and no default`)
    // A CommaDelimitedList is split as CloudFormation does: '' becomes [''].
    const value = p.Type === 'CommaDelimitedList' && typeof given === 'string' ? given.split(',') : given
    if (p.AllowedPattern && typeof value === 'string' && !new RegExp(p.AllowedPattern).test(value))
      throw new Error(`parameter ${name}: '${value}' does not match its AllowedPattern`)
    parameters[name] = value
  }
  for (const name of Object.keys(values)) if (!(name in parameters)) throw new Error(`the template has no parameter ${name}`)

  const conditionCache = new Map<string, boolean>()
  const condition = (name: string): boolean => {
    const cached = conditionCache.get(name)
    if (cached !== undefined) return cached
    const definition = template.Conditions?.[name]
    if (definition === undefined) throw new Error(`unknown condition ${name}`)
    const result = evaluate(definition)
    if (typeof result !== 'boolean') throw new Error(`condition ${name} is not a boolean`)
    conditionCache.set(name, result)
    return result
  }
  const created = (id: string) => {
    const resource = template.Resources[id]
    if (!resource) return false
    return resource.Condition === undefined || condition(resource.Condition)
  }
  const ref = (name: string): Json => {
    if (name === 'AWS::NoValue') return NO_VALUE
    if (name in PSEUDO) return PSEUDO[name]!
    if (name in parameters) return parameters[name]!
    if (created(name)) return `<${name}>`
    throw new Error(`Ref to ${name}, which is neither a parameter nor a resource created with these parameters`)
  }
  const getAtt = (id: string, attribute: string): string => {
    if (!created(id)) throw new Error(`GetAtt of ${id}, which is not created with these parameters`)
    return `<${id}.${attribute}>`
  }
  const sub = (text: string, variables: JsonObject): string =>
    text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`
      const value = name in variables ? variables[name]! : name.includes('.') ? getAtt(...splitAtt(name)) : ref(name)
      if (typeof value !== 'string') throw new Error(`\${${name}} in a Sub is not a string`)
      return value
    })
  const splitAtt = (name: string): [string, string] => [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)]
  const strings = (value: Json, what: string): string[] => {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${what} needs a list of strings`)
    return value as string[]
  }

  function evaluate(node: Json): Json {
    if (Array.isArray(node)) return node.map(evaluate).filter((v) => v !== NO_VALUE)
    if (node === null || typeof node !== 'object') return node
    const keys = Object.keys(node)
    if (keys.length === 1) {
      const [key] = keys as [string]
      const arg = node[key]!
      switch (key) {
        case 'Ref':
          return ref(arg as string)
        case 'Condition':
          return condition(arg as string)
        case 'Fn::GetAtt':
          return getAtt(...(strings(arg, 'GetAtt') as [string, string]))
        case 'Fn::Sub': {
          if (typeof arg === 'string') return sub(arg, {})
          const [text, variables] = arg as [string, JsonObject]
          return sub(text, evaluate(variables) as JsonObject)
        }
        case 'Fn::If': {
          const [name, whenTrue, whenFalse] = arg as [string, Json, Json]
          return evaluate(condition(name) ? whenTrue : whenFalse)
        }
        case 'Fn::Equals': {
          const [a, b] = (arg as Json[]).map(evaluate)
          return JSON.stringify(a) === JSON.stringify(b)
        }
        case 'Fn::Not':
          return !(evaluate((arg as Json[])[0]!) as boolean)
        case 'Fn::And':
          return (arg as Json[]).every((c) => evaluate(c) === true)
        case 'Fn::Or':
          return (arg as Json[]).some((c) => evaluate(c) === true)
        case 'Fn::Join': {
          const [delimiter, list] = arg as [string, Json]
          return strings(evaluate(list), 'Join').join(delimiter)
        }
        case 'Fn::Split': {
          const [delimiter, text] = arg as [string, Json]
          return (evaluate(text) as string).split(delimiter)
        }
        case 'Fn::Select': {
          const [index, list] = arg as [Json, Json]
          return strings(evaluate(list), 'Select')[Number(evaluate(index))]!
        }
        default:
          if (key.startsWith('Fn::')) throw new Error(`the test's evaluator does not know ${key}`)
      }
    }
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(node)) {
      const evaluated = evaluate(value)
      if (evaluated !== NO_VALUE) out[key] = evaluated
    }
    return out
  }

  const resources: Deployed['resources'] = {}
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!created(id)) continue
    resources[id] = { ...resource, Properties: evaluate(resource.Properties ?? {}) as JsonObject }
  }
  const outputs = Object.fromEntries(Object.entries(template.Outputs).map(([name, output]) => [name, evaluate(output.Value)]))
  return { resources, outputs }
}

/** The one resource of a type, with its logical id. */
function only(deployed: Deployed, type: string): [string, JsonObject] {
  const found = Object.entries(deployed.resources).filter(([, r]) => r.Type === type)
  expect(
    found.map(([id]) => id),
    `exactly one ${type}`,
  ).toHaveLength(1)
  return [found[0]![0], found[0]![1].Properties]
}

// ---------------------------------------------------------------------------------------------------------------
// Policies: statements normalised, and an evaluator for resource policies.

interface Statement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Principal?: Json
  NotPrincipal?: Json
  Action?: string | string[]
  NotAction?: Json
  Resource?: Json
  NotResource?: Json
  Condition?: Record<string, Record<string, Json>>
}

const list = (value: Json | undefined): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])
const actionsOf = (s: Statement) => list(s.Action) as string[]
const awsPrincipals = (s: Statement) => (s.Principal === '*' ? ['*'] : (list((s.Principal as JsonObject | undefined)?.AWS) as string[]))
const statementsOf = (policy: Json): Statement[] => list((policy as { Statement: Json }).Statement) as unknown as Statement[]

const glob = (pattern: string, value: string, ignoreCase = false) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  ).test(value)

interface Caller {
  /** aws:PrincipalArn; absent for an anonymous caller. */
  arn?: string
  /** aws:PrincipalAccount */
  account?: string
  /** Other request context, e.g. kms:ViaService. */
  context?: Record<string, string>
}

/**
 * Whether a statement's Principal covers the caller. Another account's root stands for every principal of that
 * account (they still need their own IAM allow); this account's root only delegates to IAM policies, so it is no
 * grant by itself and matches nobody here.
 */
function principalMatches(principal: Json | undefined, caller: Caller): boolean {
  if (principal === '*') return true
  const aws = list((principal as JsonObject | undefined)?.AWS) as string[]
  return aws.some((p) => {
    if (p === '*') return true
    const root = /^arn:aws:iam::(\d{12}):root$/.exec(p)
    if (root) return root[1] !== ACCOUNT && caller.account === root[1]
    return caller.arn === p
  })
}

/** IAM's condition operators used here; a negated operator is true when the key is absent. */
function conditionHolds(condition: Statement['Condition'], caller: Caller): boolean {
  const context: Record<string, string | undefined> = {
    'aws:PrincipalArn': caller.arn,
    'aws:PrincipalAccount': caller.account,
    ...caller.context,
  }
  return Object.entries(condition ?? {}).every(([operator, tests]) => {
    const negated = /^(String|Arn)Not/.test(operator)
    const base = operator.replace('Not', '')
    const compare: Record<string, (pattern: string, value: string) => boolean> = {
      StringEquals: (p, v) => p === v,
      StringLike: (p, v) => glob(p, v),
      ArnEquals: (p, v) => p === v,
      ArnLike: (p, v) => glob(p, v),
    }
    const match = compare[base]
    if (!match) throw new Error(`the test's evaluator does not know the condition operator ${operator}`)
    return Object.entries(tests).every(([key, expected]) => {
      const value = context[key]
      if (value === undefined) return negated
      const any = (list(expected) as string[]).some((p) => match(p, value))
      return negated ? !any : any
    })
  })
}

type Decision = 'allow' | 'deny' | 'none'

function decide(policy: Json, caller: Caller, action: string): Decision {
  const applies = (s: Statement) =>
    actionsOf(s).some((a) => glob(a, action, true)) && principalMatches(s.Principal, caller) && conditionHolds(s.Condition, caller)
  const statements = statementsOf(policy)
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return 'deny'
  return statements.some((s) => s.Effect === 'Allow' && applies(s)) ? 'allow' : 'none'
}

// ---------------------------------------------------------------------------------------------------------------

const BASE: ParameterValues = { Repository: 'octo/shop' }
const SECRETS = [
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:lwa-client-secret-AbCdEf',
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-app-GhIjKl',
]

describe(`${TEMPLATE_PATH}`, () => {
  const deployed = deploy(BASE)
  const [queueId, queue] = only(deployed, 'AWS::SQS::Queue')
  const [keyId, key] = only(deployed, 'AWS::KMS::Key')
  const [roleId] = only(deployed, 'AWS::IAM::Role')
  const [, queuePolicy] = only(deployed, 'AWS::SQS::QueuePolicy')
  const queueArn = `<${queueId}.Arn>`
  const keyArn = `<${keyId}.Arn>`
  const roleArn = `<${roleId}.Arn>`

  const amazon: Caller = { account: AMAZON, arn: `arn:aws:iam::${AMAZON}:role/notifications-sender` }
  const role: Caller = { account: ACCOUNT, arn: roleArn }
  const admin: Caller = { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:role/Administrator` }
  const stranger: Caller = { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/mallory' }
  const anonymous: Caller = {}
  const viaSqs = (caller: Caller): Caller => ({
    ...caller,
    context: { 'kms:ViaService': `sqs.${REGION}.amazonaws.com`, ...(caller.account ? { 'kms:CallerAccount': caller.account } : {}) },
  })

  describe('parameters', () => {
    const pattern = (name: string) => new RegExp(template.Parameters[name]!.AllowedPattern!)

    it('Repository is OWNER/REPO without wildcards', () => {
      expect(template.Parameters.Repository?.Default).toBeUndefined()
      for (const ok of ['octo/shop', 'Octo-Org/shop.api_v2']) expect(pattern('Repository').test(ok), ok).toBe(true)
      for (const bad of ['octo', 'octo/*', '*/shop', 'octo/shop/x', 'octo/sh?p', '', 'octo/shop:ref:refs/heads/main'])
        expect(pattern('Repository').test(bad), bad).toBe(false)
    })

    it('Environment defaults to an environment, may be empty, and holds no wildcard or colon; Branch defaults to main', () => {
      expect(template.Parameters.Environment?.Default).toBe('lwa-rotation')
      for (const ok of ['', 'production', 'prod-eu_1.2']) expect(pattern('Environment').test(ok), ok).toBe(true)
      for (const bad of ['prod*', 'prod?', 'a:b']) expect(pattern('Environment').test(bad), bad).toBe(false)
      expect(template.Parameters.Branch?.Default).toBe('main')
      expect(pattern('Branch').test('main*')).toBe(false)
    })

    it('QueueName, SecretArns and KeySecretArns (optional CommaDelimitedLists) exist', () => {
      expect(template.Parameters.QueueName?.Default).toBeTruthy()
      expect(template.Parameters.SecretArns).toMatchObject({ Type: 'CommaDelimitedList', Default: '' })
      expect(template.Parameters.KeySecretArns).toMatchObject({ Type: 'CommaDelimitedList', Default: '' })
    })

    it('every reference resolves and no resource depends on itself', () => {
      // Collect the resources each resource refers to (Ref, GetAtt, ${…} in Sub, DependsOn) and look for a cycle.
      const ids = new Set(Object.keys(template.Resources))
      const refsIn = (node: Json, out: Set<string>): Set<string> => {
        if (Array.isArray(node)) node.forEach((n) => refsIn(n, out))
        else if (node !== null && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) {
            if (k === 'Ref' && typeof v === 'string') out.add(v)
            else if (k === 'Fn::GetAtt' && Array.isArray(v)) out.add(v[0] as string)
            else if (k === 'Fn::Sub') {
              const text = typeof v === 'string' ? v : ((v as Json[])[0] as string)
              for (const m of text.matchAll(/\$\{([^!}][^}.]*)/g)) out.add(m[1]!)
              if (Array.isArray(v)) refsIn(v[1]!, out)
            } else refsIn(v, out)
          }
        }
        return out
      }
      const known = new Set([...ids, ...Object.keys(template.Parameters), ...Object.keys(PSEUDO), 'AWS::NoValue'])
      const isResource = (name: string) => ids.has(name)
      const deps = new Map<string, string[]>()
      for (const [id, r] of Object.entries(template.Resources)) {
        const refs = refsIn(r.Properties ?? {}, new Set(list(r.DependsOn) as string[]))
        for (const name of refs) expect(known.has(name), `${id} refers to ${name}`).toBe(true)
        deps.set(id, [...refs].filter(isResource))
      }
      const visiting = new Set<string>()
      const done = new Set<string>()
      const visit = (id: string, path: string[]) => {
        if (done.has(id)) return
        expect(visiting.has(id), `dependency cycle: ${[...path, id].join(' → ')}`).toBe(false)
        visiting.add(id)
        for (const dep of deps.get(id) ?? []) visit(dep, [...path, id])
        visiting.delete(id)
        done.add(id)
      }
      for (const id of ids) visit(id, [])
    })
  })

  describe('the queue', () => {
    it('is a Standard queue named by QueueName that keeps messages 14 days', () => {
      expect(queue.FifoQueue ?? false).toBe(false)
      expect(queue.QueueName).toBe(template.Parameters.QueueName!.Default)
      expect(queue.MessageRetentionPeriod).toBe(1209600)
    })

    it("is encrypted with the template's own customer managed key, which rotates", () => {
      expect([keyArn, `<${keyId}>`]).toContain(queue.KmsMasterKeyId)
      expect(queue.SqsManagedSseEnabled ?? false).toBe(false)
      expect(key.EnableKeyRotation).toBe(true)
      expect(key.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT')
    })
  })

  describe('the key policy', () => {
    const policy = key.KeyPolicy!
    const statements = statementsOf(policy)

    it('lets the account administer the key', () => {
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' }),
      )
    })

    it("lets Amazon's account use kms:GenerateDataKey and kms:Decrypt through SQS, and nothing else", () => {
      expect(decide(policy, viaSqs(amazon), 'kms:GenerateDataKey')).toBe('allow')
      expect(decide(policy, viaSqs(amazon), 'kms:Decrypt')).toBe('allow')
      for (const action of ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'])
        expect(decide(policy, viaSqs(amazon), action), action).toBe('none')
      expect(decide(policy, viaSqs(stranger), 'kms:GenerateDataKey')).toBe('none')
      expect(decide(policy, viaSqs(anonymous), 'kms:Decrypt')).toBe('none')
    })

    it("puts no condition on Amazon's grant that its delivery through SQS would not meet", () => {
      // aws:SourceArn, aws:SourceAccount and the like are set for service principals only: with them, Amazon's
      // SendMessage would fail to encrypt. These keys are present when SQS calls KMS for Amazon.
      const safe = new Set(['kms:ViaService', 'kms:CallerAccount', 'kms:EncryptionContext:aws:sqs:arn'])
      const amazonStatements = statements.filter((s) => awsPrincipals(s).includes(AMAZON_ROOT))
      expect(amazonStatements.length).toBeGreaterThan(0)
      for (const s of amazonStatements)
        for (const tests of Object.values(s.Condition ?? {}))
          for (const key of Object.keys(tests)) expect(safe.has(key), `condition key ${key} on Amazon's grant`).toBe(true)
    })

    it('lets the rotation role decrypt through SQS, and nobody else in the account by the key policy alone', () => {
      expect(decide(policy, viaSqs(role), 'kms:Decrypt')).toBe('allow')
      expect(decide(policy, viaSqs(role), 'kms:GenerateDataKey')).toBe('none')
      expect(decide(policy, viaSqs(admin), 'kms:Decrypt')).toBe('none')
    })

    it("grants '*' only under conditions that name this account and the role", () => {
      for (const s of statements.filter((s) => s.Effect === 'Allow' && awsPrincipals(s).includes('*'))) {
        expect(s.Condition?.StringEquals?.['kms:CallerAccount'], s.Sid).toBe(ACCOUNT)
        expect(s.Condition?.ArnEquals?.['aws:PrincipalArn'], s.Sid).toBe(roleArn)
      }
    })
  })

  describe('the queue policy', () => {
    const policy = queuePolicy.PolicyDocument!
    const statements = statementsOf(policy)

    it('applies to this queue and names only it', () => {
      expect(queuePolicy.Queues).toEqual([`<${queueId}>`])
      for (const s of statements) expect(list(s.Resource), s.Sid).toEqual([queueArn])
      for (const s of statements) expect([s.NotAction, s.NotPrincipal, s.NotResource], s.Sid).toEqual([undefined, undefined, undefined])
    })

    it("allows Amazon's account, and only it, to send and to read the queue's attributes", () => {
      expect(decide(policy, amazon, 'sqs:SendMessage')).toBe('allow')
      expect(decide(policy, amazon, 'sqs:GetQueueAttributes')).toBe('allow')
      const allowed = statements.filter((s) => s.Effect === 'Allow')
      for (const s of allowed) {
        expect(s.Principal, s.Sid).toEqual({ AWS: AMAZON_ROOT })
        expect(actionsOf(s).sort(), s.Sid).toEqual(['sqs:GetQueueAttributes', 'sqs:SendMessage'])
      }
    })

    it('explicitly denies sending to everyone else, the account itself included', () => {
      for (const [who, caller] of Object.entries({ stranger, admin, role, anonymous }))
        expect(decide(policy, caller, 'sqs:SendMessage'), who).toBe('deny')
      const deny = statements.find((s) => s.Effect === 'Deny' && actionsOf(s).includes('sqs:SendMessage'))
      expect(deny?.Condition).toEqual({ StringNotEquals: { 'aws:PrincipalAccount': AMAZON } })
    })

    it('explicitly denies receiving, deleting and hiding messages to everyone but the rotation role', () => {
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
        for (const [who, caller] of Object.entries({ amazon, stranger, admin, anonymous }))
          expect(decide(policy, caller, action), `${who} ${action}`).toBe('deny')
        expect(decide(policy, role, action), `role ${action}`).not.toBe('deny')
      }
    })

    it('leaves the queue and its policy manageable by the account', () => {
      const management = [
        'sqs:SetQueueAttributes',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:DeleteQueue',
        'sqs:AddPermission',
        'sqs:RemovePermission',
        'sqs:TagQueue',
        'sqs:UntagQueue',
        'sqs:ListQueueTags',
      ]
      for (const action of management) expect(decide(policy, admin, action), action).not.toBe('deny')
      expect(decide(policy, amazon, 'sqs:GetQueueAttributes')).toBe('allow')
      for (const s of statements.filter((s) => s.Effect === 'Deny'))
        for (const action of actionsOf(s)) expect(action.includes('*'), `${s.Sid} denies ${action}`).toBe(false)
    })
  })

  describe('the GitHub OIDC role', () => {
    const trustOf = (values: ParameterValues) => {
      const d = deploy({ ...BASE, ...values })
      const statements = statementsOf(only(d, 'AWS::IAM::Role')[1].AssumeRolePolicyDocument!)
      expect(statements).toHaveLength(1)
      return { deployed: d, statement: statements[0]! }
    }

    it("trusts GitHub's OIDC tokens for sts.amazonaws.com from this repository's environment", () => {
      const { statement } = trustOf({ Environment: 'production' })
      expect(statement.Effect).toBe('Allow')
      expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity')
      expect(statement.Condition).toEqual({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:octo/shop:environment:production',
        },
      })
    })

    it('trusts the environment lwa-rotation by default, never a branch', () => {
      expect(trustOf({}).statement.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub']).toBe(
        'repo:octo/shop:environment:lwa-rotation',
      )
      expect(trustOf({ Branch: 'release/v2' }).statement.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub']).toBe(
        'repo:octo/shop:environment:lwa-rotation',
      )
    })

    it('trusts the branch (main by default) only when Environment is empty', () => {
      expect(trustOf({ Environment: '' }).statement.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub']).toBe(
        'repo:octo/shop:ref:refs/heads/main',
      )
      expect(
        trustOf({ Environment: '', Branch: 'release/v2' }).statement.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub'],
      ).toBe('repo:octo/shop:ref:refs/heads/release/v2')
    })

    it("creates GitHub's OIDC provider, and keeps it when the stack goes, unless an existing one is given", () => {
      const created = trustOf({})
      const [providerId, provider] = only(created.deployed, 'AWS::IAM::OIDCProvider')
      expect(provider).toMatchObject({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] })
      expect(created.deployed.resources[providerId]!.DeletionPolicy).toBe('Retain')
      expect(created.statement.Principal).toEqual({ Federated: `<${providerId}.Arn>` })

      const existing = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`
      const given = trustOf({ GitHubOidcProviderArn: existing })
      expect(Object.values(given.deployed.resources).map((r) => r.Type)).not.toContain('AWS::IAM::OIDCProvider')
      expect(given.statement.Principal).toEqual({ Federated: existing })
    })

    /** Every Allow statement that applies to the role: inline, attached policies and managed policies. */
    function permissionsOf(d: Deployed): Statement[] {
      const [id, props] = only(d, 'AWS::IAM::Role')
      expect(props.ManagedPolicyArns ?? [], 'no managed policies on the role').toEqual([])
      const statements = (list(props.Policies) as JsonObject[]).flatMap((p) => statementsOf(p.PolicyDocument!))
      for (const r of Object.values(d.resources)) {
        const p = r.Properties
        const attached =
          (r.Type === 'AWS::IAM::RolePolicy' && p.RoleName === `<${id}>`) ||
          (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type) && list(p.Roles).includes(`<${id}>`))
        if (attached) statements.push(...statementsOf(p.PolicyDocument!))
      }
      return statements
    }

    /** The Secrets Manager ARNs of a deployment: whole-value targets and #KEY targets. */
    interface Secrets {
      whole: string[]
      keyed: string[]
    }
    const NONE: Secrets = { whole: [], keyed: [] }

    /** Each action the role may need, and the resources it may be granted on. */
    const ALLOWED: Record<string, (secrets: Secrets) => string[]> = {
      'sqs:ReceiveMessage': () => [queueArn],
      'sqs:ChangeMessageVisibility': () => [queueArn],
      'sqs:DeleteMessage': () => [queueArn],
      'sqs:GetQueueAttributes': () => [queueArn],
      'kms:Decrypt': () => [keyArn],
      'secretsmanager:DescribeSecret': ({ whole, keyed }) => [...whole, ...keyed],
      'secretsmanager:PutSecretValue': ({ whole, keyed }) => [...whole, ...keyed],
      // Reading a secret is needed only to keep the other keys of a JSON object.
      'secretsmanager:GetSecretValue': ({ keyed }) => keyed,
    }

    /** Every action granted, with the resources it is granted on over all statements. */
    function checkPermissions(statements: Statement[], secrets: Secrets): Map<string, string[]> {
      const granted = new Map<string, string[]>()
      for (const s of statements) {
        expect(s.Effect, s.Sid).toBe('Allow')
        expect([s.NotAction, s.NotResource], s.Sid).toEqual([undefined, undefined])
        const resources = list(s.Resource) as string[]
        for (const r of resources) expect(r.includes('*'), `${s.Sid}: resource ${r}`).toBe(false)
        for (const action of actionsOf(s)) {
          expect(action.includes('*'), `${s.Sid}: action ${action}`).toBe(false)
          expect(Object.keys(ALLOWED), `${s.Sid}: ${action} is not one the role needs`).toContain(action)
          granted.set(action, [...(granted.get(action) ?? []), ...resources])
        }
      }
      for (const [action, resources] of granted) expect(resources.sort(), `${action} on`).toEqual(ALLOWED[action]!(secrets).sort())
      return granted
    }

    it('may only receive, hide and delete messages of this queue and decrypt with its key', () => {
      const granted = checkPermissions(permissionsOf(deployed), NONE)
      expect([...granted.keys()].sort()).toEqual(
        Object.keys(ALLOWED)
          .filter((a) => !a.startsWith('secretsmanager:'))
          .sort(),
      )
    })

    const secretsManagerActions = (granted: Map<string, string[]>) =>
      [...granted.keys()].filter((a) => a.startsWith('secretsmanager:')).sort()

    it('gets no Secrets Manager permission while SecretArns and KeySecretArns are empty', () => {
      for (const empty of [{}, { SecretArns: '' }, { KeySecretArns: '' }, { SecretArns: '', KeySecretArns: '' }] as ParameterValues[]) {
        expect(secretsManagerActions(checkPermissions(permissionsOf(deploy({ ...BASE, ...empty })), NONE))).toEqual([])
      }
    })

    it('may replace the whole value of the SecretArns secrets, never read them', () => {
      const granted = checkPermissions(permissionsOf(deploy({ ...BASE, SecretArns: SECRETS.join(',') })), { whole: SECRETS, keyed: [] })
      expect(secretsManagerActions(granted)).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'])
    })

    it('may read and update the KeySecretArns secrets, the only ones it may read', () => {
      const [whole, keyed] = [[SECRETS[0]!], [SECRETS[1]!]]
      const granted = checkPermissions(permissionsOf(deploy({ ...BASE, SecretArns: whole.join(','), KeySecretArns: keyed.join(',') })), {
        whole,
        keyed,
      })
      expect(secretsManagerActions(granted)).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
      ])
      expect(granted.get('secretsmanager:GetSecretValue')).toEqual(keyed)
      const onlyKeyed = checkPermissions(permissionsOf(deploy({ ...BASE, KeySecretArns: keyed.join(',') })), { whole: [], keyed })
      expect(onlyKeyed.get('secretsmanager:PutSecretValue')).toEqual(keyed)
    })
  })

  it('outputs the queue URL, the queue ARN and the role ARN', () => {
    expect(deployed.outputs).toMatchObject({ QueueUrl: `<${queueId}>`, QueueArn: queueArn, RoleArn: roleArn })
  })
})

describe(`${TEMPLATE_PATH}: Parameter Store parameters`, () => {
  const PARAMETERS = [
    `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/sp-api/lwa-client-secret`,
    `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/sp-api/eu/lwa-client-secret`,
  ]
  const KEYS = [`arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`]
  const viaSsm = { 'kms:ViaService': `ssm.${REGION}.amazonaws.com` }

  /** The statements of the role's policies that these values add to a deployment without them. */
  const added = (values: ParameterValues): Statement[] => {
    const statements = (d: Deployed) => {
      const [roleId] = only(d, 'AWS::IAM::Role')
      return Object.values(d.resources)
        .filter((r) => r.Type === 'AWS::IAM::RolePolicy' && r.Properties.RoleName === `<${roleId}>`)
        .flatMap((r) => statementsOf(r.Properties.PolicyDocument!))
    }
    const before = new Set(statements(deploy(BASE)).map((s) => JSON.stringify(s)))
    return statements(deploy({ ...BASE, ...values })).filter((s) => !before.has(JSON.stringify(s)))
  }

  /** An identity policy's verdict: some Allow statement names the action and the resource, and its conditions hold. */
  const allows = (statements: Statement[], action: string, resource: string, context: Record<string, string> = {}) =>
    statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        actionsOf(s).some((a) => glob(a, action, true)) &&
        (list(s.Resource) as string[]).some((r) => glob(r, resource)) &&
        conditionHolds(s.Condition, { context }),
    )

  it('SsmParameterArns and SsmParameterKeyArns are optional CommaDelimitedLists', () => {
    for (const name of ['SsmParameterArns', 'SsmParameterKeyArns'])
      expect(template.Parameters[name], name).toMatchObject({ Type: 'CommaDelimitedList', Default: '' })
  })

  it('grant nothing when SsmParameterArns is empty, even with key ARNs', () => {
    expect(added({})).toEqual([])
    expect(added({ SsmParameterArns: '' })).toEqual([])
    expect(added({ SsmParameterKeyArns: KEYS.join(',') })).toEqual([])
  })

  it('let the role read and overwrite exactly the named parameters, and describe parameters (not resource-scoped)', () => {
    const statements = added({ SsmParameterArns: PARAMETERS.join(',') })
    for (const parameter of PARAMETERS) {
      for (const action of ['ssm:GetParameter', 'ssm:PutParameter']) expect(allows(statements, action, parameter), action).toBe(true)
      for (const action of ['ssm:DeleteParameter', 'ssm:LabelParameterVersion', 'ssm:AddTagsToResource', 'ssm:GetParametersByPath'])
        expect(allows(statements, action, parameter), action).toBe(false)
    }
    expect(allows(statements, 'ssm:GetParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/another`)).toBe(false)
    expect(allows(statements, 'ssm:DescribeParameters', '*')).toBe(true)
    // '*' only for the one action that cannot be scoped; no wildcard in any action.
    for (const s of statements) {
      for (const action of actionsOf(s)) expect(action.includes('*'), `${s.Sid}: ${action}`).toBe(false)
      if ((list(s.Resource) as string[]).includes('*')) expect(actionsOf(s), s.Sid).toEqual(['ssm:DescribeParameters'])
    }
    // The AWS managed key aws/ssm needs no grant here: its key policy already allows the account through Parameter Store.
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('kms:'))).toEqual([])
  })

  it("let the role use the parameters' customer managed keys, only through Parameter Store in this region", () => {
    const statements = added({ SsmParameterArns: PARAMETERS.join(','), SsmParameterKeyArns: KEYS.join(',') })
    expect(new Set(statements.flatMap(actionsOf))).toEqual(
      new Set(['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DescribeParameters', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']),
    )
    for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']) {
      expect(allows(statements, action, KEYS[0]!, viaSsm), action).toBe(true)
      expect(allows(statements, action, KEYS[0]!), `${action} called directly`).toBe(false)
      expect(allows(statements, action, KEYS[0]!, { 'kms:ViaService': `sqs.${REGION}.amazonaws.com` }), `${action} through SQS`).toBe(false)
      expect(allows(statements, action, `arn:aws:kms:${REGION}:${ACCOUNT}:key/another`, viaSsm), `${action} on another key`).toBe(false)
    }
    for (const action of ['kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:DescribeKey'])
      expect(allows(statements, action, KEYS[0]!, viaSsm), action).toBe(false)
  })
})
