/**
 * Where the new secret is written: parsing of the `targets` input and the canonical form used in logs,
 * outputs and the summary. Pure: no I/O.
 */

export type Target =
  { kind: 'repository'; owner: string; repo: string } | { kind: 'environment'; owner: string; repo: string; environment: string }

export class TargetError extends Error {}

const KINDS_HELP = 'Use one per line: repository, repository:OWNER/REPO, environment:NAME or environment:OWNER/REPO:NAME'

// GitHub's own rules: owners are alphanumerics and hyphens; repository names add '.' and '_'.
const REPO_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/
// Environment names: up to 255 characters, no control characters (they become part of a URL path).
const ENVIRONMENT_PATTERN = /^[^\p{Cc}]{1,255}$/u
// C0/C1 controls and the Unicode bidirectional marks, embeddings, overrides and isolates.
const UNSAFE_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u
/** Path segments that mean "this folder" and "the parent": never a repository or an environment. */
const DOT_SEGMENTS = ['.', '..']

/** The stable, human-readable form of a target: what `updated-targets` and the summary show. */
export function formatTarget(target: Target): string {
  const repo = `${target.owner}/${target.repo}`
  return target.kind === 'repository' ? `repository:${repo}` : `environment:${repo}:${target.environment}`
}

/**
 * Parses the `targets` input (one target per line, blank lines ignored).
 * `currentRepository` is GITHUB_REPOSITORY, used by the short forms `repository` and `environment:NAME`.
 */
export function parseTargets(text: string, currentRepository: string | undefined): Target[] {
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
    const target = parseLine(line, where, currentRepository)
    // GitHub treats owner and repository names case-insensitively, so do we when spotting duplicates.
    const key = formatTarget(target).toLowerCase()
    if (seen.has(key)) throw new TargetError(`${where}: duplicate target. List each target once.`)
    seen.add(key)
    targets.push(target)
  })
  if (targets.length === 0) throw new TargetError(`targets is empty. ${KINDS_HELP}.`)
  return targets
}

function parseLine(line: string, where: string, currentRepository: string | undefined): Target {
  const colon = line.indexOf(':')
  const kind = colon === -1 ? line : line.slice(0, colon)
  const rest = colon === -1 ? undefined : line.slice(colon + 1)
  switch (kind) {
    case 'repository': {
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
    case 'dependabot':
      throw new TargetError(`${where}: ${kind} targets are not supported yet. ${KINDS_HELP}.`)
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
