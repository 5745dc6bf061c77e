import { TrayError } from '../../shared/tray-error'
import type { Vault } from '../vault/vault'
import { discoverProtectedResource } from './protected-resource'
import { chooseAuthMethod, type ClientRegistration } from './registration'
import { clientSecretKey, serverKey, statusOf, type AuthStatus, type ServerAuthRecord } from './server-auth-record'
import { systemClock, type Clock, TokenRefresher } from './token-refresher'
import { clientConfiguration, oauthErrorCode, refreshTokens, revokeTokens, type StoredTokens } from './tokens'
import type { BearerChallenge } from './www-authenticate'

export interface TokenServiceOptions {
  readonly vault: Vault
  readonly refresher: TokenRefresher
  readonly clock?: Clock
  readonly fetch?: typeof fetch
  /** Refresh this long before the access token expires (default 60 s). */
  readonly refreshAheadMs?: number
}

/**
 * Access tokens for the hub and its proxies: refreshed ahead of expiry, one refresh at a time per
 * server (keyed by the stale token), rotation kept, `invalid_grant` turning the server into
 * "sign-in needed" without retrying. Never starts an interactive sign-in itself.
 */
export class TokenService {
  readonly #options: TokenServiceOptions
  readonly #clock: Clock
  readonly #refreshListeners = new Set<(serverName: string) => void>()

  constructor(options: TokenServiceOptions) {
    this.#options = options
    this.#clock = options.clock ?? systemClock
  }

