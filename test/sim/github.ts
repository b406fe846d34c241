// GitHub REST simulator for what a secret-writing action calls: repository, environment, organization and
// Dependabot secrets (public keys, create/update with a libsodium sealed box, read metadata, list, delete,
// selected repositories), repository Actions variables (create, read, update, list, delete), GET repository /
// environment, the two dispatch endpoints, and the issues, issue comments and labels of alert issues (list by
// label, create, get, update, list and create comments, get and create labels, add labels). Paths, bodies and status codes follow the operations in
// the vendored extract test/specs/github-secrets-openapi.json; error bodies and the rules on names and sizes follow
// GitHub's REST documentation for secrets; errors the description leaves out (such as the 409 for a variable
// that exists) follow what GitHub answers.
import { randomInt, randomUUID } from 'node:crypto'
import sodium from 'libsodium-wrappers'
import {
  FaultQueue,
  header,
  mergeHeaders,
  serveFault,
  startLoopbackServer,
  type Fault,
  type HandlerResult,
  type LoopbackServer,
  type RecordedRequest,
  type SimRequest,
  type SimResponse,
} from './http.ts'

export type { Fault, RecordedRequest } from './http.ts'

export interface StoredSecret {
  /** Plaintext opened from the sealed box. */
  value: string
  created_at: string
  updated_at: string
  /** Accepted PUTs that carried a value. */
  writes: number
  /** Organization secrets only. */
  visibility?: string
  /** Organization secrets with visibility `selected` only. */
  selected_repository_ids?: number[]
}

/** A repository Actions variable: stored and returned in plain text, unlike a secret. */
export interface StoredVariable {
  value: string
  created_at: string
  updated_at: string
}

/** A label of a repository's issues. */
export interface StoredLabel {
  name: string
  color: string
  description: string | null
}

/** An issue (or a pull request, which GitHub's issue lists include) as the tests see it. */
export interface StoredIssue {
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  state_reason: string | null
  /** Label names. */
  labels: string[]
  /** Comment bodies, oldest first. */
  comments: string[]
  pullRequest: boolean
  /** Who opened it: the login of the token's user. */
  author: string
}

export interface DispatchRecord {
  repo: string
  /** 'repository' = POST /repos/{o}/{r}/dispatches; otherwise the workflow_id of a workflow dispatch. */
  target: 'repository' | { workflowId: string }
  body: Record<string, unknown>
  at: number
}

export interface GitHubSim {
  /** API base (what GITHUB_API_URL is set to), e.g. http://127.0.0.1:PORT */
  url: string
  requests: RecordedRequest[]
  /** 'owner/repo'; the repository, each environment and its Dependabot store get their own keypair and key_id. */
  addRepo(fullName: string, opts?: { environments?: string[] }): void
  /** repos: 'repo' or 'org/repo' names, added when missing. */
  addOrg(org: string, repos?: string[]): void
  /**
   * Scopes: 'owner/repo' (its Actions, Dependabot and environment secrets), 'owner/repo:env',
   * 'dependabot:owner/repo', 'variables:owner/repo' (its Actions variables), 'issues:owner/repo' (its issues,
   * comments and labels), 'org:NAME', 'dependabot:org:NAME' or '*'. Write implies read; read allows the
   * public-key, secret-metadata, variable, issue and label GETs; write also allows POST, PATCH and DELETE of
   * variables and POST and PATCH of issues, comments and labels. Only 'variables:' and '*' reach variables, and
   * only 'issues:' and '*' issues, as a fine-grained token's "Secrets" permission gives neither. Any grant inside a
   * repository allows GET of the repository and its environments. `login` names the token's user (issue authors).
   */
  addToken(token: string, grant: { write: string[]; read?: string[]; login?: string }): void
  deleteEnvironment(fullName: string, env: string): void
  /** New keypair + key_id for a scope ('owner/repo', 'owner/repo:env', 'org:NAME', or with 'dependabot:' prefix). */
  rotateKey(scope: string): void
  /** The stored secret with its plaintext (undefined also for an unknown scope); scope as in rotateKey, name case-insensitive. */
  secret(scope: string, name: string): StoredSecret | undefined
  /** A repository Actions variable (name case-insensitive); undefined for an unknown repository or name. */
  variable(fullName: string, name: string): StoredVariable | undefined
  /** Creates or replaces a repository Actions variable, for test setup; throws for an unknown repository or a name GitHub refuses. */
  setVariable(fullName: string, name: string, value: string): void
  /** Accepted repository and workflow dispatches, in order. */
  dispatches: DispatchRecord[]
  /** A repository's issues and pull requests, by number (copies); [] for an unknown repository. */
  issues(fullName: string): StoredIssue[]
  /** A repository's label (name case-insensitive), or undefined. */
  label(fullName: string, name: string): StoredLabel | undefined
  /**
   * Adds an issue, or with `pullRequest` a pull request, as another user would (its labels are created when
   * missing), for test setup; returns its number.
   */
  addIssue(
    fullName: string,
    issue: { title: string; body?: string; labels?: string[]; pullRequest?: boolean; state?: 'open' | 'closed' },
  ): number
  /**
   * Issues turned off (every issue request answers 410, as GitHub does), or the labels of a new issue dropped
   * silently (what GitHub does for a user who may not set them).
   */
  setIssues(fullName: string, settings: { enabled?: boolean; labelsDroppedOnCreate?: boolean }): void
  /** Faults served, in the order queued, to the first requests matching method (any case) and path. */
  failNext(match: { method?: string; path?: string | RegExp }, fault: Fault): void
  /** Drops the faults still queued by failNext. */
  clearFaults(): void
  close(): Promise<void>
}

/** A request for the alert issue (issues, comments, labels): the one thing a run stopped by bad input may still write. */
export const isAlertRequest = (r: Pick<RecordedRequest, 'path'>): boolean =>
  /^\/repos\/[^/]+\/[^/]+\/(?:issues|labels)(?:[/?]|$)/.test(r.path)

/** encrypted_value pattern from the spec (standard base64 with padding, at least one quantum). */
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const MAX_SECRET_BYTES = 48 * 1024
/** GitHub's documented limit for one configuration variable. */
const MAX_VARIABLE_BYTES = 48 * 1024
const API_VERSIONS = ['2022-11-28', '2026-03-10']
const DOCS = 'https://docs.github.com/rest'

interface KeyPair {
  keyId: string
  publicKey: Uint8Array
  privateKey: Uint8Array
}

/** One place secrets live, with its own sealing key. */
interface SecretStore {
  key: KeyPair
  secrets: Map<string, StoredSecret>
}

interface Repo {
  id: number
  owner: string
  name: string
  fullName: string
  actions: SecretStore
  dependabot: SecretStore
  /** Keyed by lower-cased name: GitHub environment names are case-insensitive. */
  environments: Map<string, { id: number; name: string; createdAt: string; store: SecretStore }>
  /** Actions variables, keyed by upper-cased name (as GitHub stores them). */
  variables: Map<string, StoredVariable>
  /** Issues and pull requests; number = index + 1. */
  issues: Issue[]
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, Label>
  issuesEnabled: boolean
  labelsDroppedOnCreate: boolean
}

