import { fileURLToPath } from 'node:url'
// Proves the GitHub simulator behaves as GitHub's Actions secrets and variables API does (see test/sim/github.ts),
// with real HTTP requests and real libsodium sealed boxes; every exchange is then checked against GitHub's
// REST description.
import { readFileSync } from 'node:fs'
import sodium from 'libsodium-wrappers'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startGitHubSim, type GitHubSim } from './github.ts'

/** Upper bound for any single HTTP exchange with the simulator. */
const HTTP_TIMEOUT_MS = 2000

// The project default (vitest.config.ts) is generous for e2e runs; these tests are fast, so fail fast.
vi.setConfig({ testTimeout: 5000, hookTimeout: 5000 })

let gh: GitHubSim

interface Reply {
  status: number
  headers: Headers
  body: unknown
}

/** One request made through api() and the simulator's answer, for the spec check at the end of the file. */
interface Exchange {
  method: string
  /** Path with the query string. */
  path: string
  /** Raw request body, undefined when none was sent. */
  requestBody: string | undefined
  status: number
  /** Parsed JSON answer, undefined when the answer had no body. */
  body: unknown
}

const exchanges: Exchange[] = []
/** Off while faults are served: those answers are canned by the test, not the simulator's. */
let specChecked = true

async function api(
  method: string,
  path: string,
  opts: { token?: string; scheme?: string; body?: unknown; raw?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' }
  if (opts.token !== undefined) headers.authorization = `${opts.scheme ?? 'Bearer'} ${opts.token}`
  let body: string | undefined = opts.raw
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body)
    headers['content-type'] = 'application/json'
  }
  const r = await fetch(`${gh.url}${path}`, { method, headers, body: body ?? null, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })
  const text = await r.text()
  const reply = { status: r.status, headers: r.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
  if (specChecked) exchanges.push({ method, path, requestBody: body, status: reply.status, body: reply.body })
  return reply
}

function seal(value: string, keyB64: string): string {
  return sodium.to_base64(
    sodium.crypto_box_seal(value, sodium.from_base64(keyB64, sodium.base64_variants.ORIGINAL)),
    sodium.base64_variants.ORIGINAL,
  )
}

/** Fetches the public key of a secrets collection and returns a PUT body sealing `value` with it. */
async function sealedBody(collection: string, value: string, token = 'w'): Promise<{ encrypted_value: string; key_id: string }> {
  const k = await api('GET', `${collection}/public-key`, { token })
  expect(k.status).toBe(200)
  const { key_id, key } = k.body as { key_id: string; key: string }
  return { encrypted_value: seal(value, key), key_id }
}

const REPO = '/repos/acme/app/actions/secrets'
const PROD = '/repos/acme/app/environments/prod/secrets'
const ORG = '/orgs/acme/actions/secrets'
const VARS = '/repos/acme/app/actions/variables'

beforeAll(async () => {
  await sodium.ready
  gh = await startGitHubSim()
  gh.addOrg('acme', ['app', 'lib'])
  gh.addRepo('acme/app', { environments: ['prod', 'staging east'] })
  gh.addRepo('acme/other')
  gh.addToken('w', { write: ['acme/app'] })
  gh.addToken('r', { write: [], read: ['acme/app'] })
  gh.addToken('envonly', { write: ['acme/app:prod'] })
  gh.addToken('org', { write: ['org:acme'] })
  gh.addToken('other', { write: ['acme/other'] })
  gh.addToken('star', { write: ['*'] })
  gh.addToken('vars', { write: ['variables:acme/app'] })
  gh.addToken('varsread', { write: [], read: ['variables:acme/app'] })
  gh.addToken('iss', { write: ['issues:acme/app'], login: 'github-actions[bot]' })
  gh.addToken('issread', { write: [], read: ['issues:acme/app'] })
})

afterAll(async () => {
  await gh?.close()
})

describe('authentication and authorization', () => {
  it('answers 401 Bad credentials without a token or with an unknown one', async () => {
    for (const token of [undefined, 'nope']) {
      const r = await api('GET', `${REPO}/public-key`, token === undefined ? {} : { token })
      expect(r.status).toBe(401)
      expect(r.headers.get('content-type')).toMatch(/^application\/json/)
      expect(r.body).toMatchObject({ message: 'Bad credentials' })
    }
  })

  it("accepts both 'Bearer X' and 'token X'", async () => {
    expect((await api('GET', `${REPO}/public-key`, { token: 'w', scheme: 'token' })).status).toBe(200)
    expect((await api('GET', `${REPO}/public-key`, { token: 'w', scheme: 'Bearer' })).status).toBe(200)
  })

  it('answers 403 when the token lacks the grant', async () => {
    const body = await sealedBody(REPO, 'v')
    for (const [token, path] of [
      ['r', `${REPO}/X`], // read only
      ['envonly', `${REPO}/X`], // an environment grant does not reach repository secrets
      ['other', `${REPO}/X`],
      ['w', `${ORG}/X`],
    ] as const) {
      const r = await api('PUT', path, { token, body: path.startsWith('/orgs') ? { ...body, visibility: 'all' } : body })
      expect(r.status, `${token} ${path}`).toBe(403)
      expect(r.body).toMatchObject({ message: 'Resource not accessible by personal access token' })
    }
    expect((await api('GET', `${REPO}/public-key`, { token: 'other' })).status).toBe(403)
    // Read allows the public key and metadata.
    expect((await api('GET', `${REPO}/public-key`, { token: 'r' })).status).toBe(200)
  })

  it('answers 404 Not Found for unknown repositories, environments, organizations and paths', async () => {
    for (const path of [
      '/repos/acme/nope/actions/secrets/public-key',
      '/repos/acme/app/environments/nope/secrets/public-key',
      '/orgs/nope/actions/secrets/public-key',
      '/repos/acme/app/actions/nothing',
    ]) {
      const r = await api('GET', path, { token: 'star' })
      expect(r.status, path).toBe(404)
      expect(r.body).toMatchObject({ message: 'Not Found' })
    }
  })

  it('shows a repository and its environments to tokens with a grant inside it, and hides them otherwise', async () => {
    const repo = await api('GET', '/repos/acme/app', { token: 'envonly' })
    expect(repo.status).toBe(200)
    expect(repo.body).toMatchObject({ full_name: 'acme/app', name: 'app', owner: { login: 'acme' } })
    expect((await api('GET', '/repos/acme/app', { token: 'other' })).status).toBe(404)
    const env = await api('GET', '/repos/acme/app/environments/staging%20east', { token: 'w' })
    expect(env.status).toBe(200)
    expect(env.body).toMatchObject({ name: 'staging east' })
  })
})

