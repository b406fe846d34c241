/**
 * Every kind of target and the deploys that follow, end to end through the bundled action: organization and
 * Dependabot secrets, per-target names, organization visibility kept or set, a target that fails beside
 * others that succeed, and dispatches fired once, after the writes, with payloads that hold no secret. Each
 * case asserts what GitHub holds (opened from the sealed boxes) and what the queue holds. The cases only
 * wait, so they run concurrently.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createWorld, REPO, type World } from '../support/world.ts'

const OTHER = 'octo/api'
const ALL_KINDS = [
  'repository',
  'environment:production',
  `repository:${OTHER}`,
  `environment:${OTHER}:staging=STAGING_LWA_CLIENT_SECRET`,
  'dependabot',
  `dependabot:${OTHER}=DEPENDABOT_LWA_SECRET`,
  'organization:octo',
  'dependabot-organization:octo',
].join('\n')

/** A world with a second repository, the organization, and a token that may write all of it. */
async function withWorld(body: (world: World, token: string) => Promise<void>): Promise<void> {
  const world = await createWorld({ amazon: { usagePlanIntervalMs: 1_000 } })
  try {
    world.github.addRepo(OTHER, { environments: ['staging'] })
    world.github.addOrg('octo', ['shop', 'api', 'web'])
    const token = `ghs_${randomBytes(18).toString('hex')}`
    world.github.addToken(token, { write: [REPO, OTHER, 'org:octo', 'dependabot:org:octo', `variables:${REPO}`], read: ['octo/web'] })
    await body(world, token)
  } finally {
    await world.close()
  }
}

describe.concurrent('targets', () => {
  it('writes a mix of eight targets over two repositories, with both organization kinds and per-target names', () =>
    withWorld(async (world, token) => {
      const run = await world.run({ inputs: world.inputs({ targets: ALL_KINDS, 'github-token': token }) })
      expect(run.code, run.stdout).toBe(0)
      const secret = world.amazon.currentSecret(world.clientId)
      const holds = (scope: string, name = 'LWA_CLIENT_SECRET') => world.github.secret(scope, name)?.value
      expect(holds(REPO)).toBe(secret)
      expect(holds(`${REPO}:production`)).toBe(secret)
      expect(holds(OTHER)).toBe(secret)
      expect(holds(`${OTHER}:staging`, 'STAGING_LWA_CLIENT_SECRET')).toBe(secret)
      expect(holds(`${OTHER}:staging`)).toBeUndefined()
      expect(holds(`dependabot:${REPO}`)).toBe(secret)
      expect(holds(`dependabot:${OTHER}`, 'DEPENDABOT_LWA_SECRET')).toBe(secret)
      expect(holds('org:octo')).toBe(secret)
      expect(holds('dependabot:org:octo')).toBe(secret)
      // A new organization secret is created private (organization-visibility's default).
      expect(world.github.secret('org:octo', 'LWA_CLIENT_SECRET')?.visibility).toBe('private')
      expect(world.github.secret('dependabot:org:octo', 'LWA_CLIENT_SECRET')?.visibility).toBe('private')
      expect(world.pendingSecrets()).toEqual([])
      expect(JSON.parse(run.outputs['updated-targets']!)).toEqual([
        `repository:${REPO}`,
        `environment:${REPO}:production`,
        `repository:${OTHER}`,
        `environment:${OTHER}:staging=STAGING_LWA_CLIENT_SECRET`,
        `dependabot:${REPO}`,
        `dependabot:${OTHER}=DEPENDABOT_LWA_SECRET`,
        'organization:octo',
        'dependabot-organization:octo',
      ])
      expect(run.summary).toContain(`| \`environment:${OTHER}:staging=STAGING_LWA_CLIENT_SECRET\` | created |`)
      // Each write was read back.
      const reads = world.github.requests.filter((r) => r.method === 'GET' && /\/secrets\/[A-Z_]+$/.test(r.path))
      expect(reads.length).toBeGreaterThanOrEqual(8)
    }))

  it('keeps an existing organization secret visible to all, and to its selected repositories, exactly', () =>
    withWorld(async (world, token) => {
      const targets = 'organization:octo\ndependabot-organization:octo=DEP_SECRET'
      const first = await world.run({
        inputs: world.inputs({
          targets,
          'github-token': token,
          'organization-visibility': 'selected',
          'organization-repositories': 'shop, web',
        }),
      })
      expect(first.code, first.stdout).toBe(0)
      const selected = world.github.secret('org:octo', 'LWA_CLIENT_SECRET')!
      expect(selected.visibility).toBe('selected')
      expect(selected.selected_repository_ids).toHaveLength(2)
      const ids = [...selected.selected_repository_ids!].sort()

      // A later run, with the input at its default (private), leaves access as it is.
      const second = await world.run({
        inputs: world.inputs({ targets, 'github-token': token, 'client-secret': world.stored('org:octo')! }),
      })
      expect(second.code, second.stdout).toBe(0)
      const after = world.github.secret('org:octo', 'LWA_CLIENT_SECRET')!
      expect(after.value).toBe(world.amazon.currentSecret(world.clientId))
      expect(after.visibility).toBe('selected')
      expect([...after.selected_repository_ids!].sort()).toEqual(ids)
      expect(world.github.secret('dependabot:org:octo', 'DEP_SECRET')?.visibility).toBe('selected')

      const third = await world.run({
        inputs: world.inputs({
          targets: 'organization:octo=ALL_SECRET',
          'github-token': token,
          'organization-visibility': 'all',
          'client-secret': after.value,
        }),
      })
      expect(third.code, third.stdout).toBe(0)
      const fourth = await world.run({
        inputs: world.inputs({
          targets: 'organization:octo=ALL_SECRET',
          'github-token': token,
          'client-secret': world.stored('org:octo', 'ALL_SECRET')!,
        }),
      })
      expect(fourth.code, fourth.stdout).toBe(0)
      expect(world.github.secret('org:octo', 'ALL_SECRET')?.visibility).toBe('all')
      expect(world.amazon.rotations(world.clientId)).toBe(4)
    }))
})