interface Label extends StoredLabel {
  id: number
}

interface Issue {
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  state_reason: string | null
  /** Lower-cased label names, in the order added. */
  labels: string[]
  comments: Array<{ id: number; body: string; author: string; created_at: string }>
  pullRequest: boolean
  author: string
  created_at: string
  updated_at: string
  closed_at: string | null
}

/** What an organization secret PUT sets besides the value. */
interface OrgAccess {
  visibility: 'all' | 'private' | 'selected'
  selected_repository_ids?: number[]
}

interface Org {
  id: number
  login: string
  actions: SecretStore
  dependabot: SecretStore
}

type Kind = 'actions' | 'dependabot'

/** A secret collection addressed by a request, with the grant key that guards it. */
interface Target {
  store: SecretStore
  /** Grant key, lower case: 'o/r', 'o/r:env', 'dependabot:o/r', 'org:n', 'dependabot:org:n'. */
  grantKey: string
  kind: Kind
  /** Set for organization targets (visibility, selected repositories). */
  org?: Org
  /** URL of the collection, for selected_repositories_url. */
  collectionUrl: string
}

interface Ctx {
  req: SimRequest
  params: Record<string, string>
  grants: { read: string[]; write: string[]; login: string }
  apiVersion: string
}

type Handler = (ctx: Ctx) => SimResponse

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

const message = (status: number, msg: string): SimResponse => ({
  status,
  body: { message: msg, documentation_url: DOCS, status: String(status) },
})
const notFound = (): SimResponse => message(404, 'Not Found')
const forbidden = (): SimResponse => message(403, 'Resource not accessible by personal access token')
const invalid = (
  field: string,
  code: string,
  msg: string,
  resource: 'Secret' | 'Variable' | 'Issue' | 'IssueComment' | 'Label' = 'Secret',
): SimResponse => ({
  status: 422,
  body: {
    message: `Invalid request.\n\n${msg}`,
    errors: [{ resource, field, code, message: msg }],
    documentation_url: DOCS,
    status: '422',
  },
})

function newKeyPair(): KeyPair {
  const kp = sodium.crypto_box_keypair()
  // GitHub key ids are long decimal strings.
  return {
    keyId: `${randomInt(100_000_000, 999_999_999)}${randomInt(100_000_000, 999_999_999)}`,
    publicKey: kp.publicKey,
    privateKey: kp.privateKey,
  }
}

const newStore = (): SecretStore => ({ key: newKeyPair(), secrets: new Map() })

/** The 422 for a secret or variable name GitHub refuses (both follow the same rules), or undefined. */
function nameError(name: string, resource: 'Secret' | 'Variable'): SimResponse | undefined {
  if (!SECRET_NAME.test(name)) {
    return invalid(
      'name',
      'invalid',
      `${resource} names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), and must not start with a number.`,
      resource,
    )
  }
  if (/^github_/i.test(name)) return invalid('name', 'invalid', `${resource} names must not start with the GITHUB_ prefix.`, resource)
  return undefined
}

/** Whether a granted scope reaches a target's grant key (both lower case). */
function covers(grant: string, key: string): boolean {
  if (grant === '*' || grant === key) return true
  // A repository grant covers its environments ('o/r:env') and its Dependabot secrets.
  if (key === `dependabot:${grant}`) return true
  return isRepoKey(grant) && key.startsWith(`${grant}:`)
}

const isRepoKey = (s: string): boolean => s.includes('/') && !s.includes(':')

/** Secrets lists default to 30 a page, at most 100; variables lists to 10, at most 30 (GitHub's docs). */
function paginate<T>(items: T[], query: URLSearchParams, { perPageDefault = 30, perPageMax = 100 } = {}): T[] {
  const perPage = Math.min(Math.max(Number(query.get('per_page') ?? perPageDefault) || perPageDefault, 1), perPageMax)
  const page = Math.max(Number(query.get('page') ?? 1) || 1, 1)
  return items.slice((page - 1) * perPage, page * perPage)
}

export interface GitHubSimOptions {
  /** Delay every answer by this long, as a network round trip would (default 0). */
  latencyMs?: number
}

