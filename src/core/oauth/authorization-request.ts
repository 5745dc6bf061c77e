import * as client from 'openid-client'
import { assertBrowsable } from './browser-opener'
import type { PkcePair } from './pkce'
import type { ProtectedResourceMetadata } from './protected-resource'
import type { AuthorizationServerMetadata } from './server-metadata'
import type { BearerChallenge } from './www-authenticate'

/**
 * MCP AZ scope selection: the scope the person configured, else the challenge's `scope`, else all
 * of the protected resource's `scopes_supported`, else none. `previous` scopes are kept (step-up
 * asks for the union, MCP AZ scope challenge handling).
 */
export function selectScopes(input: {
  readonly configured?: string
  readonly challenge?: BearerChallenge
  readonly resource?: ProtectedResourceMetadata
  readonly previous?: readonly string[]
}): string[] {
  const split = (s: string | undefined): string[] => (s ?? '').split(/\s+/).filter(Boolean)
  const chosen = input.configured
    ? split(input.configured)
    : input.challenge?.scope
      ? split(input.challenge.scope)
      : [...(input.resource?.scopes_supported ?? [])]
  const extra = input.challenge?.error === 'insufficient_scope' ? split(input.challenge.scope) : []
  return [...new Set([...(input.previous ?? []), ...chosen, ...extra])]
}

/**
 * MCP AZ26: ask for a refresh token with `offline_access` only when the authorization server lists
 * it in `scopes_supported`; otherwise rely on the `refresh_token` grant type of the registration.
 */
export function withOfflineAccess(scopes: readonly string[], metadata: AuthorizationServerMetadata): string[] {
  return metadata.scopes_supported?.includes('offline_access') && !scopes.includes('offline_access')
    ? [...scopes, 'offline_access']
    : [...scopes]
}

export interface AuthorizationRequest {
  readonly redirectUri: string
  readonly state: string
  readonly pkce: PkcePair
  /** RFC 8707 §2: the PRM `resource` string exactly as published; absent for issuers that refuse it. */
  readonly resource: string | undefined
  readonly scopes: readonly string[]
  /** Parameters a known issuer needs besides the RFC's (Google's `access_type`, Auth0's `audience`). */
  readonly extra?: Readonly<Record<string, string>>
}

/**
 * RFC 6749 §4.1.1 with RFC 7636 §4.3 (S256 challenge, always), RFC 8707 §2 (`resource`) and the
 * `state` of §10.12. The URL is checked to be http(s) before anyone opens it.
 */
export function buildAuthorizationUrl(config: client.Configuration, request: AuthorizationRequest): URL {
  const url = client.buildAuthorizationUrl(config, {
    ...request.extra,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    state: request.state,
    code_challenge: request.pkce.challenge,
    code_challenge_method: request.pkce.method,
    ...(request.resource !== undefined ? { resource: request.resource } : {}),
    ...(request.scopes.length > 0 ? { scope: request.scopes.join(' ') } : {}),
    ...(request.scopes.includes('offline_access') ? { prompt: 'consent' } : {}),
  })
  return assertBrowsable(url.href)
}
