/**
 * The faults a faulty run of the soak may draw: each named, with the service it hits, whether it lasts for the
 * whole run (permanent) or passes after a try or two (transient), which targets it needs to matter, and how it
 * is injected into the world. A faulty run's faults are armed before it starts and cleared after it ends, so the
 * clean runs that follow see none of them.
 */
import { REPO, SECRET_NAME, type World } from '../support/world.ts'
import type { SecretsManagerSim } from '../sim/secrets-manager.ts'
import type { RotationRecord } from '../sim/amazon.ts'
import type { TargetKind } from './draw.ts'

export interface FaultContext {
  world: World
  /** The Secrets Manager simulator, when a target lives there. */
  sm: SecretsManagerSim | undefined
  targets: TargetKind[]
  /** Calls `fn` when Amazon accepts a rotation during this run. */
  onRotation: (fn: (record: RotationRecord) => void) => void
  /** Undoes what `inject` changed that clearing the fault queues does not (a flag, a denial), after the run. */
  afterRun: (fn: () => void) => void
}

export interface FaultSpec {
  service: 'GitHub' | 'LWA' | 'SP-API' | 'SQS' | 'Secrets Manager'
  kind: 'transient' | 'permanent' | 'ambiguous'
  /** What the fault is, for the reports and docs. */
  what: string
  /** Drawn only when the run has a target of one of these kinds (undefined: always). */
  needs?: TargetKind[]
  inject(ctx: FaultContext): void
}

