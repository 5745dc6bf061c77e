import { clientSecretKey, headersKey, serverKey } from '../oauth/server-auth-record'
import type { Vault, VaultKey } from '../vault/vault'

type SecretVault = Pick<Vault, 'get' | 'set' | 'delete'>

/** Everything the vault keeps under a server's name: its sign-in, client secret and header values. */
function keysOf(server: string): VaultKey[] {
  return [serverKey(server), clientSecretKey(server), headersKey(server)]
}

/** A renamed server keeps its sign-in and secrets under its new name. */
export async function moveServerSecrets(vault: SecretVault, from: string, to: string): Promise<void> {
  const pairs = keysOf(from).map((key, index) => [key, keysOf(to)[index]!] as const)
  for (const [key, next] of pairs) {
    const value = await vault.get<unknown>(key)
    if (value === undefined) continue
    await vault.set(next, value)
    await vault.delete(key)
  }
}

/** The client secret and header values of a server being forgotten (its sign-in goes with sign-out). */
export async function forgetServerSecrets(vault: SecretVault, server: string): Promise<void> {
  for (const key of keysOf(server)) await vault.delete(key)
}

/**
 * What the vault holds for a server now, and how to put exactly that back: a connect that fails
 * undoes the secrets it stored.
 */
export async function snapshotServerSecrets(vault: SecretVault, server: string): Promise<() => Promise<void>> {
  const saved = await Promise.all(keysOf(server).map(async (key) => [key, await vault.get<unknown>(key)] as const))
  return async () => {
    for (const [key, value] of saved) {
      if (value === undefined) await vault.delete(key)
      else await vault.set(key, value)
    }
  }
}
