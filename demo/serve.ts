/**
 * `npm run serve`: the test simulators (Amazon LWA + SP-API, the GitHub secrets API and an SQS server) kept
 * running on loopback, so that the action can be run against them by hand (`npm run local-action`) or by a
 * workflow (`uses: ./`). The application, queue, repository and token have fixed values, the same as in
 * .env.example; the new secrets Amazon issues are random and never printed.
 *
 *   npm run serve -- [--port 7340] [--repository OWNER/REPO] [--github-env FILE] [--dotenv FILE] [--json FILE] [--timeout SECONDS]
 *
 * `npm run serve` runs it on the Node 24 that `npm ci` installs into node_modules. `node demo/serve.ts` works only
 * on a Node that runs TypeScript itself and has import.meta.main: 22.18+ or 24.2+ (Node 20 refuses the .ts file).
 *
 * Ports: PORT is a control endpoint (GET /state), PORT+1 Amazon (LWA and SP-API), PORT+2 GitHub, PORT+3 SQS.
 * --port 0 picks free ports. (The option is --github-env, not --env-file: Node takes --env-file for itself wherever it
 * stands on the command line.) GET /state answers {rotations, stored, pending, targets}: how many rotations Amazon
 * accepted, whether every target that holds the secret holds Amazon's current one, how many new-secret messages
 * are still in the queue, and per target 'current', 'other' or 'absent'. No value is ever in the answer.
 */
import { appendFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { connect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { AWS_REGION, AWS_TEST_CREDENTIALS } from '../test/support/sqs.ts'
import { createWorld, REPO, SECRET_NAME, type World } from '../test/support/world.ts'

// A Node that strips types but predates import.meta.main (22.6-22.17, 23, 24.0-24.1) would load this file and then
// never start main(), silently. (Node 20 does not get this far: it refuses to load a .ts file at all.)
const isEntryPoint = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isEntryPoint && import.meta.main === undefined) {
  console.error(
    `serve: Node ${process.version} cannot run demo/serve.ts (it needs 22.18+ or 24.2+). ` +
      'Run `npm run serve` instead: after `npm ci` it uses the Node 24 in node_modules.',
  )
  process.exit(1)
}

/** Simulator-only values: they open nothing outside this process, and .env.example repeats them. */
export const SIMULATED = {
  clientId: 'amzn1.application-oa2-client.localsimulator',
  clientSecret: 'amzn1.oa2-cs.v1.local-simulator-only-not-a-real-secret',
  refreshToken: 'Atzr|local-simulator-only',
  githubToken: 'ghs_local_simulator_only',
  queueName: 'sp-api-notifications',
  environment: 'production',
} as const

export const DEFAULT_PORT = 7340

export interface Ports {
  control: number
  amazon: number
  github: number
  sqs: number
}

export const portsFrom = (base: number): Ports => ({ control: base, amazon: base + 1, github: base + 2, sqs: base + 3 })

/** The inputs and environment of a run against the simulators, as the runner would pass them. */
export function runSettings(ports: Ports, repository: string): { inputs: Record<string, string>; env: Record<string, string> } {
  const host = 'http://127.0.0.1'
  return {
    inputs: {
      'client-id': SIMULATED.clientId,
      'client-secret': SIMULATED.clientSecret,
      // On the SQS server's own address: plain http is accepted on loopback only. The region is AWS_REGION.
      'sqs-queue-url': `${host}:${ports.sqs}/000000000000/${SIMULATED.queueName}`,
      'github-token': SIMULATED.githubToken,
      'refresh-token': SIMULATED.refreshToken,
      targets: `repository\nenvironment:${SIMULATED.environment}`,
      'lwa-endpoint': `${host}:${ports.amazon}/auth/o2/token`,
      'sp-api-endpoint': `${host}:${ports.amazon}`,
      'github-api-url': `${host}:${ports.github}`,
      'receive-timeout': '60',
    },
    env: {
      GITHUB_REPOSITORY: repository,
      AWS_ENDPOINT_URL_SQS: `${host}:${ports.sqs}`,
      AWS_REGION,
      AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
      // No instance metadata service here: keep the SDK's credential chain from looking for one.
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  }
}

/**
 * The lines of an @github/local-action .env file: INPUT_ + the input name upper-cased with its hyphens kept
 * (the runner's naming), then the environment. Multi-line values are double-quoted with \n, as dotenv reads them.
 */
export function dotenvLines(settings: ReturnType<typeof runSettings>): string[] {
  const quote = (value: string) => (value.includes('\n') ? `"${value.replace(/\n/g, '\\n')}"` : value)
  return [
    ...Object.entries(settings.inputs).map(([name, value]) => `INPUT_${name.toUpperCase()}=${quote(value)}`),
    ...Object.entries(settings.env).map(([name, value]) => `${name}=${quote(value)}`),
  ]
}

/**
 * Lines for $GITHUB_ENV: each input as SIM_<NAME> (hyphens to underscores, so that `${{ env.SIM_CLIENT_ID }}`
 * can name it) plus the environment, which the action reads as it is. Multi-line values use GitHub's heredoc form.
 */
export function githubEnvLines(settings: ReturnType<typeof runSettings>, controlUrl: string): string[] {
  const line = (name: string, value: string) => (value.includes('\n') ? `${name}<<SIM_EOF\n${value}\nSIM_EOF` : `${name}=${value}`)
  return [
    ...Object.entries(settings.inputs).map(([name, value]) => line(`SIM_${name.toUpperCase().replace(/-/g, '_')}`, value)),
    ...Object.entries(settings.env)
      .filter(([name]) => name !== 'GITHUB_REPOSITORY')
      .map(([name, value]) => line(name, value)),
    line('SIM_CONTROL_URL', controlUrl),
  ]
}

export type TargetState = 'current' | 'other' | 'absent'

export interface SimState {
  rotations: number
  stored: boolean
  pending: number
  targets: Record<string, TargetState>
}

/** The state a workflow step can assert on: counts and comparisons only, never a value. */
export function readState(world: World, repository: string): SimState {
  const current = world.amazon.currentSecret(SIMULATED.clientId)
  const scopes = [repository, `${repository}:${SIMULATED.environment}`]
  const targets = Object.fromEntries(
    scopes.map((scope): [string, TargetState] => {
      const value = world.stored(scope, SECRET_NAME)
      return [scope, value === undefined ? 'absent' : value === current ? 'current' : 'other']
    }),
  )
  const states = Object.values(targets)
  const { visible, inFlight, delayed } = world.sqs.contents(SIMULATED.queueName)
  const pending = [...visible, ...inFlight, ...delayed].filter((body) => isNewSecretFor(body, SIMULATED.clientId)).length
  return {
    rotations: world.amazon.rotations(SIMULATED.clientId),
    stored: states.includes('current') && !states.includes('other'),
    pending,
    targets,
  }
}

function isNewSecretFor(body: string, clientId: string): boolean {
  try {
    const n = JSON.parse(body) as { notificationType?: string; payload?: { applicationOAuthClientNewSecret?: { clientId?: string } } }
    return n.notificationType === 'APPLICATION_OAUTH_CLIENT_NEW_SECRET' && n.payload?.applicationOAuthClientNewSecret?.clientId === clientId
  } catch {
    return false
  }
}

/**
 * The fixed application with its own queue, next to the world's random ones (which nothing here uses), and the
 * repository the action writes to, with a token that may write its secrets and its variables (the expiry
 * variable), as the README's token has. Returns the queue's URL.
 */
export function simulate(world: World, repository: string): string {
  const queueUrl = world.sqs.createQueue(SIMULATED.queueName)
  world.amazon.addApplication({
    clientId: SIMULATED.clientId,
    secret: SIMULATED.clientSecret,
    refreshToken: SIMULATED.refreshToken,
    queueUrl,
  })
  // The workflow's own repository stands in for the one the action writes to, with the same environment.
  if (repository.toLowerCase() !== REPO.toLowerCase()) world.github.addRepo(repository, { environments: [SIMULATED.environment] })
  world.github.addToken(SIMULATED.githubToken, { write: [repository, `variables:${repository}`, `issues:${repository}`] })
  return queueUrl
}

interface Listener {
  port: number
  close(): Promise<void>
}

async function listen(server: HttpServer | TcpServer, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return (server.address() as AddressInfo).port
}

/**
 * A fixed loopback port in front of a simulator's ephemeral one: the simulators pick free ports (parallel tests
 * need that), and a plain TCP relay lets .env.example name stable addresses without changing them.
 */
async function relay(port: number, targetUrl: string): Promise<Listener> {
  const targetPort = Number(new URL(targetUrl).port)
  const sockets = new Set<Socket>()
  const server = createTcpServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      // Either side failing ends both: the client sees a closed connection, as with a real server going away.
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  const bound = await listen(server, port)
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** GET /state; it answers 503 until `ready()` is true, so a 200 means every file the caller asked for is written. */
async function controlServer(port: number, ready: () => boolean, state: () => SimState): Promise<Listener> {
  const server = createHttpServer((req, res) => {
    if (req.method === 'GET' && req.url === '/state' && !ready()) {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'starting' }))
    } else if (req.method === 'GET' && req.url === '/state') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state()))
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'GET /state is the only endpoint' }))
    }
  })
  const bound = await listen(server, port)
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      repository: { type: 'string', default: process.env.GITHUB_REPOSITORY || REPO },
      'github-env': { type: 'string' },
      dotenv: { type: 'string' },
      json: { type: 'string' },
      timeout: { type: 'string' },
    },
  })
  const base = Number(values.port)
  const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout)
  if (!Number.isInteger(base) || base < 0 || base > 65532) throw new Error(`--port must be a port number, got '${values.port}'`)
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0))
    throw new Error(`--timeout must be a number of seconds, got '${values.timeout}'`)
  const repository = values.repository
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new Error(`--repository must be OWNER/REPO, got '${repository}'`)

  const world = await createWorld({ environments: [SIMULATED.environment] })
  const listeners: Listener[] = []
  let stopping = false
  const stop = async (why: string) => {
    if (stopping) return
    stopping = true
    console.log(`Stopping the simulators (${why}).`)
    // Bounded: a socket that will not close must not keep the process alive.
    setTimeout(() => process.exit(0), 5_000).unref()
    await Promise.allSettled(listeners.map((l) => l.close()))
    await world.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('interrupted')).once('SIGTERM', () => void stop('terminated'))

  try {
    simulate(world, repository)

    const fixed = base === 0 ? { amazon: 0, github: 0, sqs: 0 } : portsFrom(base)
    const amazon = await relay(fixed.amazon, world.amazon.url)
    listeners.push(amazon)
    const github = await relay(fixed.github, world.github.url)
    listeners.push(github)
    const sqs = await relay(fixed.sqs, world.sqs.endpoint)
    listeners.push(sqs)

    let ready = false
    const control = await controlServer(
      base,
      () => ready,
      () => readState(world, repository),
    )
    listeners.push(control)
    const ports: Ports = { control: control.port, amazon: amazon.port, github: github.port, sqs: sqs.port }
    const settings = runSettings(ports, repository)
    const controlUrl = `http://127.0.0.1:${ports.control}`
    if (values['github-env']) appendFileSync(values['github-env'], `${githubEnvLines(settings, controlUrl).join('\n')}\n`)
    if (values.dotenv) {
      writeFileSync(values.dotenv, `# Written by demo/serve.ts for the simulators on this machine.\n${dotenvLines(settings).join('\n')}\n`)
    }
    if (values.json) writeFileSync(values.json, `${JSON.stringify({ controlUrl, ...settings }, null, 2)}\n`)
    ready = true

    console.log(`Simulators up for ${SIMULATED.clientId}, writing to ${repository} and its environment ${SIMULATED.environment}:`)
    console.log(`  control (GET /state)  ${controlUrl}`)
    console.log(`  Amazon LWA + SP-API   http://127.0.0.1:${ports.amazon}`)
    console.log(`  GitHub API            http://127.0.0.1:${ports.github}`)
    console.log(`  SQS                   http://127.0.0.1:${ports.sqs}`)
    console.log(timeoutSeconds ? `Stopping by itself in ${timeoutSeconds} s; Ctrl-C stops it sooner.` : 'Ctrl-C stops it.')
    if (timeoutSeconds) setTimeout(() => void stop(`--timeout ${timeoutSeconds} s`), timeoutSeconds * 1000)
  } catch (error) {
    await Promise.allSettled(listeners.map((l) => l.close()))
    await world.close()
    throw error
  }
}

if (import.meta.main) {
  await main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    console.error(`serve: ${message}${/EADDRINUSE/.test(message) ? ' (is another `npm run serve` running? --port picks other ports)' : ''}`)
    process.exit(1)
  })
}