describe('repository secrets', () => {
  it('serves a base64 Curve25519 public key with a key_id', async () => {
    const r = await api('GET', `${REPO}/public-key`, { token: 'w' })
    expect(r.status).toBe(200)
    const { key_id, key } = r.body as { key_id: string; key: string }
    expect(key_id).toMatch(/^\d+$/)
    expect(Buffer.from(key, 'base64')).toHaveLength(32)
    // Each collection has its own key.
    const dep = (await api('GET', '/repos/acme/app/dependabot/secrets/public-key', { token: 'w' })).body as { key_id: string }
    const env = (await api('GET', `${PROD}/public-key`, { token: 'w' })).body as { key_id: string }
    expect(new Set([key_id, dep.key_id, env.key_id]).size).toBe(3)
  })

  it('creates (201), updates (204), stores the plaintext upper case, and never returns it', async () => {
    const created = await api('PUT', `${REPO}/lwa_client_secret`, { token: 'w', body: await sealedBody(REPO, 'first') })
    expect(created.status).toBe(201)
    const updated = await api('PUT', `${REPO}/LWA_CLIENT_SECRET`, { token: 'w', body: await sealedBody(REPO, 'second') })
    expect(updated.status).toBe(204)
    expect(updated.body).toBeUndefined()

    const s = gh.secret('acme/app', 'lwa_client_secret')
    expect(s).toMatchObject({ value: 'second', writes: 2 })
    expect(gh.secret('acme/app', 'LWA_CLIENT_SECRET')?.value).toBe('second')

    const got = await api('GET', `${REPO}/Lwa_Client_Secret`, { token: 'r' })
    expect(got.status).toBe(200)
    expect(Object.keys(got.body as object).sort()).toEqual(['created_at', 'name', 'updated_at'])
    expect(got.body).toMatchObject({ name: 'LWA_CLIENT_SECRET', created_at: s!.created_at, updated_at: s!.updated_at })

    const list = await api('GET', REPO, { token: 'r' })
    expect(list.body).toMatchObject({ total_count: 1, secrets: [{ name: 'LWA_CLIENT_SECRET' }] })
  })

  it('answers 422 to invalid bodies and names', async () => {
    const good = await sealedBody(REPO, 'value')
    const k = (await api('GET', `${REPO}/public-key`, { token: 'w' })).body as { key_id: string; key: string }
    const foreignKey = sodium.to_base64(sodium.crypto_box_keypair().publicKey, sodium.base64_variants.ORIGINAL)
    const cases: [string, string, unknown][] = [
      ['missing key_id', 'OK_NAME', { encrypted_value: good.encrypted_value }],
      ['missing encrypted_value', 'OK_NAME', { key_id: good.key_id }],
      ['stale key_id', 'OK_NAME', { ...good, key_id: '1234' }],
      ['not base64', 'OK_NAME', { ...good, encrypted_value: 'not base64!' }],
      ['unpadded base64', 'OK_NAME', { ...good, encrypted_value: good.encrypted_value.replace(/=+$/, '') }],
      ['empty value', 'OK_NAME', { ...good, encrypted_value: '' }],
      ['sealed for another key', 'OK_NAME', { ...good, encrypted_value: seal('x', foreignKey) }],
      ['too short to be a sealed box', 'OK_NAME', { ...good, encrypted_value: 'AAAA' }],
      ['over 48 KB', 'OK_NAME', { key_id: k.key_id, encrypted_value: seal('x'.repeat(48 * 1024 + 1), k.key) }],
      ['name starts with a digit', '1ABC', good],
      ['name with a hyphen', 'A-B', good],
      ['GITHUB_ prefix', 'github_token', good],
    ]
    // 'value' seals to 53 bytes, so its base64 is padded and the unpadded case differs from it.
    expect(good.encrypted_value).toMatch(/=$/)
    for (const [what, name, body] of cases) {
      const r = await api('PUT', `${REPO}/${name}`, { token: 'w', body })
      expect(r.status, what).toBe(422)
      expect((r.body as { errors: unknown[] }).errors.length, what).toBeGreaterThan(0)
    }
    // Exactly 48 KB is fine.
    const max = await api('PUT', `${REPO}/MAX_SIZE`, {
      token: 'w',
      body: { key_id: k.key_id, encrypted_value: seal('x'.repeat(48 * 1024), k.key) },
    })
    expect(max.status).toBe(201)
    expect(gh.secret('acme/app', 'OK_NAME')).toBeUndefined()
  })

  it('answers 400 to a body that is not a JSON object (as GitHub does)', async () => {
    expect((await api('PUT', `${REPO}/OK_NAME`, { token: 'w', raw: '{not json' })).status).toBe(400)
    expect((await api('PUT', `${REPO}/OK_NAME`, { token: 'w', body: ['x'] })).status).toBe(400)
  })

  it('rejects the old key_id after rotateKey', async () => {
    const old = await sealedBody(REPO, 'v1')
    gh.rotateKey('acme/app')
    const r = await api('PUT', `${REPO}/ROTATED`, { token: 'w', body: old })
    expect(r.status).toBe(422)
    const fresh = await sealedBody(REPO, 'v2')
    expect(fresh.key_id).not.toBe(old.key_id)
    expect((await api('PUT', `${REPO}/ROTATED`, { token: 'w', body: fresh })).status).toBe(201)
    expect(gh.secret('acme/app', 'ROTATED')?.value).toBe('v2')
  })

  it('deletes (204) and then reports 404', async () => {
    expect((await api('PUT', `${REPO}/TO_DELETE`, { token: 'w', body: await sealedBody(REPO, 'x') })).status).toBe(201)
    expect((await api('DELETE', `${REPO}/TO_DELETE`, { token: 'w' })).status).toBe(204)
    expect((await api('GET', `${REPO}/TO_DELETE`, { token: 'w' })).status).toBe(404)
    expect((await api('DELETE', `${REPO}/TO_DELETE`, { token: 'w' })).status).toBe(404)
  })
})

describe('environment secrets', () => {
  it('writes with the environment key; a URL-encoded environment name is decoded', async () => {
    const coll = '/repos/acme/app/environments/staging%20east/secrets'
    expect((await api('PUT', `${coll}/S`, { token: 'w', body: await sealedBody(coll, 'east') })).status).toBe(201)
    expect(gh.secret('acme/app:staging east', 'S')?.value).toBe('east')
    // The repository key does not open environment secrets.
    expect((await api('PUT', `${PROD}/S`, { token: 'w', body: await sealedBody(REPO, 'x') })).status).toBe(422)
  })

  it('lets an environment-only grant write that environment, and 404s once the environment is deleted', async () => {
    gh.addRepo('acme/app', { environments: ['temp'] })
    gh.addToken('temp', { write: ['acme/app:temp'] })
    const coll = '/repos/acme/app/environments/temp/secrets'
    expect((await api('PUT', `${coll}/T`, { token: 'temp', body: await sealedBody(coll, 't', 'temp') })).status).toBe(201)
    expect((await api('GET', `${coll}/T`, { token: 'temp' })).status).toBe(200)
    expect((await api('GET', `${PROD}/public-key`, { token: 'temp' })).status).toBe(403)
    gh.deleteEnvironment('acme/app', 'temp')
    expect(gh.secret('acme/app:temp', 'T')).toBeUndefined()
    expect((await api('GET', `${coll}/public-key`, { token: 'temp' })).status).toBe(404)
    expect((await api('GET', '/repos/acme/app/environments/temp', { token: 'temp' })).status).toBe(404)
  })
})

