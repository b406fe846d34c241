/**
 * GitHub Actions secrets, written through the shared Octokit client (src/octokit.ts): public keys, sealed
 * writes, and the metadata that says when a secret was last written.
 */
import { GitHubError, request, type Octokit } from './octokit.js'
import { seal } from './seal.js'
import { formatTarget, type Target } from './targets.js'

export interface SecretStore {
  /** Reads the target's public key: proves the target exists and the token can reach it. */
  check(target: Target): Promise<void>
  /** Seals and writes the value; idempotent. */
  write(target: Target, name: string, value: string): Promise<'created' | 'updated'>
  /** When the secret was last written (epoch ms), or undefined when it does not exist. */
  updatedAt(target: Target, name: string): Promise<number | undefined>
}

interface PublicKey {
  key_id: string
  key: string
}

export function createGitHubStore(octokit: Octokit): SecretStore {
  const keys = new Map<string, PublicKey>()
  const paths = (target: Target) => {
    const params = { owner: target.owner, repo: target.repo }
    return target.kind === 'repository'
      ? ({
          params,
          key: 'GET /repos/{owner}/{repo}/actions/secrets/public-key',
          get: 'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}',
          put: 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
        } as const)
      : ({
          params: { ...params, environment_name: target.environment },
          key: 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key',
          get: 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
          put: 'PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
        } as const)
  }

  async function publicKey(target: Target, fresh = false): Promise<PublicKey> {
    const id = formatTarget(target)
    const cached = keys.get(id)
    if (cached && !fresh) return cached
    const { params, key } = paths(target)
    const { data } = await request(advice(target), 'read the public key', () => octokit.request(key, params))
    keys.set(id, data)
    return data
  }

  async function put(target: Target, name: string, value: string, key: PublicKey): Promise<number> {
    const { params, put } = paths(target)
    const encrypted_value = await seal(value, key.key)
    const { status } = await request(advice(target), 'write the secret', () =>
      octokit.request(put, { ...params, secret_name: name, encrypted_value, key_id: key.key_id }),
    )
    return status
  }

  return {
    async check(target) {
      await publicKey(target)
    },
    async write(target, name, value) {
      let status: number
      try {
        status = await put(target, name, value, await publicKey(target))
      } catch (error) {
        // 422 can mean GitHub rotated the target's key since we read it: read it again and retry once.
        if (!(error instanceof GitHubError && error.status === 422)) throw error
        status = await put(target, name, value, await publicKey(target, true))
      }
      return status === 201 ? 'created' : 'updated'
    },
    async updatedAt(target, name) {
      const { params, get } = paths(target)
      try {
        const { data } = await request(advice(target), 'read the secret', () => octokit.request(get, { ...params, secret_name: name }))
        return Date.parse(data.updated_at)
      } catch (error) {
        if (error instanceof GitHubError && error.status === 404) return undefined
        throw error
      }
    },
  }
}

/** What a refusal usually means for a secrets call, and what to change. */
const advice =
  (target: Target) =>
  (status: number): string => {
    switch (status) {
      case 401:
        return 'The github-token is invalid or expired.'
      case 403:
        return target.kind === 'environment'
          ? 'The github-token may not write this environment\'s secrets: it needs "Secrets: read and write" and "Environments" on the repository (GITHUB_TOKEN never can).'
          : 'The github-token may not write this repository\'s secrets: it needs "Secrets: read and write" on the repository (GITHUB_TOKEN never can).'
      case 404:
        return target.kind === 'environment'
          ? 'The repository or environment does not exist, or the token cannot see it.'
          : 'The repository does not exist, or the token cannot see it.'
      default:
        return ''
    }
  }
