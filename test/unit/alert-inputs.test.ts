import { describe, expect, it } from 'vitest'
import { readAlertTarget, readInputs, SECRET_INPUTS } from '../../src/shell/inputs.ts'

const CLIENT = 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef'
const base: Record<string, string> = {
  'client-id': CLIENT,
  'client-secret': 'amzn1.oa2-cs.v1.secret',
  'sqs-queue-url': 'https://sqs.eu-west-1.amazonaws.com/123456789012/sp-api-notifications',
  'github-token': 'ghs_token',
}
const env = {
  GITHUB_REPOSITORY: 'octo/shop',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_RUN_ID: '42',
}
const read =
  (overrides: Record<string, string> = {}) =>
  (name: string) =>
    ({ ...base, ...overrides })[name] ?? ''

describe('the alert input', () => {
  it('is issue by default, or none; anything else is an error naming the input', () => {
    expect(readInputs(read(), env).alert).toBe('issue')
    expect(readInputs(read({ alert: 'none' }), env).alert).toBe('none')
    expect(() => readInputs(read({ alert: 'email' }), env)).toThrow(
      /^Input alert: 'email' is not an alert: use issue \(the default: .*\) or none\.$/,
    )
  })

  it('warns, without failing, when alert is issue outside a workflow', () => {
    const inputs = readInputs(read({ 'expiry-variable': 'none', targets: 'repository:octo/shop' }), {})
    expect(inputs.warnings).toContain(
      'alert is issue, but GITHUB_REPOSITORY (which the runner sets) is not set: no alert issue is kept. Set alert to none outside a workflow.',
    )
    expect(readInputs(read({ 'expiry-variable': 'none', targets: 'repository:octo/shop', alert: 'none' }), {}).warnings).toEqual([])
  })

  it('masks alert-token with the other secret inputs', () => {
    expect(SECRET_INPUTS).toContain('alert-token')
  })
})

describe('readAlertTarget', () => {
  it('takes alert-token, else github-token, and the repository, client id, API and run link', () => {
    expect(readAlertTarget(read({ 'alert-token': 'ghs_workflow' }), env)).toEqual({
      target: {
        token: 'ghs_workflow',
        repository: 'octo/shop',
        clientId: CLIENT,
        githubApiUrl: 'https://api.github.com',
        runUrl: 'https://github.com/octo/shop/actions/runs/42',
      },
    })
    expect(readAlertTarget(read(), { ...env, GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toMatchObject({
      target: { token: 'ghs_token', githubApiUrl: 'https://ghe.example.com/api/v3' },
    })
  })

  it('sends alert-token only to the API of the server running the workflow; elsewhere github-token writes the issue', () => {
    const inputs = { 'alert-token': 'ghs_workflow' }
    expect(readAlertTarget(read({ ...inputs, 'github-api-url': 'https://api.github.com/' }), env)).toMatchObject({
      target: { token: 'ghs_workflow' },
    })
    expect(readAlertTarget(read({ ...inputs, 'github-api-url': 'https://ghe.example.com/api/v3' }), env)).toMatchObject({
      target: { token: 'ghs_token', githubApiUrl: 'https://ghe.example.com/api/v3' },
    })
    const { GITHUB_API_URL: _, ...outside } = env
    expect(readAlertTarget(read(inputs), outside)).toMatchObject({ target: { token: 'ghs_token' } })
  })

  it('is off with alert: none, and readable whatever is wrong with the other inputs', () => {
    expect(readAlertTarget(read({ alert: 'none' }), env)).toEqual({ off: true })
    expect(readAlertTarget(read({ 'receive-timeout': '0', 'sqs-queue-url': '', 'client-secret': '' }), env)).toHaveProperty('target')
  })

  it.each([
    [{ alert: 'email' }, env, 'the input alert is not issue or none'],
    [{ 'github-token': '' }, env, 'neither alert-token nor github-token is set'],
    [{}, {}, 'GITHUB_REPOSITORY is not set'],
    [{ 'client-id': '' }, env, 'client-id does not name an application'],
    [{ 'client-id': 'my-app' }, env, 'client-id does not name an application'],
    [{ 'github-api-url': 'http://ghe.example.com' }, env, 'github-api-url is not a URL the action may use'],
  ])('says why no alert can be written for %j', (overrides, environment, why) => {
    expect(readAlertTarget(read(overrides), environment)).toEqual({ unavailable: why })
  })
})