describe('organization and Dependabot secrets', () => {
  it('requires visibility, and selected_repository_ids for selected', async () => {
    const body = await sealedBody(ORG, 'org-value', 'org')
    expect((await api('PUT', `${ORG}/ORG_S`, { token: 'org', body })).status).toBe(422)
    expect((await api('PUT', `${ORG}/ORG_S`, { token: 'org', body: { ...body, visibility: 'public' } })).status).toBe(422)
    expect((await api('PUT', `${ORG}/ORG_S`, { token: 'org', body: { ...body, visibility: 'selected' } })).status).toBe(422)
    expect(
      (await api('PUT', `${ORG}/ORG_S`, { token: 'org', body: { ...body, visibility: 'selected', selected_repository_ids: ['1'] } }))
        .status,
    ).toBe(422)
  })

  it('stores visibility and selected repositories, and reports them on GET', async () => {
    const app = (await api('GET', '/repos/acme/app', { token: 'star' })).body as { id: number }
    const body = await sealedBody(ORG, 'org-value', 'org')
    const put = await api('PUT', `${ORG}/ORG_SEL`, {
      token: 'org',
      body: { ...body, visibility: 'selected', selected_repository_ids: [app.id] },
    })
    expect(put.status).toBe(201)
    expect(gh.secret('org:acme', 'ORG_SEL')).toMatchObject({
      value: 'org-value',
      visibility: 'selected',
      selected_repository_ids: [app.id],
    })

    const got = await api('GET', `${ORG}/ORG_SEL`, { token: 'org' })
    expect(got.body).toMatchObject({
      name: 'ORG_SEL',
      visibility: 'selected',
      selected_repositories_url: `${gh.url}${ORG}/ORG_SEL/repositories`,
    })
    const repos = await api('GET', `${ORG}/ORG_SEL/repositories`, { token: 'org' })
    expect(repos.body).toMatchObject({ total_count: 1, repositories: [{ id: app.id, full_name: 'acme/app' }] })

    // A PUT replaces visibility.
    expect((await api('PUT', `${ORG}/ORG_SEL`, { token: 'org', body: { ...body, visibility: 'private' } })).status).toBe(204)
    expect(gh.secret('org:acme', 'ORG_SEL')).toMatchObject({ visibility: 'private', writes: 2 })
    expect(gh.secret('org:acme', 'ORG_SEL')?.selected_repository_ids).toBeUndefined()
  })

  it('keeps Dependabot secrets apart, with their own keys', async () => {
    const dep = '/repos/acme/app/dependabot/secrets'
    expect((await api('PUT', `${dep}/D`, { token: 'w', body: await sealedBody(REPO, 'x') })).status).toBe(422)
    expect((await api('PUT', `${dep}/D`, { token: 'w', body: await sealedBody(dep, 'dep') })).status).toBe(201)
    expect(gh.secret('dependabot:acme/app', 'D')?.value).toBe('dep')
    expect(gh.secret('acme/app', 'D')).toBeUndefined()

    const orgDep = '/orgs/acme/dependabot/secrets'
    const r = await api('PUT', `${orgDep}/OD`, { token: 'org', body: { ...(await sealedBody(orgDep, 'od', 'org')), visibility: 'all' } })
    expect(r.status).toBe(201)
    expect(gh.secret('dependabot:org:acme', 'OD')).toMatchObject({ value: 'od', visibility: 'all' })
  })
})

