import * as client from 'openid-client'
import { TrayError } from '../../shared/tray-error'
import { wordsForFailure } from '../doctor/failure-words'
import type { ValidatedCallback } from './callback-server'
import type { PkcePair } from './pkce'
import { isLoopbackHttp, type ClientRegistration } from './registration'
import type { AuthorizationServerMetadata } from './server-metadata'

/** Tokens as kept in the vault (encrypted). Never logged, never shown. */
export interface StoredTokens {
  readonly accessToken: string
  readonly refreshToken?: string
  /** Epoch milliseconds, when the server said. */
  readonly expiresAt?: number
  /** Epoch milliseconds when the token was received: with `expiresAt`, the token's lifetime. */
  readonly issuedAt?: number
  readonly scopes?: readonly string[]
  readonly tokenType: string
}

/** openid-client's view of one authorization server and our registration there. */
export function clientConfiguration(
  metadata: AuthorizationServerMetadata,
  registration: Pick<ClientRegistration, 'clientId' | 'clientSecret' | 'tokenEndpointAuthMethod'>,
  fetchImpl?: typeof fetch,
): client.Configuration {
  const auth =
    registration.tokenEndpointAuthMethod === 'client_secret_basic' && registration.clientSecret
      ? clientSecretBasic(registration.clientId, registration.clientSecret)
      : registration.tokenEndpointAuthMethod === 'client_secret_post' && registration.clientSecret
        ? client.ClientSecretPost(registration.clientSecret)
        : client.None()
  const config = new client.Configuration(metadata as client.ServerMetadata, registration.clientId, undefined, auth)
  if (isLoopbackHttp(metadata.token_endpoint) || isLoopbackHttp(metadata.authorization_endpoint)) client.allowInsecureRequests(config)
  if (fetchImpl) config[client.customFetch] = (url, options) => fetchImpl(url, options as RequestInit)
  return config
}

/**
 * RFC 6749 §2.3.1: HTTP Basic with the client id and secret form-urlencoded (WHATWG
 * application/x-www-form-urlencoded, as URLSearchParams does). openid-client also escapes `-`,
 * `.`, `_`, `~`…, which servers that do not decode (many) read as a different client id.
 */
export function clientSecretBasic(clientId: string, clientSecret: string): client.ClientAuth {
  const encode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2)
  const credentials = Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')
  return (_as, _client, _body, headers) => headers.set('authorization', `Basic ${credentials}`)
}

/**
 * RFC 6749 §4.1.3 with RFC 7636 §4.5 (`code_verifier`) and RFC 8707 §2.2 (`resource`): trades a
 * validated callback's code for tokens. openid-client re-checks `state` and RFC 9207 `iss`.
 */
export async function exchangeCode(
  config: client.Configuration,
  callback: ValidatedCallback,
  pkce: PkcePair,
  resource: string | undefined,
  now: number,
): Promise<StoredTokens> {
  try {
    const response = await client.authorizationCodeGrant(
      config,
      callback.url,
      { pkceCodeVerifier: pkce.verifier, expectedState: callback.state, idTokenExpected: false },
      resource === undefined ? {} : { resource },
    )
    return processTokenResponse(response, now)
  } catch (error) {
    throw tokenError(error, 'Exchanging the sign-in code for tokens failed.')
  }
}

/**
 * RFC 6749 §6 with RFC 8707 §2.2: a refresh. A rotated refresh token replaces the old one
 * (RFC 9700 §4.14.2); when none comes back the old one stays.
 */
export async function refreshTokens(
  config: client.Configuration,
  previous: StoredTokens & { refreshToken: string },
  resource: string | undefined,
  now: number,
): Promise<StoredTokens> {
  try {
    const response = await client.refreshTokenGrant(config, previous.refreshToken, resource === undefined ? {} : { resource })
    return processTokenResponse(response, now, previous)
  } catch (error) {
    throw tokenError(error, 'Refreshing the access token failed.')
  }
}

/** RFC 6749 §5.1: the token response as stored; scopes default to the earlier grant (§3.3). */
export function processTokenResponse(response: client.TokenEndpointResponse, now: number, previous?: StoredTokens): StoredTokens {
  const refreshToken = response.refresh_token ?? previous?.refreshToken
  const scopes = response.scope ? response.scope.split(' ').filter(Boolean) : previous?.scopes
  return {
    accessToken: response.access_token,
    tokenType: response.token_type,
    ...(refreshToken ? { refreshToken } : {}),
    ...(typeof response.expires_in === 'number' ? { expiresAt: now + response.expires_in * 1000, issuedAt: now } : {}),
    ...(scopes ? { scopes } : {}),
  }
}

/**
 * RFC 7009 §2.1: revokes the refresh token (which ends the grant) and the access token when the
 * server has a `revocation_endpoint`. Returns whether the server was asked.
 */
export async function revokeTokens(config: client.Configuration, tokens: StoredTokens): Promise<boolean> {
  if (!config.serverMetadata().revocation_endpoint) return false
  const revoke = (token: string, hint: string): Promise<void> => client.tokenRevocation(config, token, { token_type_hint: hint })
  if (tokens.refreshToken) await revoke(tokens.refreshToken, 'refresh_token')
  await revoke(tokens.accessToken, 'access_token')
  return true
}

/** The OAuth error code of a failed token request (RFC 6749 §5.2), when there is one. */
export function oauthErrorCode(error: unknown): string | undefined {
  if (error instanceof client.ResponseBodyError) return error.error
  if (error instanceof TrayError && error.cause !== undefined) return oauthErrorCode(error.cause)
  return undefined
}

/** The server's `error_description` of a failed token request (RFC 6749 §5.2), when it gave one. */
export function oauthErrorDescription(error: unknown): string | undefined {
  if (error instanceof client.ResponseBodyError) return error.error_description
  if (error instanceof TrayError && error.cause !== undefined) return oauthErrorDescription(error.cause)
  return undefined
}

/** Turns a library error into a TrayError whose message has no token in it. */
function tokenError(error: unknown, message: string): TrayError {
  const code = oauthErrorCode(error)
  // No answer at all (the server down, DNS, TLS, a proxy): say which, not "The server said: fetch failed".
  const unanswered = code === undefined ? wordsForFailure(error) : undefined
  if (unanswered?.diagnosis) return new TrayError('token_request_failed', `${message} ${unanswered.message}`, { hint: unanswered.hint, cause: error })
  const description = error instanceof client.ResponseBodyError ? error.error_description : undefined
  const detail = description ?? code ?? (error instanceof Error ? error.message : undefined)
  const trayCode = code === 'invalid_grant' ? 'invalid_grant' : code === 'invalid_client' ? 'invalid_client' : 'token_request_failed'
  return new TrayError(trayCode, detail ? `${message} The server said: ${detail}.` : message, {
    hint: code === 'invalid_grant' ? 'Sign in again.' : 'Try again; if it keeps failing, sign out and in again.',
    cause: error,
  })
}
