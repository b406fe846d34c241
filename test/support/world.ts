/**
 * One isolated world for an end-to-end case: a fauxqs SQS server with the application's queue, the Amazon
 * and GitHub simulators on loopback (and, when asked for, the Parameter Store simulator), a registered
 * application and a repository with a token that may write its secrets, its expiry variable and its alert issues.
 * `run()` executes the bundled action against it and throws on any leak (in what the run writes, and in the
 * repository's issues).
 */
import { randomBytes } from 'node:crypto'
import { startAmazonSim, type AmazonSim, type AmazonSimOptions } from '../sim/amazon.ts'
import { startGitHubSim, type GitHubSim } from '../sim/github.ts'
import { startSsmSim, type SsmSim } from '../sim/ssm.ts'
import { findLeaks, runAction, type RunOptions, type RunResult } from './action.ts'
import { AWS_REGION, AWS_TEST_CREDENTIALS, startSqs, type Sqs } from './sqs.ts'
import { startSqsProxy, type SqsProxy } from './sqs-proxy.ts'

export const REPO = 'octo/shop'
export const SECRET_NAME = 'LWA_CLIENT_SECRET'

export interface WorldOptions {
  amazon?: Partial<Omit<AmazonSimOptions, 'sqs'>>
  environments?: string[]
  /** Queue attributes, e.g. a short MessageRetentionPeriod. */
  queueAttributes?: Record<string, string>
  /** Register the application without a queue for the new-secret notification. */
  notEnrolled?: boolean
  /**
   * Delay every answer of the Amazon and GitHub simulators and of the SQS proxy by this long (default 0), as a
   * network round trip would: for the benchmark. `amazon.latencyMs` overrides it for Amazon.
   */
  latencyMs?: number
  /** Start the Parameter Store simulator too (world.ssm), reached through AWS_ENDPOINT_URL_SSM. */
  ssm?: boolean
}

export interface World {
  sqs: Sqs
  /** What the action reaches SQS through: faults and holds by SQS action. */
  sqsProxy: SqsProxy
  /** Runs of the action so far. */
  runs: number
  /** Faults injected so far: simulator and SQS faults (each time counted), held requests, killed runs. */
  faults: number
  amazon: AmazonSim
  github: GitHubSim
  /** The Parameter Store simulator; only in a world created with `ssm: true`. */
  readonly ssm: SsmSim
  queueName: string
  queueUrl: string
  clientId: string
  initialSecret: string
  refreshToken: string
  githubToken: string
  /** Adds another application on the same queue (several apps may share one). */
  addApplication(): { clientId: string; secret: string }
  /** The inputs of a plain run, with overrides. */
  inputs(overrides?: Record<string, string>): Record<string, string>
  env(overrides?: Record<string, string>): Record<string, string>
  run(options?: Partial<RunOptions>): Promise<RunResult>
  /** Plaintext GitHub holds for a scope ('owner/repo' or 'owner/repo:env'). */
  stored(scope?: string, name?: string): string | undefined
  /** Every scope and name GitHub was asked to write that now holds `secret` ('owner/repo NAME', …). */
  holders(secret: string): string[]
  /** The new-secret messages for a client id still in the queue, visible or in flight. */
  pendingSecrets(clientId?: string): string[]
  close(): Promise<void>
}