describe('repository variables', () => {
  it('creates (201), reads the value (200), updates (204), renames, lists and deletes (204)', async () => {
    const created = await api('POST', VARS, { token: 'vars', body: { name: 'lwa_app_id', value: 'first' } })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({})
    const stored = gh.variable('acme/app', 'LWA_APP_ID')
    expect(stored).toMatchObject({ value: 'first' })

    const got = await api('GET', `${VARS}/Lwa_App_Id`, { token: 'varsread' })
    expect(got.status).toBe(200)
    expect(got.body).toEqual({ name: 'LWA_APP_ID', value: 'first', created_at: stored!.created_at, updated_at: stored!.updated_at })

    const updated = await api('PATCH', `${VARS}/lwa_app_id`, { token: 'vars', body: { value: 'second' } })
    expect(updated.status).toBe(204)
    expect(updated.body).toBeUndefined()
    expect(gh.variable('acme/app', 'lwa_app_id')).toMatchObject({ value: 'second', created_at: stored!.created_at })

    // A PATCH with a name renames; the old name is gone and created_at stays.
    expect((await api('PATCH', `${VARS}/LWA_APP_ID`, { token: 'vars', body: { name: 'lwa_app_id_2' } })).status).toBe(204)
    expect(gh.variable('acme/app', 'LWA_APP_ID')).toBeUndefined()
    expect(gh.variable('acme/app', 'LWA_APP_ID_2')).toMatchObject({ value: 'second', created_at: stored!.created_at })

    const list = await api('GET', VARS, { token: 'varsread' })
    expect(list.status).toBe(200)
    expect(list.body).toMatchObject({ total_count: 1, variables: [{ name: 'LWA_APP_ID_2', value: 'second' }] })

    expect((await api('DELETE', `${VARS}/lwa_app_id_2`, { token: 'vars' })).status).toBe(204)
    expect(gh.variable('acme/app', 'LWA_APP_ID_2')).toBeUndefined()
  })

  it('answers 404 for a missing variable and for an unknown repository', async () => {
    for (const [method, path, token] of [
      ['GET', `${VARS}/MISSING`, 'vars'],
      ['PATCH', `${VARS}/MISSING`, 'vars'],
      ['DELETE', `${VARS}/MISSING`, 'vars'],
      ['GET', '/repos/acme/nope/actions/variables/X', 'star'],
      ['GET', '/repos/acme/nope/actions/variables', 'star'],
      // An unknown repository is 404 before the grant is looked at.
      ['POST', '/repos/acme/nope/actions/variables', 'other'],
    ] as const) {
      const r = await api(method, path, { token, ...(method === 'GET' || method === 'DELETE' ? {} : { body: { name: 'X', value: 'v' } }) })
      expect(r.status, `${method} ${path}`).toBe(404)
      expect(r.body).toMatchObject({ message: 'Not Found' })
    }
    expect(gh.variable('acme/app', 'MISSING')).toBeUndefined()
  })

  it('answers 403 to tokens without a variables grant; read allows only the GETs; * allows all', async () => {
    gh.setVariable('acme/app', 'GUARDED', 'kept')
    const calls = [
      ['GET', VARS, undefined],
      ['GET', `${VARS}/GUARDED`, undefined],
      ['POST', VARS, { name: 'NEW_ONE', value: 'v' }],
      ['PATCH', `${VARS}/GUARDED`, { value: 'changed' }],
      ['DELETE', `${VARS}/GUARDED`, undefined],
    ] as const
    // Secrets grants (repository, environment, Dependabot, organization) do not reach variables.
    for (const token of ['w', 'r', 'envonly', 'org', 'other']) {
      for (const [method, path, body] of calls) {
        const r = await api(method, path, { token, ...(body && { body }) })
        expect(r.status, `${token} ${method} ${path}`).toBe(403)
        expect(r.body).toMatchObject({ message: 'Resource not accessible by personal access token' })
      }
    }
    for (const [method, path, body] of calls) {
      const r = await api(method, path, { token: 'varsread', ...(body && { body }) })
      expect(r.status, `varsread ${method} ${path}`).toBe(method === 'GET' ? 200 : 403)
    }
    expect(gh.variable('acme/app', 'GUARDED')?.value).toBe('kept')
    expect(gh.variable('acme/app', 'NEW_ONE')).toBeUndefined()

    expect((await api('PATCH', `${VARS}/GUARDED`, { token: 'star', body: { value: 'by star' } })).status).toBe(204)
    expect(gh.variable('acme/app', 'GUARDED')?.value).toBe('by star')
    // A variables grant neither reaches secrets nor another repository, but does show its repository.
    expect((await api('GET', `${REPO}/public-key`, { token: 'vars' })).status).toBe(403)
    expect((await api('GET', '/repos/acme/other/actions/variables', { token: 'vars' })).status).toBe(403)
    expect((await api('GET', '/repos/acme/app', { token: 'varsread' })).status).toBe(200)
    expect((await api('DELETE', `${VARS}/GUARDED`, { token: 'vars' })).status).toBe(204)
  })

  it('answers 422 to names GitHub refuses and to invalid bodies, and 400 to a body that is not a JSON object', async () => {
    const cases: [string, unknown][] = [
      ['name starts with a digit', { name: '1ABC', value: 'v' }],
      ['name with a hyphen', { name: 'A-B', value: 'v' }],
      ['name with a space', { name: 'A B', value: 'v' }],
      ['empty name', { name: '', value: 'v' }],
      ['GITHUB_ prefix, any case', { name: 'github_thing', value: 'v' }],
      ['missing name', { value: 'v' }],
      ['missing value', { name: 'NO_VALUE' }],
      ['value not a string', { name: 'NUMBER', value: 1 }],
      ['name not a string', { name: ['A'], value: 'v' }],
      ['value over 48 KB', { name: 'HUGE', value: 'x'.repeat(48 * 1024 + 1) }],
    ]
    for (const [what, body] of cases) {
      const r = await api('POST', VARS, { token: 'vars', body })
      expect(r.status, what).toBe(422)
      expect(r.body, what).toMatchObject({ errors: [{ resource: 'Variable' }] })
    }
    expect((await api('POST', VARS, { token: 'vars', body: { name: 'MAX_SIZE', value: 'x'.repeat(48 * 1024) } })).status).toBe(201)
    for (const name of ['1ABC', 'A-B', 'GITHUB_THING', 'NO_VALUE', 'NUMBER', 'HUGE']) expect(gh.variable('acme/app', name)).toBeUndefined()

    gh.setVariable('acme/app', 'RENAME_ME', 'v')
    for (const body of [{ name: 'github_x' }, { name: '9' }, { value: 7 }, { value: 'x'.repeat(48 * 1024 + 1) }]) {
      expect((await api('PATCH', `${VARS}/RENAME_ME`, { token: 'vars', body })).status, JSON.stringify(body).slice(0, 40)).toBe(422)
    }
    expect(gh.variable('acme/app', 'RENAME_ME')?.value).toBe('v')

    expect((await api('POST', VARS, { token: 'vars', raw: '{not json' })).status).toBe(400)
    expect((await api('POST', VARS, { token: 'vars', body: ['x'] })).status).toBe(400)
    expect((await api('PATCH', `${VARS}/RENAME_ME`, { token: 'vars', body: 'x' })).status).toBe(400)
  })

  it('answers 409 to a create of an existing name (any case) and to a rename onto one, changing nothing', async () => {
    gh.setVariable('acme/app', 'EXISTING', 'one')
    gh.setVariable('acme/app', 'OTHER_VAR', 'two')
    const before = gh.variable('acme/app', 'EXISTING')
    const r = await api('POST', VARS, { token: 'vars', body: { name: 'existing', value: 'changed' } })
    expect(r.status).toBe(409)
    expect(r.body).toMatchObject({ message: 'Already exists - Variable already exists', status: '409' })
    expect(gh.variable('acme/app', 'EXISTING')).toEqual(before)

    expect((await api('PATCH', `${VARS}/OTHER_VAR`, { token: 'vars', body: { name: 'Existing', value: 'x' } })).status).toBe(409)
    expect(gh.variable('acme/app', 'OTHER_VAR')?.value).toBe('two')
    expect(gh.variable('acme/app', 'EXISTING')?.value).toBe('one')
    // Renaming to the same name in another case is no conflict.
    expect((await api('PATCH', `${VARS}/OTHER_VAR`, { token: 'vars', body: { name: 'other_var', value: 'three' } })).status).toBe(204)
    expect(gh.variable('acme/app', 'OTHER_VAR')?.value).toBe('three')
  })

  it('lists in pages of 10 by default and at most 30, sorted by name', async () => {
    gh.addRepo('acme/many')
    gh.addToken('many', { write: [], read: ['variables:acme/many'] })
    for (let i = 0; i < 35; i++) gh.setVariable('acme/many', `V_${String(i).padStart(2, '0')}`, `value ${i}`)
    const names = async (query: string): Promise<string[]> => {
      const r = await api('GET', `/repos/acme/many/actions/variables${query}`, { token: 'many' })
      expect(r.body).toMatchObject({ total_count: 35 })
      return (r.body as { variables: { name: string }[] }).variables.map((v) => v.name)
    }
    expect(await names('')).toEqual(Array.from({ length: 10 }, (_, i) => `V_0${i}`))
    expect(await names('?per_page=100')).toHaveLength(30)
    expect(await names('?per_page=30&page=2')).toEqual(['V_30', 'V_31', 'V_32', 'V_33', 'V_34'])
  })

  it('setVariable creates or replaces (keeping created_at); variable() is case-insensitive and returns a copy', () => {
    gh.setVariable('acme/other', 'helper', 'a')
    const first = gh.variable('acme/other', 'HELPER')!
    expect(first.value).toBe('a')
    first.value = 'mutated'
    expect(gh.variable('acme/other', 'Helper')?.value).toBe('a')
    gh.setVariable('ACME/OTHER', 'HELPER', 'b')
    expect(gh.variable('acme/other', 'helper')).toMatchObject({ value: 'b', created_at: first.created_at })
    expect(gh.variable('acme/nope', 'HELPER')).toBeUndefined()
    expect(() => gh.setVariable('acme/nope', 'X', 'v')).toThrow(/unknown repository/)
    expect(() => gh.setVariable('acme/other', 'GITHUB_X', 'v')).toThrow(/refuses/)
  })
})

