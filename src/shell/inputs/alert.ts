/**
 * The alert inputs (alert, alert-token), and where a run's alert issue goes. Read apart from the other inputs,
 * so that a run stopped by any other bad input can still open its issue.
 */
import { InputError } from '../../lib/input-error.js'
import { CLIENT_ID, endpoint, type Read } from './fields.js'

/** This workflow run's page, from the runner's environment. */
export function runUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined
}

export function parseAlert(value: string): 'issue' | 'none' {
  const alert = value || 'issue'
  if (alert !== 'issue' && alert !== 'none') {
    throw new InputError(
      'alert',
      `'${alert}' is not an alert: use issue (the default: one issue per application in this repository, opened when a run needs a person and closed once one succeeds) or none.`,
    )
  }
  return alert
}

/** Where a run's alert issue goes: the repository and application, and how to reach GitHub. */
export interface AlertTarget {
  /** alert-token on the server running the workflow, else github-token. */
  token: string
  /** The workflow's repository (GITHUB_REPOSITORY). */
  repository: string
  clientId: string
  githubApiUrl: string
  runUrl: string | undefined
}

/**
 * The alert's inputs, read apart from the others so that a run stopped by any other bad input can still open its
 * issue: `off` with alert: none; `unavailable` (and why) when what is needed to reach GitHub and name the
 * application cannot be read. Never throws.
 */
export function readAlertTarget(read: Read, env: NodeJS.ProcessEnv): { target: AlertTarget } | { off: true } | { unavailable: string } {
  let alert: 'issue' | 'none'
  try {
    alert = parseAlert(read('alert'))
  } catch {
    return { unavailable: 'the input alert is not issue or none' }
  }
  if (alert === 'none') return { off: true }
  const clientId = read('client-id')
  if (!env.GITHUB_REPOSITORY || !/^[\w.-]+\/[\w.-]+$/.test(env.GITHUB_REPOSITORY)) return { unavailable: 'GITHUB_REPOSITORY is not set' }
  if (!CLIENT_ID.test(clientId)) return { unavailable: 'client-id does not name an application' }
  let githubApiUrl: string
  try {
    githubApiUrl = endpoint('github-api-url', read('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  } catch {
    return { unavailable: 'github-api-url is not a URL the action may use' }
  }
  // alert-token (by default the workflow's GITHUB_TOKEN) belongs to the server running the workflow: it goes to
  // that server's API only. Talking to another one (or outside a workflow), github-token writes the issue.
  const ownServer = Boolean(env.GITHUB_API_URL) && githubApiUrl === env.GITHUB_API_URL!.replace(/\/+$/, '')
  const token = (ownServer && read('alert-token')) || read('github-token')
  if (!token) return { unavailable: 'neither alert-token nor github-token is set' }
  return { target: { token, repository: env.GITHUB_REPOSITORY, clientId, githubApiUrl, runUrl: runUrlOf(env) } }
}
