/**
 * libsodium sealed boxes, the encryption GitHub requires for secret values: only the holder of the
 * target's private key (GitHub) can open them.
 */

/** libsodium (its WebAssembly compiled on load) is imported on first use: a run that writes nothing never pays for it. */
let loaded: Promise<typeof import('libsodium-wrappers').default> | undefined
export function loadSodium(): Promise<typeof import('libsodium-wrappers').default> {
  return (loaded ??= import('libsodium-wrappers').then(async ({ default: sodium }) => (await sodium.ready, sodium)))
}

/** Seals `value` for the Curve25519 public key GitHub returned (base64) and returns the box in base64. */
export async function seal(value: string, publicKeyBase64: string): Promise<string> {
  const sodium = await loadSodium()
  const key = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL)
  const box = sodium.crypto_box_seal(sodium.from_string(value), key)
  return sodium.to_base64(box, sodium.base64_variants.ORIGINAL)
}
