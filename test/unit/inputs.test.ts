import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkAwsConfigFile, readInputs } from '../../src/shell/inputs.ts'
import { awsRegionOf, formatTarget } from '../../src/core/targets.ts'

const base: Record<string, string> = {
  'client-id': 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef',
  'client-secret': 'amzn1.oa2-cs.v1.secret',
  'sqs-queue-url': 'https://sqs.eu-west-1.amazonaws.com/123456789012/sp-api-notifications',
  'github-token': 'ghs_token',
}
const env = { GITHUB_REPOSITORY: 'octo/shop' }
const read =
  (overrides: Record<string, string> = {}) =>
  (name: string) =>
    ({ ...base, ...overrides })[name] ?? ''
const error = (overrides: Record<string, string>, environment: NodeJS.ProcessEnv = env) => {
  try {
    readInputs(read(overrides), environment)
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    const inputs = readInputs(read(), env)
    expect(inputs).toMatchObject({
      secretName: 'LWA_CLIENT_SECRET',
      region: 'na',
      verify: true,
      receiveTimeoutSeconds: 300,
      lwaEndpoint: 'https://api.amazon.com/auth/o2/token',
      spApiEndpoint: 'https://sellingpartnerapi-na.amazon.com',
      awsRegion: 'eu-west-1',
      githubApiUrl: 'https://api.github.com',
      refreshToken: undefined,
      targets: [{ kind: 'repository', owner: 'octo', repo: 'shop' }],
    })
  })

  it('picks the SP-API endpoint of the region', () => {
    expect(readInputs(read({ region: 'EU' }), env).spApiEndpoint).toBe('https://sellingpartnerapi-eu.amazon.com')
    expect(readInputs(read({ region: 'fe' }), env).spApiEndpoint).toBe('https://sellingpartnerapi-fe.amazon.com')
  })

  it.each([
    [{ 'client-id': '' }, 'Input client-id: is required'],
    [{ 'client-secret': '' }, 'Input client-secret: is required'],
    [{ 'github-token': '' }, 'Input github-token: is required'],
    [{ 'sqs-queue-url': '' }, 'Input sqs-queue-url: is required'],
    [{ 'client-id': 'my-app' }, 'Input client-id: is not an LWA client id'],
    [{ 'client-secret': 'two words' }, 'Input client-secret: contains white space'],
    [{ 'secret-name': '1SECRET' }, 'Input secret-name:'],
    [{ 'secret-name': 'github_token' }, 'starts with GITHUB_'],
    [{ 'secret-name': 'LWA-SECRET' }, 'only letters, digits and _'],
    [{ region: 'us' }, "Input region: 'us' is not a region. Use na, eu or fe"],
    [{ 'receive-timeout': 'soon' }, "Input receive-timeout: 'soon' is not a whole number"],
    [{ 'receive-timeout': '-5' }, 'Input receive-timeout:'],
    [{ 'receive-timeout': '0' }, 'must be between 1 and 3600'],
    [{ 'receive-timeout': '86400' }, 'must be between 1 and 3600'],
    [{ verify: 'yes' }, "Input verify: 'yes' is not a boolean"],
    [{ 'lwa-endpoint': 'http://api.amazon.com/auth/o2/token' }, 'Input lwa-endpoint: must be an https URL'],
    [{ 'sp-api-endpoint': 'http://10.0.0.5:8080' }, 'Input sp-api-endpoint: must be an https URL'],
    [{ 'sp-api-endpoint': 'not a url' }, 'Input sp-api-endpoint: is not a URL'],
    [{ 'lwa-endpoint': 'https://lwa.example.com/auth/o2/token' }, "Input lwa-endpoint: 'lwa.example.com' is not one of Amazon's hosts"],
    [{ 'lwa-endpoint': 'https://api.amazon.com.example.com/auth/o2/token' }, "is not one of Amazon's hosts"],
    [
      { 'sp-api-endpoint': 'https://sellingpartnerapi-na.example.com' },
      "Input sp-api-endpoint: 'sellingpartnerapi-na.example.com' is not one",
    ],
    [{ 'github-api-url': 'http://ghe.example.com/api/v3' }, 'Input github-api-url: must be an https URL'],
    [{ 'github-api-url': 'https://user:pa55@ghe.example.com/api/v3' }, 'Input github-api-url: must not contain credentials'],
    [{ 'lwa-endpoint': 'https://me:pa55@api.amazon.com/auth/o2/token' }, 'Input lwa-endpoint: must not contain credentials'],
    [{ 'sqs-queue-url': 'https://me:pa55@sqs.us-east-1.amazonaws.com/123456789012/q' }, 'must not contain credentials'],
    [{ targets: 'repository:octo/..' }, "'..' is not a repository name"],
    [{ targets: 'repository:octo/.' }, "'.' is not a repository name"],
    [{ targets: 'environment:..' }, "not '.' or '..'"],
    [{ targets: 'environment:octo/shop:.' }, "not '.' or '..'"],
    [{ targets: 'environment:prod\u202e' }, 'targets line 1 holds a control or text-direction character'],
    [{ targets: 'repository\nenvironment:pr\u0007od' }, 'targets line 2 holds a control or text-direction character'],
    [{ 'sqs-queue-url': 'https://example.com/123456789012/q' }, "Input sqs-queue-url: 'example.com' is not an SQS host"],
    [{ 'sqs-queue-url': 'arn:aws:sqs:us-east-1:123456789012:q' }, 'Input sqs-queue-url:'],
    [{ 'sqs-queue-url': 'https://sqs.us-east-1.amazonaws.com/q' }, 'is not an SQS queue URL'],
    [
      { targets: 'organization:octo/shop' },
      "Input targets: targets line 1 ('organization:octo/shop'): organization targets name the organization",
    ],
    [{ targets: 'environment:production=GITHUB_X' }, "'GITHUB_X' is not a valid secret name: it starts with GITHUB_"],
    [{ targets: 'repository=9X' }, "'9X' is not a valid secret name"],
    [{ targets: 'repository\nrepository=LWA_CLIENT_SECRET' }, 'duplicate target'],
    [{ targets: 'organization:octo', 'organization-visibility': 'selected' }, 'Input organization-repositories: is required'],
    [{ 'organization-visibility': 'public' }, "Input organization-visibility: 'public' is not a visibility"],
    [{ dispatch: 'repository_dispatch:' }, 'Input dispatch: dispatch line 1'],
    [{ dispatch: 'workflow:deploy' }, 'name the workflow by its file name'],
    [{ dispatch: 'push:main' }, "unknown kind 'push'"],
    [{ targets: 'bucket:x' }, "unknown target kind 'bucket'"],
    [{ targets: 'repository\nrepository:OCTO/shop' }, "targets line 2 ('repository:OCTO/shop'): duplicate target"],
    [{ targets: 'repository:not a repo' }, 'is not a repository in OWNER/REPO form'],
    [{ targets: 'environment:' }, 'an environment target needs a name'],
    [{ targets: '\n \n' }, 'Input targets: targets is empty'],
  ])('rejects %j', (overrides, message) => {
    expect(error(overrides)).toContain(message)
  })

  it('never echoes credentials from a URL', () => {
    for (const input of ['github-api-url', 'lwa-endpoint', 'sp-api-endpoint', 'sqs-queue-url']) {
      expect(error({ [input]: 'https://me:pa55word@example.com/x' })).not.toContain('pa55word')
    }
    expect(error({}, { ...env, AWS_ENDPOINT_URL_SQS: 'https://me:pa55word@example.com' })).not.toContain('pa55word')
  })

  it('accepts only https or loopback SQS endpoints from the environment', () => {
    expect(error({}, { ...env, AWS_ENDPOINT_URL_SQS: 'http://sqs.example.com' })).toContain(
      'Input environment variable AWS_ENDPOINT_URL_SQS: must be an https URL',
    )
    expect(error({}, { ...env, AWS_ENDPOINT_URL: 'http://10.1.2.3:4566' })).toContain('Input environment variable AWS_ENDPOINT_URL:')
  })

  it("accepts Amazon's hosts for every region and the sandbox", () => {
    for (const host of ['sellingpartnerapi-eu.amazon.com', 'sandbox.sellingpartnerapi-fe.amazon.com']) {
      expect(readInputs(read({ 'sp-api-endpoint': `https://${host}` }), env).spApiEndpoint).toBe(`https://${host}`)
    }
  })

  it('warns when github-api-url is not the API of the server running the workflow', () => {
    const inputs = readInputs(read({ 'github-api-url': 'https://ghe.example.com/api/v3' }), {
      ...env,
      GITHUB_API_URL: 'https://api.github.com',
    })
    expect(inputs.warnings.join('\n')).toContain('github-api-url (ghe.example.com) is not the API of the server running this workflow')
    expect(readInputs(read(), { ...env, GITHUB_API_URL: 'https://api.github.com/' }).warnings).toEqual([])
  })

  it('never repeats a secret value in an error', () => {
    const secret = 'amzn1.oa2-cs.v1.has space'
    expect(error({ 'client-secret': secret })).not.toContain(secret)
  })

  it('takes the GitHub API URL from the input, else GITHUB_API_URL', () => {
    expect(readInputs(read({ 'github-api-url': 'https://ghe.example.com/api/v3/' }), env).githubApiUrl).toBe(
      'https://ghe.example.com/api/v3',
    )
    expect(readInputs(read(), { ...env, GITHUB_API_URL: 'https://ghe.example.com/api/v3' }).githubApiUrl).toBe(
      'https://ghe.example.com/api/v3',
    )
  })

  it('allows plain http only for loopback hosts', () => {
    const inputs = readInputs(
      read({ 'lwa-endpoint': 'http://127.0.0.1:9000/auth/o2/token', 'sp-api-endpoint': 'http://localhost:9001/' }),
      env,
    )
    expect(inputs.lwaEndpoint).toBe('http://127.0.0.1:9000/auth/o2/token')
    expect(inputs.spApiEndpoint).toBe('http://localhost:9001')
  })

  it('allows plain http to loopback addresses and localhost only, not to names under .localhost', () => {
    const inputs = readInputs(
      read({
        'lwa-endpoint': 'http://127.0.0.2:9000/auth/o2/token',
        'sp-api-endpoint': 'http://[::1]:9001/',
        'github-api-url': 'http://localhost.:9002',
      }),
      { ...env, AWS_ENDPOINT_URL_SQS: 'http://127.1:4566', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'https://secretsmanager.localhost:4567' },
    )
    expect(inputs.lwaEndpoint).toBe('http://127.0.0.2:9000/auth/o2/token')
    expect(inputs.spApiEndpoint).toBe('http://[::1]:9001')
    expect(inputs.githubApiUrl).toBe('http://localhost.:9002')
    // A name under .localhost may resolve anywhere (and behind a proxy, the proxy resolves it): https, like any name.
    expect(error({ 'lwa-endpoint': 'http://amazon.localhost:9000/auth/o2/token' })).toContain('must be an https URL')
    expect(error({ 'lwa-endpoint': 'https://amazon.localhost:9000/auth/o2/token' })).toContain("is not one of Amazon's hosts")
    expect(error({ 'github-api-url': 'http://github.localhost:9002' })).toContain('must be an https URL')
    expect(error({ 'lwa-endpoint': 'http://127.0.0.1.nip.io/auth/o2/token' })).toContain('must be an https URL')
    expect(error({ 'sp-api-endpoint': 'http://notlocalhost:9001' })).toContain('must be an https URL')
    expect(error({ 'github-api-url': 'http://localhost.example.com/api/v3' })).toContain('must be an https URL')
    expect(error({}, { ...env, AWS_ENDPOINT_URL_SQS: 'http://sqs.localhost:4566' })).toContain(
      'Input environment variable AWS_ENDPOINT_URL_SQS: must be an https URL',
    )
  })

  it('accepts an emulator queue only with a custom SQS endpoint, and takes its region from the host', () => {
    const url = 'https://sqs.us-east-2.localhost:4566/000000000000/notifications'
    expect(error({ 'sqs-queue-url': url })).toContain('is not an SQS host')
    const inputs = readInputs(read({ 'sqs-queue-url': url }), { ...env, AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566' })
    expect(inputs.awsRegion).toBe('us-east-2')
  })

  it('needs a region for a queue URL that names none', () => {
    const url = 'http://127.0.0.1:4566/000000000000/notifications'
    const custom = { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }
    expect(error({ 'sqs-queue-url': url }, custom)).toContain('AWS_REGION is not set')
    expect(readInputs(read({ 'sqs-queue-url': url }), { ...custom, AWS_REGION: 'ap-south-1' }).awsRegion).toBe('ap-south-1')
  })

  it('parses every target form, with per-target names', () => {
    const inputs = readInputs(
      read({
        targets: [
          'repository',
          'repository:octo/other',
          '',
          'environment:prod:eu',
          'environment:octo/other:staging=STAGING_LWA_SECRET',
          'organization:octo',
          'dependabot',
          'dependabot:octo/other=DEP_SECRET',
          'dependabot-organization:octo',
        ].join('\n'),
      }),
      env,
    )
    const named = (name?: string) => ({ secretName: name ?? 'LWA_CLIENT_SECRET', renamed: name !== undefined })
    expect(inputs.targets).toEqual([
      { kind: 'repository', owner: 'octo', repo: 'shop', ...named() },
      { kind: 'repository', owner: 'octo', repo: 'other', ...named() },
      { kind: 'environment', owner: 'octo', repo: 'shop', environment: 'prod:eu', ...named() },
      { kind: 'environment', owner: 'octo', repo: 'other', environment: 'staging', ...named('STAGING_LWA_SECRET') },
      { kind: 'organization', org: 'octo', ...named() },
      { kind: 'dependabot', owner: 'octo', repo: 'shop', ...named() },
      { kind: 'dependabot', owner: 'octo', repo: 'other', ...named('DEP_SECRET') },
      { kind: 'dependabot-organization', org: 'octo', ...named() },
    ])
  })

  it('parses dispatch lines', () => {
    const inputs = readInputs(read({ dispatch: 'repository_dispatch:lwa-secret-rotated\nworkflow:octo/api:deploy.yml@release' }), env)
    expect(inputs.dispatches).toEqual([
      { kind: 'repository_dispatch', owner: 'octo', repo: 'shop', eventType: 'lwa-secret-rotated' },
      { kind: 'workflow', owner: 'octo', repo: 'api', workflow: 'deploy.yml', ref: 'release' },
    ])
  })

  it('needs GITHUB_REPOSITORY for the short target forms', () => {
    expect(error({}, {})).toContain('GITHUB_REPOSITORY is not set')
  })
})

