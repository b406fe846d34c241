/**
 * Deploys that pick up the new secret: the `dispatch` input, one event per line, fired once every target
 * holds the new secret and its message is deleted. GitHub reads secrets when a run is queued, so only a run
 * started after the write sees the new value. Pure: parsing and the canonical form.
 */

export type Dispatch =
  | { kind: 'repository_dispatch'; owner: string; repo: string; eventType: string }
  | { kind: 'workflow'; owner: string; repo: string; workflow: string; ref: string | undefined }

export class DispatchError extends Error {}

const REPO_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/
const HELP = 'Use repository_dispatch:[OWNER/REPO:]EVENT_TYPE or workflow:[OWNER/REPO:]FILE[@REF], one per line'
// C0/C1 controls and the Unicode bidirectional marks, embeddings, overrides and isolates.
const UNSAFE_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u

export function formatDispatch(d: Dispatch): string {
  return d.kind === 'repository_dispatch'
    ? `repository_dispatch:${d.owner}/${d.repo}:${d.eventType}`
    : `workflow:${d.owner}/${d.repo}:${d.workflow}${d.ref ? `@${d.ref}` : ''}`
}

/** Parses the `dispatch` input; `currentRepository` (GITHUB_REPOSITORY) is used where a line names none. */
export function parseDispatches(text: string, currentRepository: string | undefined): Dispatch[] {
  const out: Dispatch[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '') return
    if (UNSAFE_CHARACTERS.test(line)) throw new DispatchError(`dispatch line ${index + 1} holds a control or text-direction character.`)
    const where = `dispatch line ${index + 1} ('${line}')`
    const colon = line.indexOf(':')
    const kind = colon === -1 ? line : line.slice(0, colon)
    const rest = colon === -1 ? '' : line.slice(colon + 1)
    // [OWNER/REPO:]REST: a leading repository when the part before the next colon is one.
    const second = rest.indexOf(':')
    const head = second === -1 ? '' : rest.slice(0, second)
    const [repository, tail] = REPO_PATTERN.test(head) ? [head, rest.slice(second + 1)] : [currentRepository, rest]
    if (!repository) throw new DispatchError(`${where}: GITHUB_REPOSITORY is not set, so name the repository: ${kind}:OWNER/REPO:…`)
    const [owner, repo] = repository.split('/') as [string, string]
    let dispatch: Dispatch
    if (kind === 'repository_dispatch') {
      if (tail.length < 1 || tail.length > 100) throw new DispatchError(`${where}: the event type is 1 to 100 characters. ${HELP}.`)
      dispatch = { kind, owner, repo, eventType: tail }
    } else if (kind === 'workflow') {
      const at = tail.lastIndexOf('@')
      const workflow = at === -1 ? tail : tail.slice(0, at)
      const ref = at === -1 ? undefined : tail.slice(at + 1)
      if (!/^(?:[\w.-]+\.ya?ml|\d+)$/.test(workflow)) {
        throw new DispatchError(`${where}: name the workflow by its file name (deploy.yml) or id. ${HELP}.`)
      }
      if (ref !== undefined && !/^[\w./-]{1,255}$/.test(ref)) throw new DispatchError(`${where}: '${ref}' is not a branch or tag name.`)
      dispatch = { kind, owner, repo, workflow, ref }
    } else {
      throw new DispatchError(`${where}: unknown kind '${kind}'. ${HELP}.`)
    }
    const key = formatDispatch(dispatch).toLowerCase()
    if (seen.has(key)) throw new DispatchError(`${where}: duplicate. List each event once.`)
    seen.add(key)
    out.push(dispatch)
  })
  return out
}