export async function startGitHubSim(options: GitHubSimOptions = {}): Promise<GitHubSim> {
  await sodium.ready
  const repos = new Map<string, Repo>() // key: lower-cased full name
  const orgs = new Map<string, Org>() // key: lower-cased login
  const tokens = new Map<string, { read: string[]; write: string[]; login: string }>()
  const faults = new FaultQueue<{ method?: string; path?: string | RegExp }>()
  const dispatches: DispatchRecord[] = []
  let nextId = 100_001
  let baseUrl = ''

  const getRepo = (fullName: string): Repo | undefined => repos.get(fullName.toLowerCase())

  const addRepo = (fullName: string, environments: string[] = []): Repo => {
    const [owner, name, ...rest] = fullName.split('/')
    if (!owner || !name || rest.length > 0) throw new Error(`github sim: repository must be 'owner/repo', got ${fullName}`)
    let repo = getRepo(fullName)
    if (!repo) {
      repo = {
        id: nextId++,
        owner,
        name,
        fullName,
        actions: newStore(),
        dependabot: newStore(),
        environments: new Map(),
        variables: new Map(),
        issues: [],
        labels: new Map(),
        issuesEnabled: true,
        labelsDroppedOnCreate: false,
      }
      repos.set(fullName.toLowerCase(), repo)
    }
    for (const env of environments) {
      if (!repo.environments.has(env.toLowerCase())) {
        repo.environments.set(env.toLowerCase(), { id: nextId++, name: env, createdAt: now(), store: newStore() })
      }
    }
    return repo
  }

  /** Resolves a test-facing scope string ('o/r', 'o/r:env', 'org:n', optionally 'dependabot:'-prefixed). */
  const storeFor = (scope: string): SecretStore | undefined => {
    const dependabot = scope.startsWith('dependabot:')
    const rest = dependabot ? scope.slice('dependabot:'.length) : scope
    if (rest.startsWith('org:')) {
      const org = orgs.get(rest.slice('org:'.length).toLowerCase())
      return org && (dependabot ? org.dependabot : org.actions)
    }
    const colon = rest.indexOf(':')
    const repo = getRepo(colon === -1 ? rest : rest.slice(0, colon))
    if (!repo) return undefined
    if (colon === -1) return dependabot ? repo.dependabot : repo.actions
    // Environments have no Dependabot secrets.
    return dependabot ? undefined : repo.environments.get(rest.slice(colon + 1).toLowerCase())?.store
  }

  const can = (ctx: Ctx, need: 'read' | 'write', key: string): boolean =>
    ctx.grants.write.some((g) => covers(g, key)) || (need === 'read' && ctx.grants.read.some((g) => covers(g, key)))

  /** Any grant inside a repository lets the token see the repository and its environments. */
  const canSeeRepo = (ctx: Ctx, repo: Repo): boolean => {
    const r = repo.fullName.toLowerCase()
    return [...ctx.grants.read, ...ctx.grants.write].some(
      (g) => g === '*' || g === r || g.startsWith(`${r}:`) || g === `dependabot:${r}` || g === `variables:${r}` || g === `issues:${r}`,
    )
  }

  const repoUrl = (repo: Repo): string => `${baseUrl}/repos/${repo.owner}/${repo.name}`

  const minimalRepo = (repo: Repo): Record<string, unknown> => ({
    id: repo.id,
    node_id: Buffer.from(`Repository:${repo.id}`).toString('base64'),
    name: repo.name,
    full_name: repo.fullName,
    private: true,
    owner: {
      login: repo.owner,
      id: orgs.get(repo.owner.toLowerCase())?.id ?? 1,
      type: orgs.has(repo.owner.toLowerCase()) ? 'Organization' : 'User',
    },
    html_url: `https://github.com/${repo.fullName}`,
    url: repoUrl(repo),
  })

  // --- target resolution: unknown repository / environment / organization -> 404 ---

  const repoTarget = (ctx: Ctx, kind: Kind): Target | SimResponse => {
    const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
    if (!repo) return notFound()
    const key = repo.fullName.toLowerCase()
    return {
      store: kind === 'actions' ? repo.actions : repo.dependabot,
      grantKey: kind === 'actions' ? key : `dependabot:${key}`,
      kind,
      collectionUrl: `${repoUrl(repo)}/${kind}/secrets`,
    }
  }

  const envTarget = (ctx: Ctx): Target | SimResponse => {
    const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
    const env = repo?.environments.get(ctx.params.env!.toLowerCase())
    if (!repo || !env) return notFound()
    return {
      store: env.store,
      grantKey: `${repo.fullName.toLowerCase()}:${env.name.toLowerCase()}`,
      kind: 'actions',
      collectionUrl: `${repoUrl(repo)}/environments/${encodeURIComponent(env.name)}/secrets`,
    }
  }

  const orgTarget = (ctx: Ctx, kind: Kind): Target | SimResponse => {
    const org = orgs.get(ctx.params.org!.toLowerCase())
    if (!org) return notFound()
    const key = `org:${org.login.toLowerCase()}`
    return {
      store: kind === 'actions' ? org.actions : org.dependabot,
      grantKey: kind === 'actions' ? key : `dependabot:${key}`,
      kind,
      org,
      collectionUrl: `${baseUrl}/orgs/${org.login}/${kind}/secrets`,
    }
  }

  const isResponse = (t: Target | SimResponse): t is SimResponse => 'status' in t

  /** Wraps a secret operation: resolve the target (404), check the grant (403), then run. */
  const withTarget =
    (resolve: (ctx: Ctx) => Target | SimResponse, need: 'read' | 'write', op: (ctx: Ctx, t: Target) => SimResponse): Handler =>
    (ctx) => {
      const t = resolve(ctx)
      if (isResponse(t)) return t
      if (!can(ctx, need, t.grantKey)) return forbidden()
      return op(ctx, t)
    }

  // --- secret operations, shared by every kind of target ---

  const publicKey = (_ctx: Ctx, t: Target): SimResponse => ({
    status: 200,
    body: { key_id: t.store.key.keyId, key: sodium.to_base64(t.store.key.publicKey, sodium.base64_variants.ORIGINAL) },
  })

  const metadata = (name: string, s: StoredSecret, t: Target): Record<string, unknown> => {
    const out: Record<string, unknown> = { name, created_at: s.created_at, updated_at: s.updated_at }
    if (t.org) {
      out.visibility = s.visibility
      if (s.visibility === 'selected') out.selected_repositories_url = `${t.collectionUrl}/${name}/repositories`
    }
    return out
  }

  const listSecrets = (ctx: Ctx, t: Target): SimResponse => {
    const all = [...t.store.secrets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([n, s]) => metadata(n, s, t))
    return { status: 200, body: { total_count: all.length, secrets: paginate(all, ctx.req.query) } }
  }

  const getSecret = (ctx: Ctx, t: Target): SimResponse => {
    const name = ctx.params.name!.toUpperCase()
    const s = t.store.secrets.get(name)
    return s ? { status: 200, body: metadata(name, s, t) } : notFound()
  }

  const deleteSecret = (ctx: Ctx, t: Target): SimResponse =>
    t.store.secrets.delete(ctx.params.name!.toUpperCase()) ? { status: 204 } : notFound()

  const putSecret = (ctx: Ctx, t: Target): SimResponse => {
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const body = parsed.value
    const rawName = ctx.params.name!
    const badName = nameError(rawName, 'Secret')
    if (badName) return badName
    const name = rawName.toUpperCase()
    const existing = t.store.secrets.get(name)

    // The spec makes encrypted_value and key_id required for Actions secrets and optional for Dependabot
    // secrets (where an organization PUT without them only updates visibility).
    const valueGiven = body.encrypted_value !== undefined || body.key_id !== undefined
    let plaintext: string | undefined
    if (t.kind === 'actions' || valueGiven) {
      const opened = openSealedValue(body, t.store.key)
      if (typeof opened !== 'string') return opened
      plaintext = opened
    } else if (!existing) {
      return invalid('encrypted_value', 'missing_field', '"encrypted_value" wasn\'t supplied.')
    }

    let access: OrgAccess | undefined
    if (t.org) {
      const v = orgVisibility(body, t.kind, ctx.apiVersion)
      if (!v.ok) return v.response
      access = v.access
    }

    const ts = now()
    if (existing) {
      if (plaintext !== undefined) {
        existing.value = plaintext
        existing.writes += 1
      }
      existing.updated_at = ts
      if (access) {
        // A PUT replaces visibility; selected repositories only survive as the body gives them.
        existing.visibility = access.visibility
        if (access.selected_repository_ids) existing.selected_repository_ids = access.selected_repository_ids
        else delete existing.selected_repository_ids
      }
      return { status: 204 }
    }
    t.store.secrets.set(name, { value: plaintext!, created_at: ts, updated_at: ts, writes: 1, ...access })
    return { status: 201, body: {} }
  }

  /** Org secret visibility rules: the fields to store, or a 422. */
  const orgVisibility = (
    body: Record<string, unknown>,
    kind: Kind,
    apiVersion: string,
  ): { ok: true; access: OrgAccess } | { ok: false; response: SimResponse } => {
    const fail = (response: SimResponse) => ({ ok: false as const, response })
    const visibility = body.visibility
    if (visibility === undefined) return fail(invalid('visibility', 'missing_field', '"visibility" wasn\'t supplied.'))
    if (visibility !== 'all' && visibility !== 'private' && visibility !== 'selected') {
      return fail(invalid('visibility', 'invalid', 'visibility must be one of: all, private, selected.'))
    }
    if (visibility !== 'selected') return { ok: true, access: { visibility } }
    const ids = parseRepoIds(body.selected_repository_ids, kind === 'dependabot' && apiVersion === '2022-11-28')
    if (ids === undefined) {
      return fail(invalid('selected_repository_ids', 'missing_field', 'selected_repository_ids is required when visibility is selected.'))
    }
    if (ids === 'invalid')
      return fail(invalid('selected_repository_ids', 'invalid', 'selected_repository_ids must be an array of integers.'))
    return { ok: true, access: { visibility, selected_repository_ids: ids } }
  }

  // --- selected repositories of an organization secret ---

  const orgSecret = (ctx: Ctx, t: Target): StoredSecret | undefined => t.store.secrets.get(ctx.params.name!.toUpperCase())

  const listSelectedRepos = (ctx: Ctx, t: Target): SimResponse => {
    const s = orgSecret(ctx, t)
    if (!s) return notFound()
    const byId = new Map([...repos.values()].map((r) => [r.id, r]))
    const selected = (s.selected_repository_ids ?? []).flatMap((id) => {
      const r = byId.get(id)
      return r ? [minimalRepo(r)] : []
    })
    return { status: 200, body: { total_count: selected.length, repositories: paginate(selected, ctx.req.query) } }
  }

  const setSelectedRepos = (ctx: Ctx, t: Target): SimResponse => {
    const s = orgSecret(ctx, t)
    if (!s) return notFound()
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const body = parsed.value
    const ids = parseRepoIds(body.selected_repository_ids, false)
    if (ids === undefined || ids === 'invalid') {
      return invalid(
        'selected_repository_ids',
        ids === undefined ? 'missing_field' : 'invalid',
        'selected_repository_ids must be an array of integers.',
      )
    }
    s.selected_repository_ids = ids
    return { status: 204 }
  }

  const changeSelectedRepo =
    (add: boolean) =>
    (ctx: Ctx, t: Target): SimResponse => {
      const s = orgSecret(ctx, t)
      const id = Number(ctx.params.repositoryId)
      if (!s || !Number.isInteger(id)) return notFound()
      if (s.visibility !== 'selected') return message(409, 'Conflict: the secret visibility is not set to selected.')
      const ids = new Set(s.selected_repository_ids ?? [])
      if (add) ids.add(id)
      else ids.delete(id)
      s.selected_repository_ids = [...ids]
      return { status: 204 }
    }

  // --- repository Actions variables ---

  /** Resolves the repository (404), checks the 'variables:o/r' grant (403), then runs. */
  const withVariables =
    (need: 'read' | 'write', op: (ctx: Ctx, vars: Map<string, StoredVariable>) => SimResponse): Handler =>
    (ctx) => {
      const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
      if (!repo) return notFound()
      if (!can(ctx, need, `variables:${repo.fullName.toLowerCase()}`)) return forbidden()
      return op(ctx, repo.variables)
    }

  const variableBody = (name: string, v: StoredVariable): Record<string, unknown> => ({
    name,
    value: v.value,
    created_at: v.created_at,
    updated_at: v.updated_at,
  })

  const listVariables = (ctx: Ctx, vars: Map<string, StoredVariable>): SimResponse => {
    const all = [...vars.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([n, v]) => variableBody(n, v))
    const page = paginate(all, ctx.req.query, { perPageDefault: 10, perPageMax: 30 })
    return { status: 200, body: { total_count: all.length, variables: page } }
  }

  const getVariable = (ctx: Ctx, vars: Map<string, StoredVariable>): SimResponse => {
    const name = ctx.params.name!.toUpperCase()
    const v = vars.get(name)
    return v ? { status: 200, body: variableBody(name, v) } : notFound()
  }

  const deleteVariable = (ctx: Ctx, vars: Map<string, StoredVariable>): SimResponse =>
    vars.delete(ctx.params.name!.toUpperCase()) ? { status: 204 } : notFound()

  // GitHub answers a create of an existing name with 409 (gh variable set relies on it to switch to PATCH);
  // the REST description lists only 201.
  const variableExists = (): SimResponse => message(409, 'Already exists - Variable already exists')

  /** Checks a name and/or value from a POST or PATCH body; `required` for POST. Returns a 422 or undefined. */
  const checkVariableFields = (body: Record<string, unknown>, required: boolean): SimResponse | undefined => {
    for (const field of ['name', 'value'] as const) {
      const v = body[field]
      if (v === undefined) {
        if (required) return invalid(field, 'missing_field', `"${field}" wasn't supplied.`, 'Variable')
      } else if (typeof v !== 'string') {
        return invalid(field, 'invalid', `${field} must be a string.`, 'Variable')
      }
    }
    if (typeof body.name === 'string') {
      const bad = nameError(body.name, 'Variable')
      if (bad) return bad
    }
    if (typeof body.value === 'string' && Buffer.byteLength(body.value) > MAX_VARIABLE_BYTES) {
      return invalid('value', 'invalid', 'Variable values are limited to 48 KB.', 'Variable')
    }
    return undefined
  }

  const createVariable = (ctx: Ctx, vars: Map<string, StoredVariable>): SimResponse => {
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const bad = checkVariableFields(parsed.value, true)
    if (bad) return bad
    const name = (parsed.value.name as string).toUpperCase()
    if (vars.has(name)) return variableExists()
    const ts = now()
    vars.set(name, { value: parsed.value.value as string, created_at: ts, updated_at: ts })
    return { status: 201, body: {} }
  }

  /** PATCH: a new name renames (keeping created_at), a value replaces; either may be left out. */
  const updateVariable = (ctx: Ctx, vars: Map<string, StoredVariable>): SimResponse => {
    const name = ctx.params.name!.toUpperCase()
    const existing = vars.get(name)
    if (!existing) return notFound()
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const body = parsed.value
    const bad = checkVariableFields(body, false)
    if (bad) return bad
    const newName = typeof body.name === 'string' ? body.name.toUpperCase() : name
    if (newName !== name && vars.has(newName)) return variableExists()
    const updated: StoredVariable = {
      value: typeof body.value === 'string' ? body.value : existing.value,
      created_at: existing.created_at,
      updated_at: now(),
    }
    vars.delete(name)
    vars.set(newName, updated)
    return { status: 204 }
  }

  // --- repository, environment and dispatch endpoints ---

  const getRepository: Handler = (ctx) => {
    const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
    // GitHub hides a private repository from a token that cannot see it.
    if (!repo || !canSeeRepo(ctx, repo)) return notFound()
    return {
      status: 200,
      body: { ...minimalRepo(repo), visibility: 'private', default_branch: 'main', archived: false, disabled: false },
    }
  }

  const getEnvironment: Handler = (ctx) => {
    const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
    const env = repo?.environments.get(ctx.params.env!.toLowerCase())
    if (!repo || !env || !canSeeRepo(ctx, repo)) return notFound()
    return {
      status: 200,
      body: {
        id: env.id,
        node_id: Buffer.from(`Environment:${env.id}`).toString('base64'),
        name: env.name,
        url: `${repoUrl(repo)}/environments/${encodeURIComponent(env.name)}`,
        html_url: `https://github.com/${repo.fullName}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
        created_at: env.createdAt,
        updated_at: env.createdAt,
        protection_rules: [],
        deployment_branch_policy: null,
      },
    }
  }

  const repoDispatch: Handler = (ctx) => {
    const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
    if (!repo) return notFound()
    if (!can(ctx, 'write', repo.fullName.toLowerCase())) return forbidden()
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const body = parsed.value
    const { event_type: eventType, client_payload: payload } = body
    if (typeof eventType !== 'string' || eventType.length < 1 || eventType.length > 100) {
      return invalid('event_type', 'invalid', 'event_type must be a string of 1 to 100 characters.')
    }
    if (payload !== undefined && (!isPlainObject(payload) || Object.keys(payload).length > 10)) {
      return invalid('client_payload', 'invalid', 'client_payload must be an object with at most 10 properties.')
    }
    dispatches.push({ repo: repo.fullName, target: 'repository', body, at: Date.now() })
    return { status: 204 }
  }

  const workflowDispatch: Handler = (ctx) => {
    const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
    if (!repo) return notFound()
    if (!can(ctx, 'write', repo.fullName.toLowerCase())) return forbidden()
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const body = parsed.value
    if (typeof body.ref !== 'string' || body.ref === '') return invalid('ref', 'missing_field', '"ref" wasn\'t supplied.')
    if (body.inputs !== undefined && (!isPlainObject(body.inputs) || Object.keys(body.inputs).length > 25)) {
      return invalid('inputs', 'invalid', 'inputs must be an object with at most 25 properties.')
    }
    const workflowId = ctx.params.workflowId!
    dispatches.push({ repo: repo.fullName, target: { workflowId }, body, at: Date.now() })
    // From API version 2026-03-10 the run details are always returned (200); before, only on request.
    if (ctx.apiVersion !== '2026-03-10' && body.return_run_details !== true) return { status: 204 }
    const runId = nextId++
    return {
      status: 200,
      body: {
        workflow_run_id: runId,
        run_url: `${repoUrl(repo)}/actions/runs/${runId}`,
        html_url: `https://github.com/${repo.fullName}/actions/runs/${runId}`,
      },
    }
  }

  // --- issues, issue comments and labels ---

  /** Resolves the repository (404, also for a token that cannot see it), checks the 'issues:o/r' grant (403), then runs. */
  const withIssues =
    (need: 'read' | 'write', op: (ctx: Ctx, repo: Repo) => SimResponse, { issuesOnly = true } = {}): Handler =>
    (ctx) => {
      const repo = getRepo(`${ctx.params.owner}/${ctx.params.repo}`)
      if (!repo || !canSeeRepo(ctx, repo)) return notFound()
      if (!can(ctx, need, `issues:${repo.fullName.toLowerCase()}`)) return forbidden()
      // Labels serve pull requests too, and stay when issues are turned off.
      if (issuesOnly && !repo.issuesEnabled) return message(410, 'Issues are disabled for this repo')
      return op(ctx, repo)
    }

  /** The issue the path names (a pull request too, as on GitHub), or undefined for a number that is none. */
  const issueOf = (ctx: Ctx, repo: Repo): Issue | undefined => {
    const n = ctx.params.number!
    return /^[1-9]\d{0,9}$/.test(n) ? repo.issues[Number(n) - 1] : undefined
  }

  const userBody = (login: string): Record<string, unknown> => ({
    login,
    id: 1000 + [...login].reduce((a, c) => a + c.charCodeAt(0), 0),
    node_id: Buffer.from(`User:${login}`).toString('base64'),
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    url: `${baseUrl}/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/${login}`,
  })

  const labelBody = (repo: Repo, l: Label): Record<string, unknown> => ({
    id: l.id,
    node_id: Buffer.from(`Label:${l.id}`).toString('base64'),
    url: `${repoUrl(repo)}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  })

  const issueBody = (repo: Repo, i: Issue): Record<string, unknown> => {
    const url = `${repoUrl(repo)}/issues/${i.number}`
    return {
      id: i.id,
      node_id: Buffer.from(`Issue:${i.id}`).toString('base64'),
      url,
      repository_url: repoUrl(repo),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `https://github.com/${repo.fullName}/${i.pullRequest ? 'pull' : 'issues'}/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.state_reason,
      title: i.title,
      body: i.body,
      user: userBody(i.author),
      labels: i.labels.flatMap((name) => {
        const l = repo.labels.get(name)
        return l ? [labelBody(repo, l)] : []
      }),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: i.comments.length,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      author_association: 'NONE',
      ...(i.pullRequest && {
        pull_request: {
          url: `${repoUrl(repo)}/pulls/${i.number}`,
          html_url: `https://github.com/${repo.fullName}/pull/${i.number}`,
          diff_url: `https://github.com/${repo.fullName}/pull/${i.number}.diff`,
          patch_url: `https://github.com/${repo.fullName}/pull/${i.number}.patch`,
          merged_at: null,
        },
      }),
    }
  }

  const commentBody = (repo: Repo, i: Issue, c: Issue['comments'][number]): Record<string, unknown> => ({
    id: c.id,
    node_id: Buffer.from(`IssueComment:${c.id}`).toString('base64'),
    url: `${repoUrl(repo)}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo.fullName}/issues/${i.number}#issuecomment-${c.id}`,
    body: c.body,
    user: userBody(c.author),
    created_at: c.created_at,
    updated_at: c.created_at,
    issue_url: `${repoUrl(repo)}/issues/${i.number}`,
    author_association: 'NONE',
  })

  /** A label by name, created (grey, no description) when missing, as GitHub does for labels named on an issue. */
  const ensureLabel = (repo: Repo, name: string): string => {
    const key = name.toLowerCase()
    if (!repo.labels.has(key)) repo.labels.set(key, { id: nextId++, name, color: 'ededed', description: null })
    return key
  }

  /** Label names from `labels` items (a name or {name}); undefined when the list is not one. */
  const labelNames = (v: unknown): string[] | undefined => {
    if (!Array.isArray(v)) return undefined
    const names = v.map((item) =>
      typeof item === 'string' ? item : isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined,
    )
    return names.every((n): n is string => typeof n === 'string' && n !== '') ? names : undefined
  }

  /** A page of `items` with GitHub's Link header when there are other pages. */
  const pageOf = <T>(ctx: Ctx, items: T[], body: (t: T) => unknown): SimResponse => {
    const perPage = Math.min(Math.max(Number(ctx.req.query.get('per_page') ?? 30) || 30, 1), 100)
    const page = Math.max(Number(ctx.req.query.get('page') ?? 1) || 1, 1)
    const last = Math.max(Math.ceil(items.length / perPage), 1)
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams(ctx.req.query)
      q.set('page', String(p))
      return `<${baseUrl}${ctx.req.pathname}?${q.toString()}>; rel="${rel}"`
    }
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ]
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage).map(body),
      ...(links.length && { headers: { link: links.join(', ') } }),
    }
  }

  const listIssues = (ctx: Ctx, repo: Repo): SimResponse => {
    const q = ctx.req.query
    const state = q.get('state') ?? 'open'
    if (!['open', 'closed', 'all'].includes(state)) return invalid('state', 'invalid', 'state must be open, closed or all.', 'Issue')
    const sort = q.get('sort') ?? 'created'
    const direction = q.get('direction') ?? 'desc'
    if (!['created', 'updated', 'comments'].includes(sort) || !['asc', 'desc'].includes(direction)) {
      return invalid(
        !['asc', 'desc'].includes(direction) ? 'direction' : 'sort',
        'invalid',
        'sort or direction is not one GitHub knows.',
        'Issue',
      )
    }
    // Every label named must be on the issue (names compared without case).
    const wanted = (q.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean)
    const key = (i: Issue): string | number => (sort === 'updated' ? i.updated_at : sort === 'comments' ? i.comments.length : i.number)
    const chosen = repo.issues
      .filter((i) => (state === 'all' || i.state === state) && wanted.every((l) => i.labels.includes(l)))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number) * (direction === 'asc' ? 1 : -1))
    return pageOf(ctx, chosen, (i) => issueBody(repo, i))
  }

  const newIssue = (
    repo: Repo,
    fields: { title: string; body: string | null; labels: string[]; author: string; pullRequest?: boolean; state?: 'open' | 'closed' },
  ): Issue => {
    const ts = now()
    const closed = fields.state === 'closed'
    const issue: Issue = {
      id: nextId++,
      number: repo.issues.length + 1,
      title: fields.title,
      body: fields.body,
      state: closed ? 'closed' : 'open',
      state_reason: closed ? 'completed' : null,
      labels: [...new Set(fields.labels.map((l) => ensureLabel(repo, l)))],
      comments: [],
      pullRequest: fields.pullRequest ?? false,
      author: fields.author,
      created_at: ts,
      updated_at: ts,
      closed_at: closed ? ts : null,
    }
    repo.issues.push(issue)
    return issue
  }

  const createIssue = (ctx: Ctx, repo: Repo): SimResponse => {
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const { title, body, labels } = parsed.value
    if (title === undefined || title === '') return invalid('title', 'missing_field', '"title" wasn\'t supplied.', 'Issue')
    if (typeof title !== 'string' && !Number.isInteger(title)) return invalid('title', 'invalid', 'title must be a string.', 'Issue')
    if (body !== undefined && typeof body !== 'string') return invalid('body', 'invalid', 'body must be a string.', 'Issue')
    const names = labels === undefined ? [] : labelNames(labels)
    if (!names) return invalid('labels', 'invalid', 'labels must be an array of names.', 'Issue')
    const issue = newIssue(repo, {
      title: typeof title === 'number' ? String(title) : (title as string),
      body: typeof body === 'string' ? body : null,
      labels: repo.labelsDroppedOnCreate ? [] : names,
      author: ctx.grants.login,
    })
    return { status: 201, body: issueBody(repo, issue) }
  }

  const getIssue = (ctx: Ctx, repo: Repo): SimResponse => {
    const issue = issueOf(ctx, repo)
    return issue ? { status: 200, body: issueBody(repo, issue) } : notFound()
  }

  const STATE_REASONS = ['completed', 'not_planned', 'duplicate', 'reopened']

  const updateIssue = (ctx: Ctx, repo: Repo): SimResponse => {
    const issue = issueOf(ctx, repo)
    if (!issue) return notFound()
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const { title, body, state, state_reason: reason, labels } = parsed.value
    if (title !== undefined && title !== null && typeof title !== 'string' && !Number.isInteger(title)) {
      return invalid('title', 'invalid', 'title must be a string.', 'Issue')
    }
    if (title === '') return invalid('title', 'missing_field', 'title cannot be blank.', 'Issue')
    if (body !== undefined && body !== null && typeof body !== 'string')
      return invalid('body', 'invalid', 'body must be a string.', 'Issue')
    if (state !== undefined && state !== 'open' && state !== 'closed')
      return invalid('state', 'invalid', 'state must be open or closed.', 'Issue')
    if (reason !== undefined && reason !== null && !STATE_REASONS.includes(reason as string)) {
      return invalid('state_reason', 'invalid', `state_reason must be one of ${STATE_REASONS.join(', ')}.`, 'Issue')
    }
    const names = labels === undefined ? undefined : labelNames(labels)
    if (labels !== undefined && !names) return invalid('labels', 'invalid', 'labels must be an array of names.', 'Issue')

    const ts = now()
    if (typeof title === 'string' || typeof title === 'number') issue.title = String(title)
    if (body !== undefined) issue.body = body
    if (names) issue.labels = [...new Set(names.map((l) => ensureLabel(repo, l)))]
    if (state === 'closed' && issue.state === 'open') {
      issue.state = 'closed'
      issue.closed_at = ts
      issue.state_reason = (reason as string | null | undefined) ?? 'completed'
    } else if (state === 'open' && issue.state === 'closed') {
      issue.state = 'open'
      issue.closed_at = null
      issue.state_reason = 'reopened'
    } else if (typeof reason === 'string' && issue.state === 'closed') {
      issue.state_reason = reason
    }
    issue.updated_at = ts
    return { status: 200, body: issueBody(repo, issue) }
  }

  const listComments = (ctx: Ctx, repo: Repo): SimResponse => {
    const issue = issueOf(ctx, repo)
    if (!issue) return notFound()
    return pageOf(ctx, issue.comments, (c) => commentBody(repo, issue, c))
  }

  const createComment = (ctx: Ctx, repo: Repo): SimResponse => {
    const issue = issueOf(ctx, repo)
    if (!issue) return notFound()
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const { body } = parsed.value
    if (body === undefined || body === '') return invalid('body', 'missing_field', '"body" wasn\'t supplied.', 'IssueComment')
    if (typeof body !== 'string') return invalid('body', 'invalid', 'body must be a string.', 'IssueComment')
    const comment = { id: nextId++, body, author: ctx.grants.login, created_at: now() }
    issue.comments.push(comment)
    issue.updated_at = comment.created_at
    return { status: 201, body: commentBody(repo, issue, comment) }
  }

  const addLabels = (ctx: Ctx, repo: Repo): SimResponse => {
    const issue = issueOf(ctx, repo)
    if (!issue) return notFound()
    let v: unknown
    try {
      v = JSON.parse(ctx.req.body)
    } catch {
      return message(400, 'Problems parsing JSON')
    }
    // Three forms: {labels: [...]} (at least one), an array of names, an array of {name}.
    const names = isPlainObject(v) ? (Array.isArray(v.labels) && v.labels.length > 0 ? labelNames(v.labels) : undefined) : labelNames(v)
    if (!names) return invalid('labels', 'invalid', 'labels must be a non-empty array of names.', 'Label')
    for (const name of names) {
      const key = ensureLabel(repo, name)
      if (!issue.labels.includes(key)) issue.labels.push(key)
    }
    issue.updated_at = now()
    return { status: 200, body: issue.labels.map((l) => labelBody(repo, repo.labels.get(l)!)) }
  }

  const getLabel = (ctx: Ctx, repo: Repo): SimResponse => {
    const label = repo.labels.get(ctx.params.name!.toLowerCase())
    return label ? { status: 200, body: labelBody(repo, label) } : notFound()
  }

  const createLabel = (ctx: Ctx, repo: Repo): SimResponse => {
    const parsed = parseJsonObject(ctx.req.body)
    if (!parsed.ok) return parsed.response
    const { name, color, description } = parsed.value
    if (name === undefined || name === '') return invalid('name', 'missing_field', '"name" wasn\'t supplied.', 'Label')
    if (typeof name !== 'string' || name.length > 50)
      return invalid('name', 'invalid', 'name must be a string of at most 50 characters.', 'Label')
    if (color !== undefined && (typeof color !== 'string' || !/^[0-9a-fA-F]{6}$/.test(color))) {
      return invalid('color', 'invalid', 'color must be a hexadecimal color code without the leading #.', 'Label')
    }
    if (description !== undefined && (typeof description !== 'string' || description.length > 100)) {
      return invalid('description', 'invalid', 'description must be a string of at most 100 characters.', 'Label')
    }
    if (repo.labels.has(name.toLowerCase())) return invalid('name', 'already_exists', 'A label with this name already exists.', 'Label')
    const label: Label = {
      id: nextId++,
      name,
      color: color?.toLowerCase() ?? 'ededed',
      description: description ?? null,
    }
    repo.labels.set(name.toLowerCase(), label)
    return { status: 201, body: labelBody(repo, label) }
  }

  // --- routing ---

  const secretRoutes = (base: string, resolve: (ctx: Ctx) => Target | SimResponse, org: boolean): Route[] => {
    const routes: Route[] = [
      route(`${base}`, { GET: withTarget(resolve, 'read', listSecrets) }),
      // Listed before {name}: 'public-key' is not a valid secret name anyway, but it must not reach PUT.
      route(`${base}/public-key`, { GET: withTarget(resolve, 'read', publicKey) }),
      route(`${base}/:name`, {
        GET: withTarget(resolve, 'read', getSecret),
        PUT: withTarget(resolve, 'write', putSecret),
        DELETE: withTarget(resolve, 'write', deleteSecret),
      }),
    ]
    if (org) {
      routes.push(
        route(`${base}/:name/repositories`, {
          GET: withTarget(resolve, 'read', listSelectedRepos),
          PUT: withTarget(resolve, 'write', setSelectedRepos),
        }),
        route(`${base}/:name/repositories/:repositoryId`, {
          PUT: withTarget(resolve, 'write', changeSelectedRepo(true)),
          DELETE: withTarget(resolve, 'write', changeSelectedRepo(false)),
        }),
      )
    }
    return routes
  }

  const routes: Route[] = [
    route('/repos/:owner/:repo', { GET: getRepository }),
    route('/repos/:owner/:repo/dispatches', { POST: repoDispatch }),
    route('/repos/:owner/:repo/actions/workflows/:workflowId/dispatches', { POST: workflowDispatch }),
    ...secretRoutes('/repos/:owner/:repo/actions/secrets', (c) => repoTarget(c, 'actions'), false),
    ...secretRoutes('/repos/:owner/:repo/dependabot/secrets', (c) => repoTarget(c, 'dependabot'), false),
    route('/repos/:owner/:repo/actions/variables', {
      GET: withVariables('read', listVariables),
      POST: withVariables('write', createVariable),
    }),
    route('/repos/:owner/:repo/actions/variables/:name', {
      GET: withVariables('read', getVariable),
      PATCH: withVariables('write', updateVariable),
      DELETE: withVariables('write', deleteVariable),
    }),
    route('/repos/:owner/:repo/environments/:env', { GET: getEnvironment }),
    route('/repos/:owner/:repo/issues', { GET: withIssues('read', listIssues), POST: withIssues('write', createIssue) }),
    route('/repos/:owner/:repo/issues/:number', { GET: withIssues('read', getIssue), PATCH: withIssues('write', updateIssue) }),
    route('/repos/:owner/:repo/issues/:number/comments', {
      GET: withIssues('read', listComments),
      POST: withIssues('write', createComment),
    }),
    route('/repos/:owner/:repo/issues/:number/labels', { POST: withIssues('write', addLabels) }),
    route('/repos/:owner/:repo/labels', { POST: withIssues('write', createLabel, { issuesOnly: false }) }),
    route('/repos/:owner/:repo/labels/:name', { GET: withIssues('read', getLabel, { issuesOnly: false }) }),
    ...secretRoutes('/repos/:owner/:repo/environments/:env/secrets', envTarget, false),
    ...secretRoutes('/orgs/:org/actions/secrets', (c) => orgTarget(c, 'actions'), true),
    ...secretRoutes('/orgs/:org/dependabot/secrets', (c) => orgTarget(c, 'dependabot'), true),
  ]

  const defaultHeaders = (): Record<string, string> => ({
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
  })

  const handle = async (req: SimRequest): Promise<HandlerResult> => {
    const fault = faults.take((m) => faultMatches(m, req))
    if (fault) return serveFault(server, fault, withContentType(defaultHeaders(), fault.body))
    const result = respond(req)
    return { ...result, headers: mergeHeaders(withContentType(defaultHeaders(), result.body), result.headers) }
  }

  const respond = (req: SimRequest): SimResponse => {
    const auth = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header(req.headers, 'authorization') ?? '')
    const grants = auth ? tokens.get(auth[1]!) : undefined
    if (!grants) return message(401, 'Bad credentials')
    const apiVersion = header(req.headers, 'x-github-api-version') ?? API_VERSIONS[0]!
    if (!API_VERSIONS.includes(apiVersion)) {
      return message(400, `'${apiVersion}' is not a supported version. Supported versions: ${API_VERSIONS.join(', ')}`)
    }
    const segments = req.pathname.split('/').map(safeDecode)
    if (segments.includes(undefined)) return notFound()
    for (const r of routes) {
      const params = r.match(segments as string[])
      if (!params) continue
      const h = r.methods[req.method.toUpperCase()]
      return h ? h({ req, params, grants, apiVersion }) : notFound()
    }
    return notFound()
  }

  const server: LoopbackServer = await startLoopbackServer(handle, { latencyMs: options.latencyMs ?? 0 })
  baseUrl = server.url

  return {
    url: server.url,
    requests: server.requests,
    dispatches,
    addRepo(fullName, opts) {
      addRepo(fullName, opts?.environments)
    },
    addOrg(org, repoNames = []) {
      if (!orgs.has(org.toLowerCase())) {
        orgs.set(org.toLowerCase(), { id: nextId++, login: org, actions: newStore(), dependabot: newStore() })
      }
      for (const r of repoNames) addRepo(r.includes('/') ? r : `${org}/${r}`)
    },
    addToken(token, grant) {
      tokens.set(token, {
        write: grant.write.map((g) => g.toLowerCase()),
        read: (grant.read ?? []).map((g) => g.toLowerCase()),
        login: grant.login ?? 'rotation-app[bot]',
      })
    },
    issues(fullName) {
      const repo = getRepo(fullName)
      return (repo?.issues ?? []).map((i) => ({
        number: i.number,
        title: i.title,
        body: i.body,
        state: i.state,
        state_reason: i.state_reason,
        labels: i.labels.map((l) => repo!.labels.get(l)?.name ?? l),
        comments: i.comments.map((c) => c.body),
        pullRequest: i.pullRequest,
        author: i.author,
      }))
    },
    label(fullName, name) {
      const l = getRepo(fullName)?.labels.get(name.toLowerCase())
      return l && { name: l.name, color: l.color, description: l.description }
    },
    addIssue(fullName, issue) {
      const repo = getRepo(fullName)
      if (!repo) throw new Error(`github sim: unknown repository ${fullName}`)
      return newIssue(repo, { ...issue, body: issue.body ?? null, labels: issue.labels ?? [], author: 'someone-else' }).number
    },
    setIssues(fullName, settings) {
      const repo = getRepo(fullName)
      if (!repo) throw new Error(`github sim: unknown repository ${fullName}`)
      if (settings.enabled !== undefined) repo.issuesEnabled = settings.enabled
      if (settings.labelsDroppedOnCreate !== undefined) repo.labelsDroppedOnCreate = settings.labelsDroppedOnCreate
    },
    deleteEnvironment(fullName, env) {
      getRepo(fullName)?.environments.delete(env.toLowerCase())
    },
    rotateKey(scope) {
      const store = storeFor(scope)
      if (!store) throw new Error(`github sim: unknown scope ${scope}`)
      store.key = newKeyPair()
    },
    secret(scope, name) {
      const s = storeFor(scope)?.secrets.get(name.toUpperCase())
      return s && { ...s, ...(s.selected_repository_ids && { selected_repository_ids: [...s.selected_repository_ids] }) }
    },
    variable(fullName, name) {
      const v = getRepo(fullName)?.variables.get(name.toUpperCase())
      return v && { ...v }
    },
    setVariable(fullName, name, value) {
      const repo = getRepo(fullName)
      if (!repo) throw new Error(`github sim: unknown repository ${fullName}`)
      if (nameError(name, 'Variable')) throw new Error(`github sim: GitHub refuses the variable name ${name}`)
      const existing = repo.variables.get(name.toUpperCase())
      const ts = now()
      repo.variables.set(name.toUpperCase(), { value, created_at: existing?.created_at ?? ts, updated_at: ts })
    },
    failNext(match, fault) {
      faults.add(match, fault)
    },
    clearFaults() {
      faults.clear()
    },
    close: () => server.close(),
  }
}