describe('AWS endpoints', () => {
  it('holds AWS_ENDPOINT_URL_STS to the rules of the other AWS endpoint variables', () => {
    expect(error({}, { ...env, AWS_ENDPOINT_URL_STS: 'http://sts.example.com' })).toBe(
      "Input environment variable AWS_ENDPOINT_URL_STS: must be an https URL (plain http is allowed only for loopback test servers), got 'http://sts.example.com'.",
    )
    expect(readInputs(read(), { ...env, AWS_ENDPOINT_URL_STS: 'https://sts.example.com' }).awsRegion).toBe('eu-west-1')
    expect(readInputs(read(), { ...env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566' }).awsRegion).toBe('eu-west-1')
  })

  /** The environment of a run whose shared AWS files hold `config` and `credentials`. */
  function awsFiles(config: string, credentials = ''): NodeJS.ProcessEnv {
    const dir = mkdtempSync(join(tmpdir(), 'aws-files-'))
    writeFileSync(join(dir, 'config'), config)
    writeFileSync(join(dir, 'credentials'), credentials)
    return { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') }
  }
  const problem = (environment: NodeJS.ProcessEnv) =>
    checkAwsConfigFile(environment).then(
      () => undefined,
      (e: Error) => e.message,
    )

  it('reads nothing when neither file exists', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'aws-home-'))
    await expect(checkAwsConfigFile({ HOME: empty })).resolves.toBeUndefined()
    await expect(checkAwsConfigFile({ HOME: empty, AWS_CONFIG_FILE: join(empty, 'nowhere') })).resolves.toBeUndefined()
  })

  it("refuses a plain-http endpoint_url in the profile's config or credentials", async () => {
    expect(await problem(awsFiles('[default]\nregion = eu-west-1\nendpoint_url = http://sqs.example.com\n'))).toBe(
      "Input endpoint_url of the AWS profile default (AWS config file): must be an https URL (plain http is allowed only for loopback test servers), got 'http://sqs.example.com'.",
    )
    expect(await problem(awsFiles('', '[default]\naws_access_key_id = x\nendpoint_url = http://proxy.example.net\n'))).toContain(
      'Input endpoint_url of the AWS profile default (AWS config file): must be an https URL',
    )
    expect(await problem(awsFiles('[default]\nendpoint_url = https://user:pw@sqs.example.com\n'))).toContain('must not contain credentials')
  })

  it('reads the profile AWS_PROFILE names and its services section: SQS, Secrets Manager and STS', async () => {
    const config = (service: string, url: string) =>
      `[default]\nendpoint_url = https://ok.example.com\n\n[profile ci]\nservices = local\n\n[services local]\n${service} =\n  endpoint_url = ${url}\n`
    for (const service of ['sqs', 'secrets_manager', 'sts']) {
      const files = awsFiles(config(service, 'http://evil.example.com'))
      expect(await problem(files), `default profile, ${service}`).toBeUndefined()
      expect(await problem({ ...files, AWS_PROFILE: 'ci' }), service).toBe(
        `Input [services local] ${service}.endpoint_url of the AWS profile ci (AWS config file): must be an https URL (plain http is allowed only for loopback test servers), got 'http://evil.example.com'.`,
      )
    }
    // A service the action never calls is not its business.
    expect(await problem({ ...awsFiles(config('s3', 'http://minio.example.com')), AWS_PROFILE: 'ci' })).toBeUndefined()
  })

  it('accepts https and loopback endpoints, and none at all when the SDK is told to ignore them', async () => {
    expect(await problem(awsFiles('[default]\nendpoint_url = https://sqs.example.com\n'))).toBeUndefined()
    expect(await problem(awsFiles('[default]\nendpoint_url = http://127.0.0.1:4566\n'))).toBeUndefined()
    expect(await problem(awsFiles('[default]\nendpoint_url = http://localhost:4566\n'))).toBeUndefined()
    const plain = awsFiles('[default]\nendpoint_url = http://sqs.example.com\n')
    expect(await problem({ ...plain, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined()
    expect(
      await problem(awsFiles('[default]\nignore_configured_endpoint_urls = true\nendpoint_url = http://sqs.example.com\n')),
    ).toBeUndefined()
  })
})

describe('Parameter Store targets (aws-ssm:)', () => {
  const aws = { ...env, AWS_REGION: 'eu-west-1' }
  const arn = 'arn:aws:ssm:us-east-2:111122223333:parameter/sp-api/lwa-client-secret'

  it('takes a name or an ARN, whose region wins over AWS_REGION, and shows each as written', () => {
    const inputs = readInputs(read({ targets: `aws-ssm:/sp-api/lwa-client-secret\naws-ssm:${arn}\naws-ssm:lwa.secret_1-a` }), aws)
    expect(inputs.targets.map((t) => t.kind === 'aws-ssm' && t.parameter)).toEqual(['/sp-api/lwa-client-secret', arn, 'lwa.secret_1-a'])
    expect(inputs.targets.map(formatTarget)).toEqual(['aws-ssm:/sp-api/lwa-client-secret', `aws-ssm:${arn}`, 'aws-ssm:lwa.secret_1-a'])
    expect(inputs.targets.map(awsRegionOf)).toEqual([undefined, 'us-east-2', undefined])
    expect(inputs.ssmRegion).toBe('eu-west-1')
  })

  it('keeps names apart by letter case, as Parameter Store does, and refuses the same one twice', () => {
    expect(readInputs(read({ targets: 'aws-ssm:/Prod/lwa\naws-ssm:/prod/lwa' }), aws).targets).toHaveLength(2)
    expect(error({ targets: 'aws-ssm:/prod/lwa\naws-ssm:/prod/lwa' }, aws)).toContain(
      "targets line 2 ('aws-ssm:/prod/lwa'): duplicate target",
    )
  })

  it.each([
    ['aws-ssm:', 'the name is empty'],
    ['aws-ssm:/sp api/lwa', 'use only letters, digits and . - _, with / between the levels'],
    ['aws-ssm:sp-api/lwa', "a name with levels starts with '/'"],
    ['aws-ssm:/sp-api//lwa', 'a level is empty'],
    ['aws-ssm:/sp-api/lwa/', 'a level is empty'],
    ['aws-ssm:/aws/reference/x', "names may not begin with 'aws' or 'ssm'"],
    ['aws-ssm:SSM-lwa', "names may not begin with 'aws' or 'ssm'"],
    [`aws-ssm:/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, 'it has 16 levels; Parameter Store allows 15'],
    [`aws-ssm:/${'a'.repeat(1011)}`, 'longer than 1011 characters'],
    ['aws-ssm:/sp-api/lwa=PROD_SECRET', 'aws-ssm targets take no =SECRET_NAME'],
    ['aws-ssm:arn:aws:ssm:us-east-2:111122223333:secret/lwa', 'it is not a parameter ARN'],
    ['aws-ssm:arn:aws:ssm:us-east-2:111122223333:parameter/', 'the name is empty'],
  ])('refuses %s', (line, message) => {
    const text = error({ targets: line }, aws)
    expect(text).toContain(`Input targets: targets line 1 ('${line}'): `)
    expect(text).toContain('is not a Parameter Store parameter name or ARN')
    expect(text).toContain(message)
  })

  it('needs AWS_REGION (or AWS_DEFAULT_REGION) for a parameter named without an ARN, before anything runs', () => {
    expect(error({ targets: 'aws-ssm:/sp-api/lwa' })).toContain(
      'Input targets: aws-ssm:/sp-api/lwa names no AWS region and AWS_REGION is not set',
    )
    expect(readInputs(read({ targets: 'aws-ssm:/sp-api/lwa' }), { ...env, AWS_DEFAULT_REGION: 'eu-central-1' }).ssmRegion).toBe(
      'eu-central-1',
    )
    expect(readInputs(read({ targets: `aws-ssm:${arn}` }), env).targets).toHaveLength(1)
  })

  it('holds AWS_ENDPOINT_URL_SSM to the rule of the other AWS endpoints: https, or http on loopback, and no credentials', () => {
    expect(readInputs(read(), { ...aws, AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4583' }).targets).toHaveLength(1)
    expect(readInputs(read(), { ...aws, AWS_ENDPOINT_URL_SSM: 'https://ssm.eu-west-1.amazonaws.com' }).targets).toHaveLength(1)
    expect(error({}, { ...aws, AWS_ENDPOINT_URL_SSM: 'http://ssm.example.com' })).toContain(
      'Input environment variable AWS_ENDPOINT_URL_SSM: must be an https URL',
    )
    const withCredentials = error({}, { ...aws, AWS_ENDPOINT_URL_SSM: 'https://me:pa55word@ssm.example.com' })
    expect(withCredentials).toContain('must not contain credentials')
    expect(withCredentials).not.toContain('pa55word')
  })
})