describe('failNext', () => {
  // Faults are canned answers chosen by the test, not GitHub's: keep them out of the spec check.
  beforeAll(() => {
    specChecked = false
  })
  afterAll(() => {
    specChecked = true
  })

  it('serves faults to matching requests only, in order, with their headers and times', async () => {
    gh.failNext({ method: 'PUT', path: /\/actions\/secrets\/FLAKY$/ }, { status: 502, body: { message: 'Server Error' }, times: 2 })
    gh.failNext(
      { path: `${REPO}/FLAKY` },
      {
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        headers: { 'retry-after': '1' },
      },
    )
    // A GET does not match the PUT fault (but does match the path-only one, which is queued behind it).
    const body = await sealedBody(REPO, 'flaky')
    const statuses: number[] = []
    const put = async (): Promise<Reply> => {
      const r = await api('PUT', `${REPO}/FLAKY`, { token: 'w', body })
      statuses.push(r.status)
      return r
    }
    await put()
    await put()
    const limited = await put()
    expect(limited.headers.get('retry-after')).toBe('1')
    expect((limited.body as { message?: string }).message).toMatch(/secondary rate limit/)
    await put()
    expect(statuses).toEqual([502, 502, 403, 201])
    expect(gh.secret('acme/app', 'FLAKY')?.writes).toBe(1)
    // Faults were recorded like any request.
    expect(gh.requests.filter((q) => q.method === 'PUT' && q.path === `${REPO}/FLAKY`)).toHaveLength(4)
  })

  it('drops the faults still queued on clearFaults', async () => {
    gh.failNext({ path: `${REPO}/public-key` }, { status: 503, times: 3 })
    gh.clearFaults()
    expect((await api('GET', `${REPO}/public-key`, { token: 'w' })).status).toBe(200)
  })

  it('matches a decoded environment path, delays, and hangs until the client gives up', async () => {
    gh.failNext({ method: 'GET', path: '/repos/acme/app/environments/staging east/secrets/public-key' }, { status: 503, delayMs: 60 })
    const started = Date.now()
    const r = await api('GET', '/repos/acme/app/environments/staging%20east/secrets/public-key', { token: 'w' })
    expect(r.status).toBe(503)
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)

    gh.failNext({ path: `${REPO}/public-key` }, { status: 200, hang: true })
    const err = await fetch(`${gh.url}${REPO}/public-key`, {
      headers: { authorization: 'Bearer w' },
      signal: AbortSignal.timeout(150),
    }).catch((e: unknown) => e)
    expect((err as Error).name).toBe('TimeoutError')
    gh.failNext({}, { status: 429, body: { message: 'Too Many Requests' }, headers: { 'x-ratelimit-remaining': '0' } })
    const limited = await api('GET', `${REPO}/public-key`, { token: 'w' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    expect((await api('GET', `${REPO}/public-key`, { token: 'w' })).status).toBe(200)
  })

  it('serves faults to variables requests too, which are recorded like the others', async () => {
    gh.setVariable('acme/app', 'FLAKY_VAR', 'before')
    gh.failNext({ method: 'PATCH', path: `${VARS}/FLAKY_VAR` }, { status: 502, body: { message: 'Server Error' } })
    const patch = (): Promise<Reply> => api('PATCH', `${VARS}/FLAKY_VAR`, { token: 'vars', body: { value: 'after' } })
    expect((await patch()).status).toBe(502)
    expect(gh.variable('acme/app', 'FLAKY_VAR')?.value).toBe('before')
    expect((await patch()).status).toBe(204)
    expect(gh.variable('acme/app', 'FLAKY_VAR')?.value).toBe('after')
    const recorded = gh.requests.filter((q) => q.method === 'PATCH' && q.path === `${VARS}/FLAKY_VAR`)
    expect(recorded.map((q) => JSON.parse(q.body) as unknown)).toEqual([{ value: 'after' }, { value: 'after' }])
  })

  it('close() ends promptly with a hung request open', async () => {
    const local = await startGitHubSim()
    local.failNext({}, { status: 200, hang: true })
    const pending = fetch(`${local.url}/repos/a/b`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) }).catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    await local.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await pending).toBeInstanceOf(Error)
  })
})

describe('dispatches', () => {
  it('records repository and workflow dispatches', async () => {
    expect((await api('POST', '/repos/acme/app/dispatches', { token: 'w', body: { event_type: 'lwa-secret-rotated' } })).status).toBe(204)
    expect((await api('POST', '/repos/acme/app/dispatches', { token: 'w', body: { event_type: '' } })).status).toBe(422)
    expect((await api('POST', '/repos/acme/app/dispatches', { token: 'r', body: { event_type: 'x' } })).status).toBe(403)
    const wf = await api('POST', '/repos/acme/app/actions/workflows/deploy.yml/dispatches', { token: 'w', body: { ref: 'main' } })
    expect(wf.status).toBe(204)
    expect(gh.dispatches.map((d) => d.target)).toEqual(['repository', { workflowId: 'deploy.yml' }])
  })
})

