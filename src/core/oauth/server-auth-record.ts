import type { AuthorizationServerMetadata } from './server-metadata'
import type { StoredTokens } from './tokens'

/** What the person and the UI may know about a server's sign-in: never a token (STYLE 7). */
export interface AuthStatus {
  readonly state: 'signed-out' | 'signed-in' | 'sign-in-needed' | 'error'
  /** Epoch milliseconds when the access token expires, when known. */
  readonly expiresAt?: number
  readonly scopes?: readonly string[]
  readonly issuer?: string
  /** Why sign-in is needed, or what went wrong, in words. */
  readonly problem?: string
}

/** One server's sign-in as kept in the vault (encrypted), under `server:<name>`. */
export interface ServerAuthRecord {
  readonly serverUrl: string
  /** RFC 8707 resource indicator used in every authorization and token request. */
  readonly resource: string
  /** The issuer refuses `resource` (see issuer-quirks.ts): token requests leave it out. */
  readonly resourceOmitted?: true
  readonly issuer: string
  readonly metadata: AuthorizationServerMetadata
  /** The vault key of the client registration used (`issuer:<issuer>`), or absent for pre-registered clients. */
  readonly registrationKey?: `issuer:${string}`
  readonly clientId: string
  /** How the client authenticated at the token endpoint when the sign-in succeeded. */
  readonly tokenEndpointAuthMethod?: 'none' | 'client_secret_post' | 'client_secret_basic'
  readonly scopes: readonly string[]
  readonly tokens?: StoredTokens
  readonly state: 'signed-in' | 'sign-in-needed'
  readonly problem?: string
}

export const serverKey = (name: string): `server:${string}` => `server:${name}`
/** The pre-registered client secret of a server, kept apart from the registry. */
export const clientSecretKey = (name: string): `server:${string}` => `server:${name}#client-secret`
/** The values of a server's extra headers (the registry lists their names only). */
export const headersKey = (name: string): `server:${string}` => `server:${name}#headers`
export const issuerKey = (issuer: string): `issuer:${string}` => `issuer:${issuer}`

/** The status model of one server, from its record. */
export function statusOf(record: ServerAuthRecord | undefined): AuthStatus {
  if (!record) return { state: 'signed-out' }
  const base = {
    issuer: record.issuer,
    ...(record.tokens?.expiresAt !== undefined ? { expiresAt: record.tokens.expiresAt } : {}),
    scopes: record.tokens?.scopes ?? record.scopes,
  }
  if (record.state === 'sign-in-needed' || !record.tokens) {
    return { ...base, state: 'sign-in-needed', problem: record.problem ?? 'Sign-in is needed.' }
  }
  return { ...base, state: 'signed-in' }
}