describe.concurrent('read-back', () => {
  it('a write that GitHub does not show when read back counts as failed: message kept, the re-run completes', () =>
    withWorld(async (world, token) => {
      const inputs = world.inputs({ targets: `repository\nrepository:${OTHER}`, 'github-token': token })
      const old = '2020-01-01T00:00:00Z'
      world.github.failNext(
        { method: 'GET', path: `/repos/${OTHER}/actions/secrets/LWA_CLIENT_SECRET` },
        { status: 200, body: { name: 'LWA_CLIENT_SECRET', created_at: old, updated_at: old } },
      )
      const first = await world.run({ inputs })
      expect(first.code).toBe(1)
      expect(first.errors.join('\n')).toContain(
        `repository:${OTHER} (GitHub accepted the write, but reading the secret back shows it last updated ${old})`,
      )
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.pendingSecrets()).toEqual([secret])
      expect(first.summary).toContain('| New-secret message | kept in the queue for the next run |')

      const second = await world.run({ inputs })
      expect(second.code, second.stdout).toBe(0)
      expect(second.outputs.result).toBe('resumed')
      expect(world.stored(OTHER)).toBe(secret)
      expect(world.pendingSecrets()).toEqual([])
      expect(second.summary).toContain('| New-secret message | deleted |')
    }))
})

describe.concurrent('deploys', () => {
  const dispatch = `repository_dispatch:lwa-client-secret-rotated\nworkflow:${OTHER}:deploy.yml`

  it('fires each dispatch once, after the writes, with a payload that holds no secret', () =>
    withWorld(async (world, token) => {
      const run = await world.run({
        inputs: world.inputs({ targets: `repository\nrepository:${OTHER}`, 'github-token': token, dispatch }),
        env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '42' },
      })
      expect(run.code, run.stdout).toBe(0)
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.github.dispatches).toHaveLength(2)
      const [repositoryDispatch, workflowDispatch] = world.github.dispatches
      expect(repositoryDispatch).toMatchObject({ repo: REPO, target: 'repository' })
      expect(repositoryDispatch!.body).toEqual({
        event_type: 'lwa-client-secret-rotated',
        client_payload: {
          client_id: world.clientId,
          secret_names: ['LWA_CLIENT_SECRET'],
          secret_expires_at: run.outputs['secret-expires-at'],
          result: 'rotated',
          run_url: `https://github.com/${REPO}/actions/runs/42`,
        },
      })
      expect(workflowDispatch).toMatchObject({ repo: OTHER, target: { workflowId: 'deploy.yml' }, body: { ref: 'main' } })
      for (const d of world.github.dispatches) expect(JSON.stringify(d.body)).not.toContain(secret)
      const lastWrite = Math.max(...world.github.requests.filter((r) => r.method === 'PUT').map((r) => r.at))
      for (const d of world.github.dispatches) expect(d.at).toBeGreaterThanOrEqual(lastWrite)
      expect(world.pendingSecrets()).toEqual([])
      expect(run.summary).toContain('| `repository_dispatch:octo/shop:lwa-client-secret-rotated` | started |')
    }))

  it('one target failing: the others are written, the run fails, the message is kept, nothing is dispatched; the re-run completes and dispatches', () =>
    withWorld(async (world, token) => {
      const inputs = world.inputs({ targets: `repository\nrepository:${OTHER}\norganization:octo`, 'github-token': token, dispatch })
      world.github.failNext(
        { method: 'PUT', path: /^\/repos\/octo\/api\/.*\/LWA_CLIENT_SECRET$/ },
        { status: 403, body: { message: 'Resource not accessible by integration' } },
      )
      const first = await world.run({ inputs })
      expect(first.code).toBe(1)
      const secret = world.amazon.currentSecret(world.clientId)
      expect(world.stored()).toBe(secret)
      expect(world.stored('org:octo')).toBe(secret)
      expect(world.stored(OTHER)).toBeUndefined()
      expect(world.pendingSecrets()).toEqual([secret])
      expect(world.github.dispatches).toEqual([])
      expect(first.errors.join('\n')).toContain(`repository:${OTHER} (could not write the secret: HTTP 403`)

      const second = await world.run({ inputs })
      expect(second.code, second.stdout).toBe(0)
      expect(second.outputs.result).toBe('resumed')
      expect(world.stored(OTHER)).toBe(secret)
      expect(world.github.dispatches).toHaveLength(2)
      expect(world.amazon.rotations(world.clientId)).toBe(1)
    }))

  it('a dispatch that fails is a warning, not a failed rotation', () =>
    withWorld(async (world, token) => {
      const run = await world.run({
        inputs: world.inputs({ 'github-token': token, dispatch: 'workflow:octo/nowhere:deploy.yml\nrepository_dispatch:rotated' }),
      })
      expect(run.code, run.stdout).toBe(0)
      expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      expect(run.warnings.join('\n')).toContain('Could not start workflow:octo/nowhere:deploy.yml')
      expect(world.github.dispatches).toHaveLength(1)
      expect(run.summary).toContain('Deploys that did not start (start them by hand): `workflow:octo/nowhere:deploy.yml`')
    }))
})