describe('issues, comments and labels', () => {
  const ISSUES = '/repos/acme/app/issues'
  const LABELS = '/repos/acme/app/labels'
  const LABEL = 'lwa-secret-rotation'

  it('creates a label (201) once (422 after), reads it in any case (200) and answers 404 for a missing one', async () => {
    const body = { name: LABEL, color: 'D93F0B', description: 'alerts' }
    const created = await api('POST', LABELS, { token: 'iss', body })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: LABEL, color: 'd93f0b', description: 'alerts', default: false })
    const again = await api('POST', LABELS, { token: 'iss', body: { name: LABEL.toUpperCase() } })
    expect(again.status).toBe(422)
    expect(again.body).toMatchObject({ errors: [{ resource: 'Label', field: 'name', code: 'already_exists' }] })
    expect((await api('GET', `${LABELS}/LWA-Secret-Rotation`, { token: 'issread' })).status).toBe(200)
    expect((await api('GET', `${LABELS}/nothing`, { token: 'issread' })).status).toBe(404)
    for (const bad of [{}, { name: 'x', color: '#d93f0b' }, { name: 'y', color: 'red' }, { name: 'z', description: 'd'.repeat(101) }]) {
      expect((await api('POST', LABELS, { token: 'iss', body: bad })).status, JSON.stringify(bad)).toBe(422)
    }
    expect(gh.label('acme/app', LABEL)).toEqual({ name: LABEL, color: 'd93f0b', description: 'alerts' })
  })

  it('opens an issue (201) with its labels, creating missing ones, and lists it by every label named, pull requests included', async () => {
    const created = await api('POST', ISSUES, {
      token: 'iss',
      body: { title: 'Rotation failed', body: 'marker', labels: [LABEL, { name: 'extra' }] },
    })
    expect(created.status).toBe(201)
    const issue = created.body as { number: number; labels: Array<{ name: string }>; user: { login: string }; state: string }
    expect(issue).toMatchObject({ state: 'open', user: { login: 'github-actions[bot]' } })
    expect(issue.labels.map((l) => l.name)).toEqual([LABEL, 'extra'])
    expect(gh.label('acme/app', 'extra')).toEqual({ name: 'extra', color: 'ededed', description: null })
    const pr = gh.addIssue('acme/app', { title: 'A pull request', labels: [LABEL], pullRequest: true })

    const listed = await api('GET', `${ISSUES}?labels=${LABEL}&state=open&per_page=100`, { token: 'issread' })
    expect(listed.status).toBe(200)
    const rows = listed.body as Array<{ number: number; pull_request?: unknown }>
    expect(rows.map((r) => r.number)).toEqual([pr, issue.number]) // newest first by default
    expect(rows.find((r) => r.number === pr)?.pull_request).toBeDefined()
    const both = await api('GET', `${ISSUES}?labels=${LABEL},EXTRA&direction=asc`, { token: 'issread' })
    expect((both.body as Array<{ number: number }>).map((r) => r.number)).toEqual([issue.number])
    expect((await api('GET', `${ISSUES}?labels=nothing`, { token: 'issread' })).body).toEqual([])
    expect((await api('GET', `${ISSUES}/${issue.number}`, { token: 'issread' })).body).toMatchObject({
      number: issue.number,
      body: 'marker',
    })
  })

  it('edits (200), comments (201), lists comments (200), closes as completed and reopens', async () => {
    const number = gh.addIssue('acme/app', { title: 'old', body: 'old body', labels: [LABEL] })
    const edited = await api('PATCH', `${ISSUES}/${number}`, { token: 'iss', body: { title: 'new', body: 'new body' } })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ title: 'new', body: 'new body', state: 'open' })
    const comment = await api('POST', `${ISSUES}/${number}/comments`, { token: 'iss', body: { body: 'The state changed.' } })
    expect(comment.status).toBe(201)
    expect(comment.body).toMatchObject({ body: 'The state changed.', user: { login: 'github-actions[bot]' } })
    const comments = await api('GET', `${ISSUES}/${number}/comments`, { token: 'issread' })
    expect((comments.body as Array<{ body: string }>).map((c) => c.body)).toEqual(['The state changed.'])

    const closed = await api('PATCH', `${ISSUES}/${number}`, { token: 'iss', body: { state: 'closed', state_reason: 'completed' } })
    expect(closed.body).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect((closed.body as { closed_at: string | null }).closed_at).not.toBeNull()
    const open = (await api('GET', `${ISSUES}?labels=${LABEL}&per_page=100`, { token: 'issread' })).body as Array<{ number: number }>
    expect(open.map((i) => i.number)).not.toContain(number)
    const all = (await api('GET', `${ISSUES}?labels=${LABEL}&state=all&per_page=100`, { token: 'issread' })).body as Array<{
      number: number
    }>
    expect(all.map((i) => i.number)).toContain(number)
    const reopened = await api('PATCH', `${ISSUES}/${number}`, { token: 'iss', body: { state: 'open' } })
    expect(reopened.body).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null })
    expect(gh.issues('acme/app').find((i) => i.number === number)).toMatchObject({ title: 'new', comments: ['The state changed.'] })
  })

  it('answers 400 and 422 to bodies GitHub refuses, changing nothing', async () => {
    const number = gh.addIssue('acme/app', { title: 'stays', labels: [LABEL] })
    const cases: Array<[string, string, unknown, number]> = [
      ['POST', ISSUES, {}, 422],
      ['POST', ISSUES, { title: 'x', labels: 'not a list' }, 422],
      ['POST', `${ISSUES}`, '{not json', 400],
      ['PATCH', `${ISSUES}/${number}`, { state: 'shut' }, 422],
      ['PATCH', `${ISSUES}/${number}`, { state: 'closed', state_reason: 'bored' }, 422],
      ['POST', `${ISSUES}/${number}/comments`, {}, 422],
      ['POST', `${ISSUES}/${number}/labels`, { labels: [] }, 422],
      ['GET', `${ISSUES}?state=shut`, undefined, 422],
    ]
    for (const [method, path, body, status] of cases) {
      const r = await api(method, path, typeof body === 'string' ? { token: 'iss', raw: body } : { token: 'iss', body })
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status)
    }
    expect(gh.issues('acme/app').find((i) => i.number === number)).toMatchObject({ state: 'open', title: 'stays', comments: [] })
  })

  it('answers 403 without an issues grant, 404 to a token that cannot see the repository or a number that is none, 410 when issues are off', async () => {
    expect((await api('GET', ISSUES, { token: 'w' })).status).toBe(403) // secrets, not issues
    expect((await api('GET', `${LABELS}/${LABEL}`, { token: 'w' })).status).toBe(403)
    expect((await api('GET', ISSUES, { token: 'other' })).status).toBe(404)
    expect((await api('POST', ISSUES, { token: 'issread', body: { title: 'x' } })).status).toBe(403)
    expect((await api('POST', LABELS, { token: 'issread', body: { name: 'x' } })).status).toBe(403)
    expect((await api('POST', `${ISSUES}/1/comments`, { token: 'issread', body: { body: 'x' } })).status).toBe(403)
    expect((await api('PATCH', `${ISSUES}/1`, { token: 'issread', body: { title: 'x' } })).status).toBe(403)
    for (const path of [`${ISSUES}/99999`, `${ISSUES}/abc`, `${ISSUES}/0`, `${ISSUES}/99999/comments`]) {
      expect((await api('GET', path, { token: 'issread' })).status, path).toBe(404)
    }
    expect((await api('POST', `${ISSUES}/99999/comments`, { token: 'iss', body: { body: 'x' } })).status).toBe(404)
    expect((await api('PATCH', `${ISSUES}/99999`, { token: 'iss', body: { title: 'x' } })).status).toBe(404)
    expect((await api('POST', `${ISSUES}/99999/labels`, { token: 'iss', body: { labels: ['x'] } })).status).toBe(404)
    gh.setIssues('acme/app', { enabled: false })
    try {
      const off = await api('GET', ISSUES, { token: 'issread' })
      expect(off.status).toBe(410)
      expect(off.body).toMatchObject({ message: 'Issues are disabled for this repo' })
      expect((await api('GET', `${ISSUES}/1`, { token: 'issread' })).status).toBe(410)
      expect((await api('GET', `${LABELS}/${LABEL}`, { token: 'issread' })).status).toBe(200)
    } finally {
      gh.setIssues('acme/app', { enabled: true })
    }
  })

  it('drops the labels of a new issue when told to; add-labels takes its three body forms', async () => {
    gh.setIssues('acme/app', { labelsDroppedOnCreate: true })
    let number: number
    try {
      const created = await api('POST', ISSUES, { token: 'iss', body: { title: 'unlabelled', labels: [LABEL] } })
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({ labels: [] })
      number = (created.body as { number: number }).number
    } finally {
      gh.setIssues('acme/app', { labelsDroppedOnCreate: false })
    }
    const added = await api('POST', `${ISSUES}/${number}/labels`, { token: 'iss', body: { labels: [LABEL] } })
    expect(added.status).toBe(200)
    expect((added.body as Array<{ name: string }>).map((l) => l.name)).toEqual([LABEL])
    expect((await api('POST', `${ISSUES}/${number}/labels`, { token: 'iss', body: ['second'] })).status).toBe(200)
    const third = await api('POST', `${ISSUES}/${number}/labels`, { token: 'iss', body: [{ name: 'third' }, { name: LABEL }] })
    expect((third.body as Array<{ name: string }>).map((l) => l.name)).toEqual([LABEL, 'second', 'third'])
  })

  it('pages lists with a Link header', async () => {
    const label = 'paged'
    for (const title of ['one', 'two', 'three']) gh.addIssue('acme/app', { title, labels: [label] })
    const first = await api('GET', `${ISSUES}?labels=${label}&direction=asc&per_page=2`, { token: 'issread' })
    expect((first.body as Array<{ title: string }>).map((i) => i.title)).toEqual(['one', 'two'])
    expect(first.headers.get('link')).toMatch(/[?&]page=2[^>]*>; rel="next"/)
    const second = await api('GET', `${ISSUES}?labels=${label}&direction=asc&per_page=2&page=2`, { token: 'issread' })
    expect((second.body as Array<{ title: string }>).map((i) => i.title)).toEqual(['three'])
    expect(second.headers.get('link')).not.toMatch(/rel="next"/)
  })
})