interface Route {
  match(segments: string[]): Record<string, string> | undefined
  methods: Record<string, Handler>
}

/** A path pattern such as '/repos/:owner/:repo'; params capture whole, already decoded segments. */
function route(pattern: string, methods: Record<string, Handler>): Route {
  const parts = pattern.split('/')
  return {
    methods,
    match(segments) {
      if (segments.length !== parts.length) return undefined
      const params: Record<string, string> = {}
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!
        const s = segments[i]!
        if (p.startsWith(':')) {
          if (s === '') return undefined
          params[p.slice(1)] = s
        } else if (p !== s) return undefined
      }
      return params
    },
  }
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

function faultMatches(m: { method?: string; path?: string | RegExp }, req: SimRequest): boolean {
  if (m.method !== undefined && m.method.toUpperCase() !== req.method.toUpperCase()) return false
  if (m.path === undefined) return true
  // Match the raw path or its decoded form, so tests may write environment names either way.
  const candidates = [req.pathname, safeDecode(req.pathname) ?? req.pathname]
  return candidates.some((p) => (typeof m.path === 'string' ? p === m.path : m.path!.test(p)))
}

function withContentType(headers: Record<string, string>, body: unknown): Record<string, string> {
  return body === undefined ? headers : { ...headers, 'content-type': 'application/json; charset=utf-8' }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; response: SimResponse }

