/**
 * What every group of inputs shares: the rules for names, numbers, booleans and URLs, each failing with an
 * InputError that names the input and the fix, never repeating a secret value.
 */
import { secretNameProblem } from '../../core/targets.js'
import { InputError } from '../../lib/input-error.js'
import { isLoopbackHost } from '../../lib/loopback.js'

/** An input's value, trimmed, or '' when it is not set (core.getInput's contract). */
export type Read = (name: string) => string

export const CLIENT_ID = /^amzn1\.application-oa2-client\.[A-Za-z0-9]+$/

/** Longest receive-timeout accepted: an hour is far beyond Amazon's usual delivery time of seconds. */
export const MAX_RECEIVE_TIMEOUT_SECONDS = 3600

/** A reader of required inputs: '' fails, naming the input and what to set it to. */
export function requiredOf(read: Read): (name: string, what: string) => string {
  return (name, what) => {
    const value = read(name)
    if (value === '') throw new InputError(name, `is required: set it to ${what}.`)
    return value
  }
}

/** GitHub's rules for secret names (github-secrets.md), which variable names share. */
export function checkSecretName(name: string, input = 'secret-name'): void {
  const problem = secretNameProblem(name)
  if (problem) throw new InputError(input, `'${name}' is not a valid ${input === 'secret-name' ? 'secret' : 'variable'} name: ${problem}.`)
}

export function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new InputError('receive-timeout', `'${value}' is not a whole number of seconds.`)
  }
  const seconds = Number(value)
  if (seconds < 1 || seconds > MAX_RECEIVE_TIMEOUT_SECONDS) {
    throw new InputError('receive-timeout', `must be between 1 and ${MAX_RECEIVE_TIMEOUT_SECONDS} seconds (got ${seconds}).`)
  }
  return seconds
}

/** The YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them. */
export function parseBoolean(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, `'${value}' is not a boolean: use true or false.`)
}

/** A URL's host for an error text, or a placeholder: never the URL itself, which may carry credentials. */
export function safeHost(value: string): string {
  try {
    return new URL(value).host
  } catch {
    return 'not a URL'
  }
}

/**
 * https only, to one of `hosts` when given; loopback test servers (http or https) are always allowed.
 * Credentials in the URL are refused: they would travel with every request and be echoed in errors.
 */
export function endpoint(
  name: string,
  value: string,
  hosts?: string[],
  kind: 'input' | 'environment variable' | 'setting' = 'input',
): string {
  const fail = (why: string): never => {
    throw new InputError(kind === 'environment variable' ? `environment variable ${name}` : name, why)
  }
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    fail('is not a URL.')
  }
  const { protocol, hostname, host, username, password } = url as URL
  if (username || password) fail(`must not contain credentials (user name or password) before the host ${host}; remove them.`)
  const loopback = isLoopbackHost(hostname)
  if (!loopback && protocol !== 'https:') {
    fail(`must be an https URL (plain http is allowed only for loopback test servers), got '${protocol}//${host}'.`)
  }
  if (loopback && protocol !== 'http:' && protocol !== 'https:') fail(`must be an http(s) URL, got '${protocol}'.`)
  if (hosts && !loopback && !hosts.includes(hostname.toLowerCase())) {
    fail(
      `'${host}' is not one of Amazon's hosts for it (${hosts.join(', ')}); only those, or a loopback test server, may receive these credentials.`,
    )
  }
  return (url as URL).toString()
}
