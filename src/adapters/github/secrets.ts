/**
 * GitHub secrets (Actions: repository, environment, organization; Dependabot: repository, organization),
 * written through the shared Octokit client (src/octokit.ts): public keys, sealed writes, and the metadata
 * that says when a secret was last written. An organization secret keeps its visibility and selected
 * repositories exactly; a new one gets the visibility of organization-visibility.
 */
import { GitHubError, request, type Octokit } from './octokit.js'
import type { SecretStore } from '../../core/ports.js'
import { remoteText } from '../../lib/remote-text.js'
import { loadSodium, seal } from './seal.js'
import { formatScope, isGitHubScope, type GitHubScope, type Target } from '../../core/targets.js'

export type Visibility = 'all' | 'private' | 'selected'

export interface OrganizationDefaults {
  /** Visibility of an organization secret this action creates. */
  visibility: Visibility
  /** With `selected`: repository names (in the organization) that may use a secret this action creates. */
  repositories: string[]
}

/** GitHub's timestamps have whole seconds, and two clocks never agree exactly. */
const CLOCK_TOLERANCE_MS = 5_000
/**
 * The throw-away secret that proves, before a rotation, that the token may write a scope: written and
 * deleted at once, with a value that is no secret. No other endpoint tells what a token may write.
 */
export const WRITE_CHECK_SECRET = 'LWA_ROTATION_WRITE_CHECK'

interface PublicKey {
  key_id: string
  key: string
}

interface Routes {
  params: Record<string, string>
  base: string
  /** Organization secrets carry a visibility. */
  org: string | undefined
}

/** Every kind of target, as REST paths: GET {base}/public-key, GET/PUT {base}/{secret_name}. */
function routes(target: Target): Routes {
  switch (target.kind) {
    case 'repository':
      return { params: { owner: target.owner, repo: target.repo }, base: '/repos/{owner}/{repo}/actions/secrets', org: undefined }
    case 'environment':
      return {
        params: { owner: target.owner, repo: target.repo, environment_name: target.environment },
        base: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
        org: undefined,
      }
    case 'dependabot':
      return { params: { owner: target.owner, repo: target.repo }, base: '/repos/{owner}/{repo}/dependabot/secrets', org: undefined }
    case 'organization':
      return { params: { org: target.org }, base: '/orgs/{org}/actions/secrets', org: target.org }
    case 'dependabot-organization':
      return { params: { org: target.org }, base: '/orgs/{org}/dependabot/secrets', org: target.org }
    case 'aws-secretsmanager':
    case 'aws-ssm':
      throw new Error(`${formatScope(target)} is not a GitHub target`)
  }
}

