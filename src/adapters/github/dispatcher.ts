/**
 * Fires the `dispatch` events through the shared Octokit client: a repository_dispatch with a payload that
 * carries no secret, or a workflow_dispatch of a workflow on its repository's default branch (or the given ref).
 */
import type { Dispatch } from '../../core/dispatch.js'
import type { Dispatcher } from '../../core/ports.js'
import { request, type Octokit } from './octokit.js'

export function createDispatcher(octokit: Octokit): Dispatcher {
  const advice = (d: Dispatch) => (status: number) =>
    status === 403 || status === 404
      ? `The github-token needs ${d.kind === 'workflow' ? '"Actions: read and write"' : '"Contents: read and write"'} on ${d.owner}/${d.repo}, and the ${d.kind === 'workflow' ? 'workflow must exist and declare workflow_dispatch' : 'repository must exist'}.`
      : ''
  return {
    async fire(d, payload) {
      if (d.kind === 'repository_dispatch') {
        await request(advice(d), 'send the repository_dispatch', () =>
          octokit.request('POST /repos/{owner}/{repo}/dispatches', {
            owner: d.owner,
            repo: d.repo,
            event_type: d.eventType,
            client_payload: payload,
          }),
        )
        return
      }
      const ref =
        d.ref ??
        (
          await request(advice(d), 'read the default branch', () =>
            octokit.request('GET /repos/{owner}/{repo}', { owner: d.owner, repo: d.repo }),
          )
        ).data.default_branch
      // No inputs: a workflow refuses inputs it does not declare.
      await request(advice(d), 'start the workflow', () =>
        octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
          owner: d.owner,
          repo: d.repo,
          workflow_id: d.workflow,
          ref,
        }),
      )
    },
  }
}
