// Proves the GitHub simulator behaves as GitHub's Actions secrets API does (see test/sim/github.ts), with real
// HTTP requests and real libsodium sealed boxes.
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
  return { status: r.status, headers: r.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
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

describe('failNext', () => {
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