const random = (bytes = 16) => randomBytes(bytes).toString('hex')

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const sqs = await startSqs()
  const queueName = `sp-api-notifications-${random(4)}`
  const queueUrl = sqs.createQueue(queueName, options.queueAttributes)
  const latencyMs = options.latencyMs ?? 0
  const sqsProxy = await startSqsProxy(sqs.endpoint, { latencyMs })
  const amazon = await startAmazonSim({
    sqs: sqs.client,
    notificationDelayMs: 200,
    usagePlanIntervalMs: 60_000,
    latencyMs,
    ...options.amazon,
  })
  const github = await startGitHubSim({ latencyMs })
  const ssm = options.ssm ? await startSsmSim() : undefined
  github.addRepo(REPO, { environments: options.environments ?? ['production'] })
  const githubToken = `ghs_${random(18)}`
  github.addToken(githubToken, { write: [REPO, `variables:${REPO}`, `issues:${REPO}`] })

  const extraSecrets: string[] = [githubToken]
  const refreshToken = `Atzr|${random(32)}`
  extraSecrets.push(refreshToken)
  const addApplication = () => {
    const app = { clientId: `amzn1.application-oa2-client.${random()}`, secret: `amzn1.oa2-cs.v1.${random(32)}` }
    amazon.addApplication({ ...app, refreshToken, queueUrl: options.notEnrolled ? undefined : queueUrl })
    extraSecrets.push(app.secret)
    return app
  }
  const { clientId, secret: initialSecret } = addApplication()

  const world: World = {
    sqs,
    sqsProxy,
    runs: 0,
    faults: 0,
    amazon,
    github,
    get ssm() {
      if (!ssm) throw new Error('world.ssm: create the world with { ssm: true }')
      return ssm
    },
    queueName,
    queueUrl,
    clientId,
    initialSecret,
    refreshToken,
    githubToken,
    addApplication,
    inputs: (overrides = {}) => ({
      'client-id': clientId,
      'client-secret': initialSecret,
      'sqs-queue-url': queueUrl,
      'github-token': githubToken,
      'lwa-endpoint': amazon.lwaEndpoint,
      'sp-api-endpoint': amazon.spApiEndpoint,
      'receive-timeout': '30',
      ...overrides,
    }),
    env: (overrides = {}) => ({
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: REPO,
      AWS_ENDPOINT_URL_SQS: sqsProxy.endpoint,
      ...(ssm && { AWS_ENDPOINT_URL_SSM: ssm.url }),
      AWS_REGION,
      AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
      // Debug logging on, so the leak check covers what it adds too.
      RUNNER_DEBUG: '1',
      ACTIONS_STEP_DEBUG: 'true',
      ...overrides,
    }),
    async run(runOptions = {}) {
      world.runs++
      const result = await runAction({
        ...runOptions,
        inputs: runOptions.inputs ?? world.inputs(),
        env: { ...world.env(), ...runOptions.env },
      })
      if (result.killed) world.faults++
      // Every end-to-end run is checked for leaks of every value that must stay secret, its alert issues included.
      const issues = github.issues(REPO).flatMap((i) => [i.title, i.body ?? '', ...i.comments])
      const leaks = [
        ...findLeaks(result, [...extraSecrets, ...amazon.issued()]),
        ...findLeaks({ stdout: '', stderr: '', outputs: {}, summary: issues.join('\n') }, [...extraSecrets, ...amazon.issued()]).map(
          (leak) => leak.replace(/^summary/, `an issue of ${REPO}`),
        ),
      ]
      // The run goes with the error, for a caller that keeps the logs of a failure (the fault soak).
      if (leaks.length) throw Object.assign(new Error(`The action leaked secrets:\n${leaks.join('\n')}`), { result })
      return result
    },
    stored: (scope = REPO, name = SECRET_NAME) => github.secret(scope, name)?.value,
    holders(secret) {
      const written = github.requests
        .filter((r) => r.method === 'PUT')
        .flatMap((r) => {
          const m = /^\/repos\/([^/]+\/[^/]+)\/(?:environments\/([^/]+)\/)?(?:actions\/)?secrets\/([^/?]+)/.exec(r.path)
          return m ? [[m[2] ? `${m[1]}:${decodeURIComponent(m[2])}` : m[1]!, m[3]!] as const] : []
        })
      return [...new Set(written.map(([scope, name]) => `${scope} ${name}`))].filter((key) => {
        const [scope, name] = key.split(' ') as [string, string]
        return github.secret(scope, name)?.value === secret
      })
    },
    pendingSecrets(id = clientId) {
      const { visible, inFlight, delayed } = sqs.contents(queueName)
      return [...visible, ...inFlight, ...delayed].flatMap((body) => {
        try {
          const n = JSON.parse(body) as {
            notificationType?: string
            payload?: { applicationOAuthClientNewSecret?: { clientId: string; newClientSecret: string } }
          }
          const p = n.payload?.applicationOAuthClientNewSecret
          return n.notificationType === 'APPLICATION_OAUTH_CLIENT_NEW_SECRET' && p?.clientId === id ? [p.newClientSecret] : []
        } catch {
          return []
        }
      })
    },
    async close() {
      await Promise.allSettled([amazon.close(), github.close(), sqsProxy.close(), ssm?.close()])
      await sqs.close()
    },
  }
  // Count every fault a test injects, for the reliability figures.
  const failAmazon = amazon.failNext.bind(amazon)
  amazon.failNext = (endpoint, fault) => ((world.faults += fault.times ?? 1), failAmazon(endpoint, fault))
  const failGitHub = github.failNext.bind(github)
  github.failNext = (match, fault) => ((world.faults += fault.times ?? 1), failGitHub(match, fault))
  const failSqs = sqsProxy.failNext.bind(sqsProxy)
  sqsProxy.failNext = (action, fault) => ((world.faults += fault.times ?? 1), failSqs(action, fault))
  if (ssm) {
    const failSsm = ssm.failNext.bind(ssm)
    ssm.failNext = (operation, fault) => ((world.faults += fault.times ?? 1), failSsm(operation, fault))
  }
  const holdSqs = sqsProxy.holdNext.bind(sqsProxy)
  sqsProxy.holdNext = (action) => ((world.faults += 1), holdSqs(action))
  return world
}

/** Runs `body` in a fresh world and closes it whatever happens: one world per case, so cases can run concurrently. */
export async function withWorld(body: (world: World) => Promise<void>, options?: WorldOptions): Promise<void> {
  const world = await createWorld(options)
  try {
    await body(world)
  } finally {
    await world.close()
  }
}
