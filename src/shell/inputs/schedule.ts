/**
 * When and how a run rotates: mode, rotate-before-expiry and the expiry variable beside which the rotation
 * record lives, receive-timeout, verify and force.
 */
import { parseDuration } from '../../core/expiry.js'
import { InputError } from '../../lib/input-error.js'
import { checkSecretName, parseBoolean, parseSeconds, type Read } from './fields.js'

export interface Schedule {
  mode: 'rotate' | 'check'
  rotateBeforeMs: number | undefined
  expiryVariable: string | undefined
  receiveTimeoutSeconds: number
  verify: boolean
  force: boolean
}

export function readSchedule(read: Read, env: NodeJS.ProcessEnv, secretName: string): Schedule {
  const mode = read('mode') || 'rotate'
  if (mode !== 'rotate' && mode !== 'check') {
    throw new InputError('mode', `'${mode}' is not a mode: use rotate (the default) or check (every preflight check, nothing changed).`)
  }
  let rotateBeforeMs: number | undefined
  try {
    rotateBeforeMs = parseDuration(read('rotate-before-expiry'))
  } catch (error) {
    throw new InputError('rotate-before-expiry', `${(error as Error).message} Leave it empty to rotate on every run.`)
  }
  const variable = read('expiry-variable') || `${secretName}_EXPIRES_AT`
  const expiryVariable = variable.toLowerCase() === 'none' ? undefined : variable
  if (expiryVariable) checkSecretName(expiryVariable, 'expiry-variable')
  if (rotateBeforeMs !== undefined && !expiryVariable) {
    throw new InputError(
      'rotate-before-expiry',
      'needs the expiry to be recorded: set expiry-variable to a variable name (not none), or leave rotate-before-expiry empty.',
    )
  }
  if (expiryVariable && !env.GITHUB_REPOSITORY) {
    throw new InputError(
      'expiry-variable',
      'needs GITHUB_REPOSITORY (the repository that keeps the variable), which the runner sets; set expiry-variable to none outside a workflow.',
    )
  }
  return {
    mode,
    rotateBeforeMs,
    expiryVariable,
    receiveTimeoutSeconds: parseSeconds(read('receive-timeout') || '300'),
    verify: parseBoolean('verify', read('verify') || 'true'),
    force: parseBoolean('force', read('force') || 'false'),
  }
}