  /** The access token to use now, refreshed first when it expires within the refresh margin. */
  async getAccessToken(serverName: string): Promise<string> {
    const record = await this.#signedIn(serverName)
    const { tokens } = record
    const left = tokens.expiresAt === undefined ? Infinity : tokens.expiresAt - this.#clock.now()
    // Refresh ahead by the margin, but never by more than a quarter of the token's life: with
    // short-lived tokens a fixed margin would refresh on every use.
    const lifetime = tokens.expiresAt !== undefined && tokens.issuedAt !== undefined ? tokens.expiresAt - tokens.issuedAt : Infinity
    const ahead = Math.min(this.#options.refreshAheadMs ?? 60_000, lifetime / 4)
    if (left <= ahead && tokens.refreshToken) return this.refresh(serverName, tokens.accessToken)
    if (left <= 0) return this.#needSignIn(serverName, record, 'The access token expired and the server gave no refresh token.')
    return tokens.accessToken
  }

  /**
   * A fresh access token after `staleToken` stopped working (a 401) or is about to expire. When
   * the vault already holds a different token, someone refreshed meanwhile: that one is returned.
   */
  refresh(serverName: string, staleToken: string): Promise<string> {
    return this.#options.refresher.refresh(serverName, staleToken, async () => {
      const record = await this.#signedIn(serverName)
      if (record.tokens.accessToken !== staleToken) return record.tokens.accessToken
      const refreshToken = record.tokens.refreshToken
      if (!refreshToken) return this.#needSignIn(serverName, record, 'The access token expired and the server gave no refresh token.')
      const config = clientConfiguration(record.metadata, await this.#registration(serverName, record), this.#options.fetch)
      let tokens: StoredTokens
      try {
        tokens = await refreshTokens(config, { ...record.tokens, refreshToken }, record.resourceOmitted ? undefined : record.resource, this.#clock.now())
      } catch (error) {
        const code = oauthErrorCode(error)
        if (code === 'invalid_grant' || code === 'invalid_client') {
          return this.#needSignIn(serverName, record, 'The server no longer accepts the saved sign-in.', error)
        }
        throw error
      }
      await this.#options.vault.set(serverKey(serverName), { ...record, tokens, scopes: tokens.scopes ?? record.scopes })
      for (const listener of this.#refreshListeners) {
        try {
          listener(serverName)
        } catch {
          // a listener's failure must not fail the refresh
        }
      }
      return tokens.accessToken
    })
  }

  /**
   * MCP 2026-07-28 authorization, SEP-2352: the authorization server the server's protected-resource
   * metadata names now, when the saved sign-in is for none of those it lists. Credentials are kept
   * per issuer and never used with another, so neither the token nor the refresh token can help:
   * the caller signs in with the new one (which registers there). `undefined` when the metadata
   * still lists the saved issuer, lists none, or cannot be read (a refresh is tried as before).
   */
  async movedAuthorizationServer(serverName: string, challenge?: BearerChallenge): Promise<string | undefined> {
    const record = await this.#options.vault.get<ServerAuthRecord>(serverKey(serverName)).catch(() => undefined)
    if (!record) return undefined
    const http = { ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}), signal: AbortSignal.timeout(10_000) }
    const metadata = await discoverProtectedResource(new URL(record.serverUrl), challenge, http).catch(() => undefined)
    const listed = metadata?.authorization_servers ?? []
    const same = (issuer: string): boolean => URL.canParse(issuer) && URL.canParse(record.issuer) && new URL(issuer).href === new URL(record.issuer).href
    return listed.length > 0 && !listed.some(same) ? listed[0] : undefined
  }

  /** Calls `listener` after each refresh that got a new access token (once per refresh, however many asked); returns how to stop. */
  onRefreshed(listener: (serverName: string) => void): () => void {
    this.#refreshListeners.add(listener)
    return () => this.#refreshListeners.delete(listener)
  }

  async status(serverName: string): Promise<AuthStatus> {
    try {
      return statusOf(await this.#options.vault.get<ServerAuthRecord>(serverKey(serverName)))
    } catch (error) {
      return { state: 'error', problem: error instanceof Error ? error.message : String(error) }
    }
  }

  /**
   * Signs out: RFC 7009 revocation where the server offers it (best effort), then the tokens are
   * forgotten locally either way. Returns whether the server was asked to revoke.
   */
  async signOut(serverName: string): Promise<{ revoked: boolean; problem?: string }> {
    const record = await this.#options.vault.get<ServerAuthRecord>(serverKey(serverName))
    let result: { revoked: boolean; problem?: string } = { revoked: false }
    if (record?.tokens) {
      try {
        const config = clientConfiguration(record.metadata, await this.#registration(serverName, record), this.#options.fetch)
        result = { revoked: await revokeTokens(config, record.tokens) }
      } catch (error) {
        result = { revoked: false, problem: `Revocation failed (${error instanceof Error ? error.message : String(error)}); the tokens were forgotten anyway.` }
      }
    }
    await this.#options.vault.delete(serverKey(serverName))
    return result
  }

  async #signedIn(serverName: string): Promise<ServerAuthRecord & { tokens: StoredTokens }> {
    const record = await this.#options.vault.get<ServerAuthRecord>(serverKey(serverName))
    if (!record || record.state !== 'signed-in' || !record.tokens) {
      throw new TrayError('sign_in_needed', `Sign-in to ${serverName} is needed.`, {
        hint: `Run \`mcp-tray login ${serverName}\` or use Sign in in the tray.`,
        ...(record?.problem ? { cause: record.problem } : {}),
      })
    }
    return record as ServerAuthRecord & { tokens: StoredTokens }
  }

  async #registration(serverName: string, record: ServerAuthRecord): Promise<ClientRegistration> {
    if (record.registrationKey) {
      const stored = await this.#options.vault.get<ClientRegistration>(record.registrationKey)
      if (stored && stored.clientId === record.clientId) return stored
    }
    const secret = (await this.#options.vault.get<{ clientSecret: string }>(clientSecretKey(serverName)))?.clientSecret
    return {
      kind: 'pre-registered',
      issuer: record.issuer,
      clientId: record.clientId,
      ...(secret ? { clientSecret: secret } : {}),
      tokenEndpointAuthMethod: record.tokenEndpointAuthMethod ?? chooseAuthMethod(record.metadata, secret !== undefined),
      redirectUris: [],
    }
  }

  async #needSignIn(serverName: string, record: ServerAuthRecord, problem: string, cause?: unknown): Promise<never> {
    const { tokens: _dropped, ...rest } = record
    await this.#options.vault.set(serverKey(serverName), { ...rest, state: 'sign-in-needed', problem })
    throw new TrayError('sign_in_needed', `${problem} Sign-in to ${serverName} is needed.`, {
      hint: `Run \`mcp-tray login ${serverName}\` or use Sign in in the tray.`,
      ...(cause === undefined ? {} : { cause }),
    })
  }
}
