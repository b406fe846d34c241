/**
 * One SecretStore for the core over every kind of target: GitHub kinds go to the GitHub store, Secrets Manager and
 * Parameter Store targets to theirs, each of which (with its SDK) is imported only when such a target is first used,
 * so a run with GitHub targets only never loads them.
 */
import { once } from '../lib/lazy.js'
import type { SecretStore } from '../core/ports.js'
import type { Target } from '../core/targets.js'

export function routeStores(
  github: SecretStore,
  secretsManager: () => Promise<SecretStore>,
  parameterStore: () => Promise<SecretStore>,
): SecretStore {
  const sm = once(secretsManager)
  const ssm = once(parameterStore)
  const storeFor = async (target: Target): Promise<SecretStore> =>
    target.kind === 'aws-secretsmanager' ? sm() : target.kind === 'aws-ssm' ? ssm() : github
  return {
    check: async (target) => (await storeFor(target)).check(target),
    write: async (target, value, versionKey) => (await storeFor(target)).write(target, value, versionKey),
    updatedAt: async (target) => (await storeFor(target)).updatedAt(target),
    proveWrite: async (target) => (await storeFor(target)).proveWrite(target),
    unproven: async (target) => (await (await storeFor(target)).unproven?.(target)) ?? [],
  }
}
