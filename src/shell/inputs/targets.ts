/** Where the new secret goes (targets, the organization defaults) and which deploys start after (dispatch). */
import type { Visibility } from '../../adapters/github/secrets.js'
import { DispatchError, parseDispatches, type Dispatch } from '../../core/dispatch.js'
import { awsRegionOf, formatTarget, parseTargets, TargetError, type Target } from '../../core/targets.js'
import { InputError } from '../../lib/input-error.js'
import { checkSecretName, type Read } from './fields.js'

export interface Destinations {
  secretName: string
  targets: Target[]
  organizationVisibility: Visibility
  organizationRepositories: string[]
  dispatches: Dispatch[]
}

export function readDestinations(read: Read, env: NodeJS.ProcessEnv): Destinations {
  const secretName = read('secret-name') || 'LWA_CLIENT_SECRET'
  checkSecretName(secretName)
  const targets = readTargets(read, env, secretName)
  const { organizationVisibility, organizationRepositories } = readOrganizationDefaults(read, targets)
  let dispatches: Dispatch[]
  try {
    dispatches = parseDispatches(read('dispatch'), env.GITHUB_REPOSITORY)
  } catch (error) {
    if (error instanceof DispatchError) throw new InputError('dispatch', error.message)
    throw error
  }
  return { secretName, targets, organizationVisibility, organizationRepositories, dispatches }
}

function readTargets(read: Read, env: NodeJS.ProcessEnv, secretName: string): Target[] {
  let targets: Target[]
  try {
    targets = parseTargets(read('targets') || 'repository', env.GITHUB_REPOSITORY, secretName)
  } catch (error) {
    if (error instanceof TargetError) throw new InputError('targets', error.message)
    throw error
  }
  // A parameter name means a parameter of the region the credentials are for: without one, the write could not go anywhere.
  const unplaced = targets.find((t) => t.kind === 'aws-ssm' && awsRegionOf(t) === undefined)
  if (unplaced && !(env.AWS_REGION || env.AWS_DEFAULT_REGION)) {
    throw new InputError(
      'targets',
      `${formatTarget(unplaced)} names no AWS region and AWS_REGION is not set: set aws-region in aws-actions/configure-aws-credentials, or name the parameter by its ARN (arn:aws:ssm:REGION:ACCOUNT_ID:parameter/NAME).`,
    )
  }
  return targets
}

function readOrganizationDefaults(
  read: Read,
  targets: Target[],
): { organizationVisibility: Visibility; organizationRepositories: string[] } {
  const organizationVisibility = read('organization-visibility') || 'private'
  if (organizationVisibility !== 'private' && organizationVisibility !== 'all' && organizationVisibility !== 'selected') {
    throw new InputError('organization-visibility', `'${organizationVisibility}' is not a visibility: use private, all or selected.`)
  }
  const organizationRepositories = read('organization-repositories')
    .split(/[\s,]+/)
    .filter(Boolean)
  for (const name of organizationRepositories) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name === '.' || name === '..') {
      throw new InputError(
        'organization-repositories',
        `'${name}' is not a repository name (a name in the organization, without the owner).`,
      )
    }
  }
  const organizations = targets.some((t) => t.kind === 'organization' || t.kind === 'dependabot-organization')
  if (organizationVisibility === 'selected' && organizations && organizationRepositories.length === 0) {
    throw new InputError(
      'organization-repositories',
      'is required when organization-visibility is selected: list the repositories that may use a new organization secret.',
    )
  }
  return { organizationVisibility, organizationRepositories }
}