// --- checks against GitHub's REST description ---

/** The extract of GitHub's REST description the simulator follows (see test/sim/github.ts). */
// Vendored in test/specs (see its README for the source and how to refresh it); GITHUB_REST_SPEC points elsewhere.
const SPEC_PATH = process.env.GITHUB_REST_SPEC ?? fileURLToPath(new URL('../specs/github-secrets-openapi.json', import.meta.url))

/** The JSON Schema keywords the extract uses. */
interface Schema {
  type?: string
  nullable?: boolean
  allOf?: Schema[]
  minItems?: number
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  maxProperties?: number
  items?: Schema
  enum?: unknown[]
  pattern?: string
  minLength?: number
  maxLength?: number
  format?: string
  oneOf?: Schema[]
  anyOf?: Schema[]
  /** Large schemas the extract names instead of inlining. */
  'x-github-schema'?: string
  'x-not-inlined'?: boolean
}

interface Operation {
  operationId: string
  method: string
  path: string
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }
  responses: Record<string, { description: string; schema?: Schema }>
}

const VARIABLE_OPERATIONS = [
  'actions/list-repo-variables',
  'actions/create-repo-variable',
  'actions/get-repo-variable',
  'actions/update-repo-variable',
  'actions/delete-repo-variable',
]

const ISSUE_OPERATIONS = [
  'issues/list-for-repo',
  'issues/create',
  'issues/get',
  'issues/update',
  'issues/list-comments',
  'issues/create-comment',
  'issues/get-label',
  'issues/create-label',
  'issues/add-labels',
]

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/

