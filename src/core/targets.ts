/**
 * Where the new secret is written: parsing of the `targets` input and the canonical form used in logs,
 * outputs and the summary. Pure: no I/O.
 */

/** Where a secret lives, without its name. */
export type Scope =
  | { kind: 'repository'; owner: string; repo: string }
  | { kind: 'environment'; owner: string; repo: string; environment: string }
  | { kind: 'organization'; org: string }
  | { kind: 'dependabot'; owner: string; repo: string }
  | { kind: 'dependabot-organization'; org: string }
  /** A secret in AWS Secrets Manager, by name or ARN; with `key`, only that key of its JSON object. */
  | { kind: 'aws-secretsmanager'; secretId: string; key: string | undefined }
  /** A Parameter Store parameter (a SecureString), by name or ARN. */
  | { kind: 'aws-ssm'; parameter: string }

/** The scopes GitHub holds (every kind but the AWS ones). */
export type GitHubScope = Exclude<Scope, { kind: 'aws-secretsmanager' | 'aws-ssm' }>

export function isGitHubScope(scope: Scope): scope is GitHubScope {
  return scope.kind !== 'aws-secretsmanager' && scope.kind !== 'aws-ssm'
}

/** A scope and the secret name used there: secret-name, or the line's own `=NAME`. */
export type Target = Scope & { secretName: string; renamed: boolean }

export class TargetError extends Error {}

const KINDS_HELP =
  'Use one per line: repository[:OWNER/REPO], environment:[OWNER/REPO:]NAME, organization:ORG, dependabot[:OWNER/REPO] ' +
  'or dependabot-organization:ORG, each optionally ending in =SECRET_NAME; or aws-secretsmanager:SECRET_ID[#KEY] or aws-ssm:PARAMETER_NAME'

// GitHub's own rules: owners are alphanumerics and hyphens; repository names add '.' and '_'.
const OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const REPO_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/
// Environment names: up to 255 characters, no control characters (they become part of a URL path).
const ENVIRONMENT_PATTERN = /^[^\p{Cc}]{1,255}$/u
// C0/C1 controls and the Unicode bidirectional marks, embeddings, overrides and isolates.
const UNSAFE_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u
/** Path segments that mean "this folder" and "the parent": never a repository or an environment. */
const DOT_SEGMENTS = ['.', '..']
/** A line's trailing `=NAME`: the secret name to use in that target. */
const RENAME = /=([^=]*)$/
// Secrets Manager names: ASCII letters, digits and /_+=.@- (up to 512); or the secret's ARN.
const AWS_SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/
const AWS_SECRET_ARN = /^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/
// Parameter Store: a parameter's ARN is the prefix below, then its name without the leading slash.
const SSM_PARAMETER_ARN = /^arn:aws(?:-[a-z]+)*:ssm:[a-z0-9-]+:\d{12}:parameter\/(.*)$/
/** Parameter Store's limits: 15 levels, and 1011 characters for a name counted with its ARN prefix. */
const SSM_MAX_LEVELS = 15
const SSM_MAX_LENGTH = 1011

/**
 * Parameter Store's naming rules, for a name or for the part of an ARN after `parameter/`: the reason it breaks
 * them, or undefined. An existing parameter keeps them by construction; checking early turns a typo into a clear
 * message instead of a "not found".
 */
export function parameterNameProblem(name: string, fromArn = false): string | undefined {
  if (name === '') return 'the name is empty'
  if (name.includes('=')) return "it contains '=': aws-ssm targets take no =SECRET_NAME (the parameter's own name is where the secret goes)"
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) return 'use only letters, digits and . - _, with / between the levels of a hierarchy'
  const path = fromArn ? `/${name}` : name
  if (path.includes('/') && !path.startsWith('/')) return "a name with levels starts with '/', e.g. /sp-api/lwa-client-secret"
  const levels = path.startsWith('/') ? path.slice(1).split('/') : [path]
  if (levels.some((level) => level === '')) return "a level is empty ('//', or '/' at the end)"
  if (/^(aws|ssm)/i.test(levels[0]!)) return "names may not begin with 'aws' or 'ssm' (any letter case): AWS reserves them"
  if (levels.length > SSM_MAX_LEVELS) return `it has ${levels.length} levels; Parameter Store allows ${SSM_MAX_LEVELS}`
  if (name.length > SSM_MAX_LENGTH) return `it is longer than ${SSM_MAX_LENGTH} characters (AWS counts the ARN prefix in that)`
  return undefined
}

