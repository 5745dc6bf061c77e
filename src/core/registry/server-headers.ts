import { headersKey } from '../oauth/server-auth-record'
import type { Vault } from '../vault/vault'

interface StoredHeaders {
  readonly headers: Readonly<Record<string, string>>
}

/**
 * A server's extra HTTP headers. Their values are often credentials (`Authorization: Bearer …`,
 * API keys), so they are kept encrypted in the vault; the registry lists only their names.
 */
export async function readServerHeaders(vault: Pick<Vault, 'get'>, server: string): Promise<Record<string, string>> {
  return { ...(await vault.get<StoredHeaders>(headersKey(server)))?.headers }
}

/** Stores the values in the vault (none: forgets them) and returns the names for the registry. */
export async function storeServerHeaders(vault: Pick<Vault, 'set' | 'delete'>, server: string, headers: Readonly<Record<string, string>>): Promise<string[]> {
  const names = Object.keys(headers)
  if (names.length === 0) await vault.delete(headersKey(server))
  else await vault.set(headersKey(server), { headers: { ...headers } } satisfies StoredHeaders)
  return names
}