/** What in `v` breaks `schema` (empty when it conforms), for the keywords the extract uses. */
function schemaProblems(schema: Schema, v: unknown, at: string): string[] {
  if (schema.nullable && v === null) return []
  if (schema.allOf) return schema.allOf.flatMap((s) => schemaProblems(s, v, at))
  if (schema['x-not-inlined']) return isObject(v) ? [] : [`${at}: expected an object (${schema['x-github-schema']})`]
  if (schema.oneOf) {
    const n = schema.oneOf.filter((s) => schemaProblems(s, v, at).length === 0).length
    return n === 1 ? [] : [`${at}: matches ${n} of oneOf`]
  }
  if (schema.anyOf && !schema.anyOf.some((s) => schemaProblems(s, v, at).length === 0)) return [`${at}: matches none of anyOf`]
  if (schema.enum && !schema.enum.includes(v)) return [`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(schema.enum)}`]
  switch (schema.type) {
    case 'object': {
      if (!isObject(v)) return [`${at}: expected an object`]
      const out = (schema.required ?? []).filter((k) => !(k in v)).map((k) => `${at}.${k}: required`)
      for (const [k, value] of Object.entries(v)) {
        const sub = schema.properties?.[k]
        if (sub) out.push(...schemaProblems(sub, value, `${at}.${k}`))
        else if (schema.additionalProperties === false) out.push(`${at}.${k}: not allowed`)
        else if (isObject(schema.additionalProperties)) out.push(...schemaProblems(schema.additionalProperties, value, `${at}.${k}`))
      }
      if (schema.maxProperties !== undefined && Object.keys(v).length > schema.maxProperties) out.push(`${at}: too many properties`)
      return out
    }
    case 'array':
      if (!Array.isArray(v)) return [`${at}: expected an array`]
      if (schema.minItems !== undefined && v.length < schema.minItems) return [`${at}: fewer than ${schema.minItems} items`]
      return schema.items ? v.flatMap((item, i) => schemaProblems(schema.items!, item, `${at}[${i}]`)) : []
    case 'string': {
      if (typeof v !== 'string') return [`${at}: expected a string`]
      const out: string[] = []
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(v)) out.push(`${at}: does not match ${schema.pattern}`)
      if (schema.minLength !== undefined && v.length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`)
      if (schema.maxLength !== undefined && v.length > schema.maxLength) out.push(`${at}: longer than ${schema.maxLength}`)
      if (schema.format === 'date-time' && !DATE_TIME.test(v)) out.push(`${at}: not a date-time`)
      return out
    }
    case 'integer':
      return Number.isInteger(v) ? [] : [`${at}: expected an integer`]
    case 'number':
      return typeof v === 'number' ? [] : [`${at}: expected a number`]
    case 'boolean':
      return typeof v === 'boolean' ? [] : [`${at}: expected a boolean`]
    case 'null':
      return v === null ? [] : [`${at}: expected null`]
    default:
      return []
  }
}

/** The operation serving a request: same method, and the path template with the most literal segments. */
function findOperation(operations: Operation[], method: string, path: string): Operation | undefined {
  const segments = path.split('?')[0]!.split('/').map(decodeURIComponent)
  let best: { op: Operation; literals: number } | undefined
  for (const op of operations) {
    if (op.method !== method.toUpperCase()) continue
    const parts = op.path.split('/')
    if (parts.length !== segments.length) continue
    let literals = 0
    const fits = parts.every((p, i) => {
      if (/^\{.+\}$/.test(p)) return segments[i] !== ''
      literals++
      return p === segments[i]
    })
    if (fits && (!best || literals > best.literals)) best = { op, literals }
  }
  return best?.op
}

/**
 * What in an exchange disagrees with the description: a request its schema refuses must not succeed; a status
 * the operation lists must carry its schema (no body where it has none); a status it does not list must be an
 * error in GitHub's basic-error shape (the one the description gives for 404 on GET /repos/{owner}/{repo}).
 */
function exchangeProblems(operations: Operation[], ex: Exchange): string[] {
  const label = `${ex.method} ${ex.path} -> ${ex.status}`
  const basicError = operations.find((o) => o.operationId === 'repos/get')!.responses['404']!.schema!
  const errorProblems = (): string[] => {
    const out = schemaProblems({ ...basicError, required: ['message', 'documentation_url'] }, ex.body, 'body')
    if (ex.status === 422 && isObject(ex.body) && !Array.isArray(ex.body.errors)) out.push('body.errors: expected an array')
    return out.map((p) => `${label}: ${p}`)
  }
  const op = findOperation(operations, ex.method, ex.path)
  if (!op) return ex.status === 404 ? errorProblems() : [`${label}: no operation in the description`]

  const requestSchema = op.requestBody?.content['application/json']?.schema
  if (requestSchema && ex.status < 400) {
    let parsed: unknown
    try {
      parsed = ex.requestBody === undefined ? undefined : JSON.parse(ex.requestBody)
    } catch {
      return [`${label}: accepted a body that is not JSON`]
    }
    if (parsed === undefined && op.requestBody?.required) return [`${label}: accepted a request without its required body`]
    const refused = parsed === undefined ? [] : schemaProblems(requestSchema, parsed, 'request')
    if (refused.length > 0) return [`${label}: accepted a request the description refuses (${refused.join('; ')})`]
  }

  const listed = op.responses[String(ex.status)]
  if (!listed) return ex.status >= 400 ? errorProblems() : [`${label}: status not listed for ${op.operationId}`]
  if (!listed.schema) return ex.body === undefined ? [] : [`${label}: a body where ${op.operationId} has none`]
  return schemaProblems(listed.schema, ex.body, 'body').map((p) => `${label}: ${p}`)
}

const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { operations: Operation[] }

// Runs last: it checks every exchange the tests above made. Skipped where the extract is not present.
describe(`agreement with GitHub's REST description (${SPEC_PATH})`, () => {
  const operations = spec.operations

  it('describes the variables and issues operations the simulator serves', () => {
    const listed = operations.filter((o) => o.path.startsWith('/repos/{owner}/{repo}/actions/variables')).map((o) => o.operationId)
    expect(listed.sort()).toEqual([...VARIABLE_OPERATIONS].sort())
    const issues = operations.filter((o) => /^\/repos\/\{owner\}\/\{repo\}\/(?:issues|labels)\b/.test(o.path)).map((o) => o.operationId)
    expect(issues.sort()).toEqual([...ISSUE_OPERATIONS].sort())
  })

  it('flags exchanges that disagree with the description (so the check below is not vacuous)', () => {
    const at = '2026-01-01T00:00:00Z'
    const bad: Exchange[] = [
      { method: 'GET', path: `${VARS}/X`, requestBody: undefined, status: 200, body: { name: 'X', created_at: at, updated_at: at } },
      {
        method: 'GET',
        path: `${VARS}/X`,
        requestBody: undefined,
        status: 200,
        body: { name: 'X', value: 'v', created_at: 'now', updated_at: at },
      },
      { method: 'POST', path: VARS, requestBody: '{"name":"X"}', status: 201, body: {} },
      { method: 'POST', path: VARS, requestBody: '{"name":"X","value":"v"}', status: 201, body: { name: 'X' } },
      { method: 'POST', path: VARS, requestBody: '{"name":"X","value":"v"}', status: 200, body: {} },
      { method: 'PATCH', path: `${VARS}/X`, requestBody: '{"value":1}', status: 204, body: undefined },
      { method: 'PATCH', path: `${VARS}/X`, requestBody: '{"value":"v"}', status: 204, body: {} },
      { method: 'GET', path: VARS, requestBody: undefined, status: 200, body: { total_count: 1, variables: [{ name: 'X' }] } },
      { method: 'DELETE', path: `${VARS}/X`, requestBody: undefined, status: 404, body: { error: 'Not Found' } },
      { method: 'PUT', path: `${VARS}/X`, requestBody: '{}', status: 204, body: undefined },
      // Issues: a title is required, a label needs its fields, add-labels needs at least one, update answers the issue.
      { method: 'POST', path: '/repos/a/b/issues', requestBody: '{"body":"x"}', status: 201, body: {} },
      { method: 'GET', path: '/repos/a/b/labels/x', requestBody: undefined, status: 200, body: { name: 'x', color: 'ededed' } },
      { method: 'POST', path: '/repos/a/b/issues/1/labels', requestBody: '{"labels":[]}', status: 200, body: [] },
      { method: 'PATCH', path: '/repos/a/b/issues/1', requestBody: '{"state":"shut"}', status: 200, body: {} },
      { method: 'PATCH', path: '/repos/a/b/issues/1', requestBody: '{"title":"x"}', status: 200, body: [] },
      { method: 'GET', path: '/repos/a/b/issues', requestBody: undefined, status: 200, body: [1] },
    ]
    for (const ex of bad) expect(exchangeProblems(operations, ex), `${ex.method} ${ex.status} ${JSON.stringify(ex.body)}`).not.toEqual([])
  })

  it('every request and answer above agrees with it, and the variables and issues operations were all exercised', () => {
    expect(exchanges.length).toBeGreaterThan(100)
    expect(exchanges.flatMap((ex) => exchangeProblems(operations, ex))).toEqual([])

    // Each variables operation was answered with its success status, and with errors.
    const seen = new Map<string, Set<number>>()
    for (const ex of exchanges) {
      const op = findOperation(operations, ex.method, ex.path)
      if (op) seen.set(op.operationId, (seen.get(op.operationId) ?? new Set()).add(ex.status))
    }
    const statuses = (id: string): number[] => [...(seen.get(id) ?? [])].sort((a, b) => a - b)
    expect(statuses('actions/list-repo-variables')).toEqual([200, 403, 404])
    expect(statuses('actions/create-repo-variable')).toEqual([201, 400, 403, 404, 409, 422])
    expect(statuses('actions/get-repo-variable')).toEqual([200, 403, 404])
    expect(statuses('actions/update-repo-variable')).toEqual([204, 400, 403, 404, 409, 422])
    expect(statuses('actions/delete-repo-variable')).toEqual([204, 403, 404])
    expect(statuses('issues/list-for-repo')).toEqual([200, 403, 404, 410, 422])
    expect(statuses('issues/create')).toEqual([201, 400, 403, 422])
    expect(statuses('issues/get')).toEqual([200, 404, 410])
    expect(statuses('issues/update')).toEqual([200, 403, 404, 422])
    expect(statuses('issues/list-comments')).toEqual([200, 404])
    expect(statuses('issues/create-comment')).toEqual([201, 403, 404, 422])
    expect(statuses('issues/get-label')).toEqual([200, 403, 404])
    expect(statuses('issues/create-label')).toEqual([201, 403, 422])
    expect(statuses('issues/add-labels')).toEqual([200, 404, 422])
  })
})