/** GitHub's rules for secret (and variable) names; the reason a name breaks them, or undefined. */
export function secretNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'use only letters, digits and _, not starting with a digit'
  if (/^GITHUB_/i.test(name)) return 'it starts with GITHUB_, which GitHub reserves; choose another name'
  return undefined
}

/** Where a secret lives, as `updated-targets` and the summary show it. */
export function formatScope(scope: Scope): string {
  switch (scope.kind) {
    case 'repository':
    case 'dependabot':
      return `${scope.kind}:${scope.owner}/${scope.repo}`
    case 'environment':
      return `environment:${scope.owner}/${scope.repo}:${scope.environment}`
    case 'organization':
    case 'dependabot-organization':
      return `${scope.kind}:${scope.org}`
    case 'aws-secretsmanager':
      return `aws-secretsmanager:${scope.secretId}${scope.key === undefined ? '' : `#${scope.key}`}`
    case 'aws-ssm':
      return `aws-ssm:${scope.parameter}`
  }
}

/** The AWS region of a Secrets Manager or Parameter Store target named by ARN; undefined for a name. */
export function awsRegionOf(scope: Scope): string | undefined {
  const id = scope.kind === 'aws-secretsmanager' ? scope.secretId : scope.kind === 'aws-ssm' ? scope.parameter : undefined
  return id?.startsWith('arn:') ? id.split(':')[3] : undefined
}

/** The stable, human-readable form of a target: its scope, and its secret name where it differs from secret-name. */
export function formatTarget(target: Target): string {
  return target.renamed ? `${formatScope(target)}=${target.secretName}` : formatScope(target)
}

/**
 * Parses the `targets` input (one target per line, blank lines ignored). `currentRepository` is
 * GITHUB_REPOSITORY, used by the short forms; `secretName` is the name used where a line names none.
 */
export function parseTargets(text: string, currentRepository: string | undefined, secretName = 'LWA_CLIENT_SECRET'): Target[] {
  const targets: Target[] = []
  const seen = new Set<string>()
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = raw.trim()
    if (line === '') return
    // Control and direction-override characters could make a line read differently from what is requested.
    if (UNSAFE_CHARACTERS.test(line)) {
      throw new TargetError(`targets line ${index + 1} holds a control or text-direction character; type the line again in plain text.`)
    }
    const where = `targets line ${index + 1} ('${line}')`
    // Secrets Manager names may contain '=', and AWS targets have no GitHub secret name: no =NAME for those kinds.
    const rename = line.startsWith('aws-secretsmanager:') || line.startsWith('aws-ssm:') ? null : RENAME.exec(line)
    const name = rename ? rename[1]!.trim() : secretName
    if (rename) {
      const problem = secretNameProblem(name)
      if (problem) throw new TargetError(`${where}: '${name}' is not a valid secret name: ${problem}.`)
    }
    const scope = parseScope(rename ? line.slice(0, rename.index).trim() : line, where, currentRepository)
    const target: Target = { ...scope, secretName: name, renamed: name !== secretName }
    // GitHub treats owner, repository and secret names case-insensitively, so do we when spotting duplicates;
    // parameter names are case-sensitive (/Prod and /prod are two parameters).
    const key = scope.kind === 'aws-ssm' ? formatScope(scope) : `${formatScope(scope)} ${name}`.toLowerCase()
    if (seen.has(key)) throw new TargetError(`${where}: duplicate target. List each target once.`)
    seen.add(key)
    targets.push(target)
  })
  if (targets.length === 0) throw new TargetError(`targets is empty. ${KINDS_HELP}.`)
  return targets
}