const GITHUB_KINDS: TargetKind[] = ['repository', 'environment', 'organization']
const SM_KINDS: TargetKind[] = ['secrets-manager', 'secrets-manager-keys']
const serverError = { errors: [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' }] }
/** Far more than any retry loop of the action makes in one run: the fault lasts the whole run. */
const ALWAYS = 200

/** The path of a secret write for each GitHub target kind. */
const writePath: Partial<Record<TargetKind, RegExp>> = {
  repository: new RegExp(`^/repos/${REPO}/actions/secrets/${SECRET_NAME}$`),
  environment: new RegExp(`^/repos/${REPO}/environments/production/secrets/${SECRET_NAME}$`),
  organization: new RegExp(`^/orgs/octo/actions/secrets/${SECRET_NAME}$`),
}

export const FAULTS = {
  'github-put-502-twice': {
    service: 'GitHub',
    kind: 'transient',
    what: 'a secret write answers 502 twice',
    needs: GITHUB_KINDS,
    inject: ({ world }) => world.github.failNext({ method: 'PUT' }, { status: 502, body: { message: 'Bad Gateway' }, times: 2 }),
  },
  'github-public-key-503': {
    service: 'GitHub',
    kind: 'transient',
    what: 'a public-key read answers 503',
    needs: GITHUB_KINDS,
    inject: ({ world }) =>
      world.github.failNext({ method: 'GET', path: /public-key$/ }, { status: 503, body: { message: 'Service Unavailable' } }),
  },
  'github-secondary-rate-limit': {
    service: 'GitHub',
    kind: 'transient',
    what: 'a secret write hits the secondary rate limit (403, retry-after 1)',
    needs: GITHUB_KINDS,
    inject: ({ world }) =>
      world.github.failNext(
        { method: 'PUT' },
        { status: 403, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '1' } },
      ),
  },
  'github-one-target-refused': {
    service: 'GitHub',
    kind: 'permanent',
    what: 'the token may not write one GitHub target (403 on every write)',
    needs: GITHUB_KINDS,
    inject: ({ world, targets }) => {
      const kind = GITHUB_KINDS.find((k) => targets.includes(k))!
      world.github.failNext(
        { method: 'PUT', path: writePath[kind]! },
        { status: 403, body: { message: 'Resource not accessible by integration' }, times: ALWAYS },
      )
    },
  },
  'github-put-500-always': {
    service: 'GitHub',
    kind: 'permanent',
    what: 'every secret write answers 500',
    needs: GITHUB_KINDS,
    inject: ({ world }) => world.github.failNext({ method: 'PUT' }, { status: 500, body: { message: 'Server Error' }, times: ALWAYS }),
  },
  'lwa-503-twice': {
    service: 'LWA',
    kind: 'transient',
    what: 'LWA answers 503 twice',
    inject: ({ world }) => world.amazon.failNext('token', { status: 503, body: { error: 'temporarily_unavailable' }, times: 2 }),
  },
  'lwa-no-answer-once': {
    service: 'LWA',
    kind: 'transient',
    what: 'LWA does not answer one request (its timeout)',
    inject: ({ world }) => world.amazon.failNext('token', { status: 0, hang: true }),
  },
  'lwa-down': {
    service: 'LWA',
    kind: 'permanent',
    what: 'LWA answers 503 to every request for the whole run (the preflight cannot pass)',
    inject: ({ world }) => world.amazon.failNext('token', { status: 503, body: { error: 'temporarily_unavailable' }, times: ALWAYS }),
  },
  'lwa-500-after-rotation': {
    service: 'LWA',
    kind: 'permanent',
    what: 'LWA answers 500 from the moment Amazon accepts the rotation (verification cannot finish)',
    inject: ({ world, onRotation }) =>
      onRotation(() => world.amazon.failNext('token', { status: 500, body: { error: 'server_error' }, times: ALWAYS })),
  },
  'lwa-rejects-new-secrets': {
    service: 'LWA',
    kind: 'permanent',
    what: 'LWA rejects every new secret for the whole run',
    inject: ({ world, afterRun }) => {
      world.amazon.rejectNewSecrets = true
      afterRun(() => (world.amazon.rejectNewSecrets = false))
    },
  },
  'sp-api-500-retry-after': {
    service: 'SP-API',
    kind: 'transient',
    what: 'the rotate call answers 500 with retry-after 1',
    inject: ({ world }) => world.amazon.failNext('rotate', { status: 500, body: serverError, headers: { 'retry-after': '1' } }),
  },
  'sp-api-503-retry-after': {
    service: 'SP-API',
    kind: 'transient',
    what: 'the rotate call answers 503 with retry-after 1',
    inject: ({ world }) => world.amazon.failNext('rotate', { status: 503, body: serverError, headers: { 'retry-after': '1' } }),
  },
  'sp-api-403': {
    service: 'SP-API',
    kind: 'permanent',
    what: 'the rotate call is refused (403 Unauthorized)',
    inject: ({ world }) =>
      world.amazon.failNext('rotate', {
        status: 403,
        body: { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] },
        times: ALWAYS,
      }),
  },
  'sp-api-accepted-then-500': {
    service: 'SP-API',
    kind: 'ambiguous',
    what: 'Amazon rotates, but answers 500 with retry-after 1',
    inject: ({ world }) => world.amazon.failNextAccepted({ status: 500, body: serverError, headers: { 'retry-after': '1' } }),
  },
  'sp-api-accepted-no-answer': {
    service: 'SP-API',
    kind: 'ambiguous',
    what: 'Amazon rotates, but the answer never comes (the request times out)',
    inject: ({ world }) => world.amazon.failNextAccepted({ status: 0, hang: true }),
  },
  'sqs-receive-500-twice': {
    service: 'SQS',
    kind: 'transient',
    what: 'ReceiveMessage fails with InternalError twice',
    inject: ({ world }) => world.sqsProxy.failNext('ReceiveMessage', { status: 500, type: 'InternalError', times: 2 }),
  },
  'sqs-throttled': {
    service: 'SQS',
    kind: 'transient',
    what: 'GetQueueAttributes, ChangeMessageVisibility and DeleteMessage are throttled once or twice',
    inject: ({ world }) => {
      world.sqsProxy.failNext('GetQueueAttributes', { status: 400, type: 'ThrottlingException', times: 2 })
      world.sqsProxy.failNext('ChangeMessageVisibility', { status: 400, type: 'ThrottlingException' })
      world.sqsProxy.failNext('DeleteMessage', { status: 400, type: 'ThrottlingException' })
    },
  },
  'sqs-delete-denied': {
    service: 'SQS',
    kind: 'permanent',
    what: 'DeleteMessage is denied (AccessDenied) for the whole run',
    inject: ({ world }) => world.sqsProxy.failNext('DeleteMessage', { status: 400, type: 'AccessDenied', times: ALWAYS }),
  },
  'sqs-visibility-denied': {
    service: 'SQS',
    kind: 'permanent',
    what: 'ChangeMessageVisibility is denied (AccessDenied) for the whole run',
    inject: ({ world }) => world.sqsProxy.failNext('ChangeMessageVisibility', { status: 400, type: 'AccessDenied', times: ALWAYS }),
  },
  'sqs-receive-denied': {
    service: 'SQS',
    kind: 'permanent',
    what: 'ReceiveMessage is denied (AccessDenied) for the whole run',
    inject: ({ world }) => world.sqsProxy.failNext('ReceiveMessage', { status: 400, type: 'AccessDenied', times: ALWAYS }),
  },
  'sm-put-500-once': {
    service: 'Secrets Manager',
    kind: 'transient',
    what: 'PutSecretValue fails with InternalServiceError once',
    needs: SM_KINDS,
    inject: ({ sm }) => sm!.failNext('PutSecretValue', { status: 500, body: { __type: 'InternalServiceError', Message: 'injected' } }),
  },
  'sm-describe-throttled': {
    service: 'Secrets Manager',
    kind: 'transient',
    what: 'DescribeSecret is throttled twice',
    needs: SM_KINDS,
    inject: ({ sm }) =>
      sm!.failNext('DescribeSecret', { status: 400, body: { __type: 'ThrottlingException', Message: 'Rate exceeded' }, times: 2 }),
  },
  'sm-put-denied': {
    service: 'Secrets Manager',
    kind: 'permanent',
    what: 'PutSecretValue is denied (AccessDenied) for the whole run',
    needs: SM_KINDS,
    inject: ({ sm, afterRun }) => afterRun(sm!.deny('PutSecretValue')),
  },
} satisfies Record<string, FaultSpec>

export type FaultName = keyof typeof FAULTS

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[]
