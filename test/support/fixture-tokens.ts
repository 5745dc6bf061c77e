import { createHash, randomBytes } from 'node:crypto'
import { completeSignIn } from '../fixtures/remote-server/sign-in'

export interface FixtureTokens {
  readonly access_token: string
  readonly refresh_token?: string
  readonly expires_in?: number
  readonly scope?: string
}

export interface ObtainedGrant {
  readonly tokens: FixtureTokens
  readonly clientId: string
  readonly tokenEndpoint: string
  refresh(refreshToken: string, resource?: string): Promise<Response>
}

/**
 * Gets tokens from the fixture's authorization server by hand (RFC 7591 registration, PKCE,
 * login and consent walked over HTTP, code exchange): for tests of the fixture itself that must
 * not depend on the code under test.
 */
export async function obtainTokens(issuer: string, options: { resource: string; scope?: string }): Promise<ObtainedGrant> {
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>
  const redirectUri = 'http://127.0.0.1:3334/oauth/callback'
  const registration = await fetch(metadata.registration_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      application_type: 'native',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  })
  const { client_id: clientId } = (await registration.json()) as { client_id: string }
  const verifier = randomBytes(32).toString('base64url')
  const authorizationUrl = new URL(metadata.authorization_endpoint!)
  authorizationUrl.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: options.scope ?? 'mcp:tools',
    state: 'fixture-state',
    resource: options.resource,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString()
  const redirect = await completeSignIn(authorizationUrl.href)
  const code = redirect.searchParams.get('code')
  if (!code) throw new Error(`no code in ${redirect.href}`)
  const tokenEndpoint = metadata.token_endpoint!
  const tokenResponse = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource: options.resource,
    }),
  })
  if (!tokenResponse.ok) throw new Error(`token exchange failed: ${tokenResponse.status} ${await tokenResponse.text()}`)
  const tokens = (await tokenResponse.json()) as FixtureTokens
  return {
    tokens,
    clientId,
    tokenEndpoint,
    refresh: (refreshToken, resource = options.resource) =>
      fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, resource }),
      }),
  }
}

/** POSTs one JSON-RPC message to a Streamable HTTP endpoint, as a bare client would. */
export function postMcp(
  url: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(message),
  })
}

export const initializeMessage = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
} as const
