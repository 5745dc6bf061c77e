import * as oauth from 'oauth4webapi'
import { TrayError } from '../../shared/tray-error'
import { metadataRequest, type DiscoveryOptions } from './metadata-request'

/** RFC 8414 §2: the authorization-server metadata fields MCP Tray uses (and any others). */
export interface AuthorizationServerMetadata {
  readonly issuer: string
  readonly authorization_endpoint?: string
  readonly token_endpoint?: string
  readonly registration_endpoint?: string
  readonly revocation_endpoint?: string
  readonly scopes_supported?: readonly string[]
  readonly code_challenge_methods_supported?: readonly string[]
  readonly token_endpoint_auth_methods_supported?: readonly string[]
  readonly grant_types_supported?: readonly string[]
  readonly authorization_response_iss_parameter_supported?: boolean
  readonly client_id_metadata_document_supported?: boolean
  readonly [key: string]: unknown
}

export interface DiscoveredServer {
  readonly metadata: AuthorizationServerMetadata
  /** `metadata`: a document found and checked; `legacy-defaults`: none found, 2025-03-26 defaults used. */
  readonly source: 'metadata' | 'legacy-defaults'
}

/**
 * RFC 8414 §3.1 and OpenID Connect Discovery §4 in the order MCP (AZ) asks: for an issuer with a
 * path, the OAuth path-inserted form, the OIDC path-inserted form, then the OIDC appended form;
 * without a path, the two root forms.
 */
export function authorizationServerMetadataUrls(issuer: URL): URL[] {
  const path = issuer.pathname.replace(/\/$/, '')
  if (!path) {
    return [
      new URL('/.well-known/oauth-authorization-server', issuer.origin),
      new URL('/.well-known/openid-configuration', issuer.origin),
    ]
  }
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, issuer.origin),
    new URL(`/.well-known/openid-configuration${path}`, issuer.origin),
    new URL(`${path}/.well-known/openid-configuration`, issuer.origin),
  ]
}

/**
 * RFC 8414 §3.2 and §3.3: processes one metadata response. `undefined` (try the next location)
 * when it is not a 200 JSON document or when its `issuer` differs from the one the URL was built
 * from: a document for another issuer is ignored, never trusted.
 */
export async function processAuthorizationServerMetadataResponse(
  expectedIssuer: URL,
  response: Response,
): Promise<AuthorizationServerMetadata | undefined> {
  if (response.status !== 200) return undefined
  try {
    return (await oauth.processDiscoveryResponse(expectedIssuer, response)) as AuthorizationServerMetadata
  } catch {
    return undefined
  }
}

/**
 * The 2025-03-26 fallback (conformance backcompat): an authorization server that publishes no
 * metadata is assumed to serve /authorize, /token and /register at its origin, with PKCE S256
 * (which that revision required).
 */
export function legacyDefaultMetadata(origin: string): AuthorizationServerMetadata {
  return {
    issuer: origin,
    authorization_endpoint: new URL('/authorize', origin).href,
    token_endpoint: new URL('/token', origin).href,
    registration_endpoint: new URL('/register', origin).href,
    code_challenge_methods_supported: ['S256'],
  }
}

/**
 * RFC 8414 §3: finds the authorization server's metadata. With `legacy` (no protected-resource
 * metadata, so the issuer is just the MCP server's origin) a missing document falls back to the
 * default endpoints; otherwise it is an error.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  options: DiscoveryOptions & { readonly legacy?: boolean } = {},
): Promise<DiscoveredServer> {
  const issuerUrl = new URL(issuer)
  for (const url of authorizationServerMetadataUrls(issuerUrl)) {
    const response = await metadataRequest(url, options)
    const metadata = response && (await processAuthorizationServerMetadataResponse(issuerUrl, response))
    if (metadata) return { metadata, source: 'metadata' }
  }
  if (options.legacy) return { metadata: legacyDefaultMetadata(issuerUrl.origin), source: 'legacy-defaults' }
  throw new TrayError('as_metadata_not_found', `The authorization server ${issuer} publishes no usable metadata.`, {
    hint: 'It may be down, or its metadata names a different issuer. Try again later or tell the server operator.',
  })
}

/**
 * MCP AZ (authorization code protection), RFC 7636 §4.2: PKCE with S256 is mandatory; a server
 * that does not advertise S256 is refused.
 */
export function requirePkceS256(metadata: AuthorizationServerMetadata): void {
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    throw new TrayError('pkce_s256_unsupported', `The authorization server ${metadata.issuer} does not advertise PKCE with S256.`, {
      hint: 'MCP requires PKCE S256 for sign-in; ask the server operator to enable it.',
    })
  }
}