export function createGitHubStore(
  octokit: Octokit,
  defaults: OrganizationDefaults = { visibility: 'private', repositories: [] },
): SecretStore {
  const keys = new Map<string, PublicKey>()
  /** One proof per scope (repository, environment, organization, for Actions or Dependabot). */
  const proofs = new Map<string, Promise<void>>()
  const selectedIds = new Map<string, Promise<number[]>>()
  // Octokit's typed routes cannot be chosen at run time; every response used here is read through a declared shape.
  const call = async <T>(target: Target, what: string, route: string, params: Record<string, unknown>) =>
    (await request(advice(target), what, () => octokit.request(route, params))) as { status: number; data: T }

  async function publicKey(target: Target, fresh = false): Promise<PublicKey> {
    const id = formatScope(target)
    const cached = keys.get(id)
    if (cached && !fresh) return cached
    const { base, params } = routes(target)
    const { data } = await call<PublicKey>(target, 'read the public key', `GET ${base}/public-key`, params)
    keys.set(id, data)
    return data
  }

  /** The ids of organization-repositories, resolved once per organization. */
  function defaultSelection(target: Target, org: string): Promise<number[]> {
    let ids = selectedIds.get(org)
    if (!ids) {
      ids = Promise.all(
        defaults.repositories.map(async (repo) => {
          const seeIt = (status: number) =>
            status === 404 || status === 403
              ? 'Check the name in organization-repositories; the github-token must be able to see the repository ("Metadata: read").'
              : ''
          const { data } = await request(seeIt, `find the repository ${org}/${repo} (organization-repositories)`, () =>
            octokit.request('GET /repos/{owner}/{repo}', { owner: org, repo }),
          )
          return Number(data.id)
        }),
      )
      selectedIds.set(org, ids)
    }
    return ids
  }

  /** What an organization PUT must say to leave access as it is: the existing secret's, else the defaults. */
  async function access(target: Target, org: string): Promise<Record<string, unknown>> {
    const { base, params } = routes(target)
    const existing = await metadata(target)
    if (!existing) {
      return defaults.visibility === 'selected'
        ? { visibility: 'selected', selected_repository_ids: await defaultSelection(target, org) }
        : { visibility: defaults.visibility }
    }
    if (existing.visibility !== 'selected') return { visibility: existing.visibility }
    const ids: number[] = []
    for (let page = 1; ; page++) {
      const { data } = await call<{ total_count: number; repositories: Array<{ id: number }> }>(
        target,
        'read the selected repositories',
        `GET ${base}/{secret_name}/repositories`,
        { ...params, secret_name: target.secretName, per_page: 100, page },
      )
      ids.push(...data.repositories.map((r) => r.id))
      if (data.repositories.length < 100 || ids.length >= data.total_count) break
    }
    return { visibility: 'selected', selected_repository_ids: ids }
  }

  async function metadata(target: Target): Promise<{ updated_at: string; visibility?: Visibility } | undefined> {
    const { base, params } = routes(target)
    try {
      const { data } = await call<{ updated_at: string; visibility?: Visibility }>(target, 'read the secret', `GET ${base}/{secret_name}`, {
        ...params,
        secret_name: target.secretName,
      })
      return data
    } catch (error) {
      if (error instanceof GitHubError && error.status === 404) return undefined
      throw error
    }
  }

  async function put(target: Target, value: string, key: PublicKey): Promise<number> {
    const { base, params, org } = routes(target)
    const encrypted_value = await seal(value, key.key)
    const extra = org ? await access(target, org) : {}
    const { status } = await call(target, 'write the secret', `PUT ${base}/{secret_name}`, {
      ...params,
      ...extra,
      secret_name: target.secretName,
      encrypted_value,
      key_id: key.key_id,
    })
    return status
  }

  return {
    async check(target) {
      const { org } = routes(target)
      const checked = Promise.all([
        publicKey(target),
        org && defaults.visibility === 'selected' ? defaultSelection(target, org) : undefined,
      ])
      // The key check proves the target. libsodium loads once it has answered, in time for the writes: its
      // compiling would otherwise hold up the preflight's other requests.
      const warm = () => void loadSodium().catch(() => {})
      checked.then(warm, warm)
      await checked
    },
    async write(target, value) {
      const since = Date.now() - CLOCK_TOLERANCE_MS
      let status: number
      try {
        status = await put(target, value, await publicKey(target))
      } catch (error) {
        // 422 can mean GitHub rotated the target's key since we read it: read it again and retry once.
        if (!(error instanceof GitHubError && error.status === 422)) throw error
        status = await put(target, value, await publicKey(target, true))
      }
      // A write counts only once GitHub shows it: the secret's metadata, read back, has moved.
      const after = await metadata(target)
      const updatedAt = after ? Date.parse(after.updated_at) : Number.NaN
      // Not a time at all counts as not confirmed, like an old one.
      if (!(updatedAt >= since)) {
        throw new GitHubError(
          0,
          `GitHub accepted the write, but reading the secret back shows ${after ? `it last updated ${remoteText(after.updated_at, 40)}` : 'no such secret'}`,
        )
      }
      return { status: status === 201 ? 'created' : 'updated' }
    },
    async updatedAt(target) {
      const data = await metadata(target)
      return data ? Date.parse(data.updated_at) : undefined
    },
    async proveWrite(target) {
      const scope = formatScope(target)
      let proof = proofs.get(scope)
      if (!proof) {
        proof = probe(target)
        proofs.set(scope, proof)
      }
      await proof
      return 'proven'
    },
  }

  async function probe(target: Target): Promise<void> {
    const { base, params, org } = routes(target)
    const throwAway = { ...target, secretName: WRITE_CHECK_SECRET }
    const key = await publicKey(target)
    await call(throwAway, 'prove it may write secrets here (a throw-away secret)', `PUT ${base}/{secret_name}`, {
      ...params,
      ...(org ? { visibility: 'private' } : {}),
      secret_name: WRITE_CHECK_SECRET,
      encrypted_value: await seal('write check', key.key),
      key_id: key.key_id,
    })
    try {
      await call(throwAway, `delete the throw-away secret ${WRITE_CHECK_SECRET}`, `DELETE ${base}/{secret_name}`, {
        ...params,
        secret_name: WRITE_CHECK_SECRET,
      })
    } catch (error) {
      // Another run's check deleted it first: the write is proven all the same.
      if (!(error instanceof GitHubError && error.status === 404)) throw error
    }
  }
}

/** What a refusal usually means for a secrets call, and what to change. */
const advice =
  (target: Target) =>
  (status: number): string => {
    const permission: Record<GitHubScope['kind'], string> = {
      repository: 'the repository permission "Secrets: read and write"',
      environment: 'the repository permissions "Secrets: read and write" and "Environments: read"',
      dependabot: 'the repository permission "Dependabot secrets: read and write"',
      organization: 'the organization permission "Secrets: read and write" (a classic token: admin:org)',
      'dependabot-organization': 'the organization permission "Dependabot secrets: read and write" (a classic token: admin:org)',
    }
    switch (status) {
      case 401:
        return 'The github-token is invalid or expired.'
      case 403:
        return !isGitHubScope(target)
          ? ''
          : `The github-token may not do this: it needs ${permission[target.kind]} (GITHUB_TOKEN never can).`
      case 404:
        return !isGitHubScope(target)
          ? ''
          : target.kind === 'organization' || target.kind === 'dependabot-organization'
            ? `The organization does not exist, or the token cannot see it; it needs ${permission[target.kind]}.`
            : target.kind === 'environment'
              ? 'The repository or environment does not exist, or the token cannot see it.'
              : 'The repository does not exist, or the token cannot see it.'
      default:
        return ''
    }
  }