/** GitHub answers malformed JSON and non-object bodies with 400, not 422. */
function parseJsonObject(body: string): Parsed {
  let v: unknown
  try {
    v = JSON.parse(body)
  } catch {
    return { ok: false, response: message(400, 'Problems parsing JSON') }
  }
  return isPlainObject(v) ? { ok: true, value: v } : { ok: false, response: message(400, 'Body should be a JSON object') }
}

/** selected_repository_ids: undefined when absent, 'invalid' when not an array of integers. */
function parseRepoIds(v: unknown, allowNumericStrings: boolean): number[] | 'invalid' | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) return 'invalid'
  const ids: number[] = []
  for (const item of v) {
    // Before API version 2026-03-10 the Dependabot org PUT also takes ids as strings.
    const n: unknown = typeof item === 'string' && allowNumericStrings && /^\d+$/.test(item) ? Number(item) : item
    if (typeof n !== 'number' || !Number.isInteger(n)) return 'invalid'
    ids.push(n)
  }
  return ids
}

/** Checks encrypted_value and key_id and opens the sealed box; returns the plaintext or a 422. */
function openSealedValue(body: Record<string, unknown>, key: KeyPair): string | SimResponse {
  const { encrypted_value: ev, key_id: keyId } = body
  if (ev === undefined) return invalid('encrypted_value', 'missing_field', '"encrypted_value" wasn\'t supplied.')
  if (typeof ev !== 'string' || !BASE64_PATTERN.test(ev)) {
    return invalid('encrypted_value', 'invalid', 'encrypted_value must be base64-encoded (standard alphabet, padded).')
  }
  if (keyId === undefined) return invalid('key_id', 'missing_field', '"key_id" wasn\'t supplied.')
  if (typeof keyId !== 'string' || keyId !== key.keyId) {
    return invalid('key_id', 'invalid', 'key_id does not match the current public key; fetch the public key again.')
  }
  let plain: Uint8Array
  try {
    plain = sodium.crypto_box_seal_open(Buffer.from(ev, 'base64'), key.publicKey, key.privateKey)
  } catch {
    return invalid('encrypted_value', 'invalid', 'encrypted_value could not be decrypted with the public key of key_id.')
  }
  if (plain.length > MAX_SECRET_BYTES) return invalid('encrypted_value', 'invalid', 'Secret values are limited to 48 KB.')
  return new TextDecoder().decode(plain)
}