function parseScope(line: string, where: string, currentRepository: string | undefined): Scope {
  const colon = line.indexOf(':')
  const kind = colon === -1 ? line : line.slice(0, colon)
  const rest = colon === -1 ? undefined : line.slice(colon + 1)
  switch (kind) {
    case 'repository':
    case 'dependabot': {
      const [owner, repo] = splitRepo(rest ?? thisRepository(where, currentRepository), where)
      return { kind, owner, repo }
    }
    case 'environment': {
      if (rest === undefined || rest === '') {
        throw new TargetError(`${where}: an environment target needs a name: environment:NAME or environment:OWNER/REPO:NAME.`)
      }
      // environment:OWNER/REPO:NAME when the part before the next colon is a repository; environment:NAME otherwise.
      const second = rest.indexOf(':')
      const head = second === -1 ? '' : rest.slice(0, second)
      const [repoPart, environment] = REPO_PATTERN.test(head)
        ? [head, rest.slice(second + 1)]
        : [thisRepository(where, currentRepository), rest]
      if (!ENVIRONMENT_PATTERN.test(environment) || DOT_SEGMENTS.includes(environment.trim())) {
        throw new TargetError(`${where}: environment names are 1 to 255 characters without control characters, and not '.' or '..'.`)
      }
      const [owner, repo] = splitRepo(repoPart, where)
      return { kind, owner, repo, environment }
    }
    case 'organization':
    case 'dependabot-organization': {
      if (rest === undefined || !OWNER_PATTERN.test(rest)) {
        throw new TargetError(`${where}: ${kind} targets name the organization: ${kind}:ORG (letters, digits and hyphens).`)
      }
      return { kind, org: rest }
    }
    case 'aws-secretsmanager': {
      const hash = (rest ?? '').lastIndexOf('#')
      const secretId = hash === -1 ? (rest ?? '') : rest!.slice(0, hash)
      const key = hash === -1 ? undefined : rest!.slice(hash + 1)
      if (!AWS_SECRET_NAME.test(secretId) && !AWS_SECRET_ARN.test(secretId)) {
        throw new TargetError(`${where}: '${secretId}' is not a Secrets Manager secret name (letters, digits and /_+=.@-) or ARN.`)
      }
      if (key !== undefined && (key === '' || key.length > 256))
        throw new TargetError(`${where}: the JSON key after # is 1 to 256 characters.`)
      return { kind, secretId, key }
    }
    case 'aws-ssm': {
      const parameter = rest ?? ''
      const arn = SSM_PARAMETER_ARN.exec(parameter)
      const problem =
        parameter.startsWith('arn:') && !arn
          ? 'it is not a parameter ARN (arn:aws:ssm:REGION:ACCOUNT_ID:parameter/NAME)'
          : (parameterNameProblem(arn ? arn[1]! : parameter, Boolean(arn)) ??
            (parameter.length > SSM_MAX_LENGTH ? `it is longer than ${SSM_MAX_LENGTH} characters` : undefined))
      if (problem) throw new TargetError(`${where}: '${parameter}' is not a Parameter Store parameter name or ARN: ${problem}.`)
      return { kind, parameter }
    }
    default:
      throw new TargetError(`${where}: unknown target kind '${kind}'. ${KINDS_HELP}.`)
  }
}

function thisRepository(where: string, currentRepository: string | undefined): string {
  if (!currentRepository) {
    throw new TargetError(`${where}: GITHUB_REPOSITORY is not set, so name the repository: repository:OWNER/REPO.`)
  }
  return currentRepository
}

function splitRepo(value: string, where: string): [string, string] {
  if (!REPO_PATTERN.test(value)) {
    throw new TargetError(`${where}: '${value}' is not a repository in OWNER/REPO form.`)
  }
  const [owner, repo] = value.split('/') as [string, string]
  if (DOT_SEGMENTS.includes(repo)) throw new TargetError(`${where}: '${repo}' is not a repository name.`)
  return [owner, repo]
}
