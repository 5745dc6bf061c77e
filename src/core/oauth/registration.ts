import * as oauth from 'oauth4webapi'
import { TrayError } from '../../shared/tray-error'
import type { AuthorizationServerMetadata } from './server-metadata'

/** How MCP Tray is known to one authorization server. Stored in the vault per issuer. */
export interface ClientRegistration {
  readonly kind: 'pre-registered' | 'client-id-metadata-document' | 'dynamic'
  /** The issuer these credentials belong to; never used with another one. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret?: string
  readonly tokenEndpointAuthMethod: 'none' | 'client_secret_post' | 'client_secret_basic'
  readonly redirectUris: readonly string[]
}

/** What the person (or the app) configured for one server. */
export interface ConfiguredClient {
  readonly clientId?: string
  readonly clientSecret?: string
  /** An https URL serving MCP Tray's Client ID Metadata Document, when the app has one. */
  readonly clientMetadataUrl?: string
}

export type RegistrationPlan =
  | { readonly kind: 'pre-registered' | 'client-id-metadata-document'; readonly registration: Omit<ClientRegistration, 'redirectUris'> }
  | { readonly kind: 'dynamic'; readonly registrationEndpoint: string }

/**
 * MCP AZ, client registration approaches, in priority order: pre-registered credentials, then a
 * Client ID Metadata Document when the server advertises `client_id_metadata_document_supported`,
 * then RFC 7591 dynamic registration; else the person has to enter a client id.
 * Pre-registered and metadata-document clients pin their redirect URI (and so the callback port).
 */
export function planRegistration(metadata: AuthorizationServerMetadata, configured: ConfiguredClient): RegistrationPlan {
  if (configured.clientId) {
    return {
      kind: 'pre-registered',
      registration: {
        kind: 'pre-registered',
        issuer: metadata.issuer,
        clientId: configured.clientId,
        ...(configured.clientSecret ? { clientSecret: configured.clientSecret } : {}),
        tokenEndpointAuthMethod: chooseAuthMethod(metadata, configured.clientSecret !== undefined),
      },
    }
  }
  if (configured.clientMetadataUrl && metadata.client_id_metadata_document_supported === true) {
    return {
      kind: 'client-id-metadata-document',
      registration: {
        kind: 'client-id-metadata-document',
        issuer: metadata.issuer,
        clientId: configured.clientMetadataUrl,
        tokenEndpointAuthMethod: 'none',
      },
    }
  }
  if (metadata.registration_endpoint) return { kind: 'dynamic', registrationEndpoint: metadata.registration_endpoint }
  throw new TrayError('registration_unavailable', `The authorization server ${metadata.issuer} does not let apps register themselves.`, {
    hint: 'Ask its operator for a client id (and secret), then run `mcp-tray add <url> --client-id ID [--client-secret S]`.',
  })
}

/**
 * RFC 6749 §2.3 and RFC 8414 `token_endpoint_auth_methods_supported`: a client with a secret uses
 * `client_secret_basic` unless the server only lists `client_secret_post`; a public client `none`.
 */
export function chooseAuthMethod(metadata: AuthorizationServerMetadata, hasSecret: boolean): ClientRegistration['tokenEndpointAuthMethod'] {
  if (!hasSecret) return 'none'
  const supported = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic']
  if (supported.includes('client_secret_basic')) return 'client_secret_basic'
  if (supported.includes('client_secret_post')) return 'client_secret_post'
  return 'client_secret_basic'
}

/** RFC 7591 §2 client metadata for MCP Tray: a native app with a loopback redirect (AZ26). */
export function nativeClientMetadata(redirectUri: string): Record<string, unknown> {
  return {
    client_name: 'MCP Tray',
    application_type: 'native',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  }
}

/** RFC 7591 §3.1: the registration request. */
export function registrationRequest(
  metadata: AuthorizationServerMetadata,
  redirectUri: string,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<Response> {
  return oauth.dynamicClientRegistrationRequest(metadata as oauth.AuthorizationServer, nativeClientMetadata(redirectUri) as Partial<oauth.OmitSymbolProperties<oauth.Client>>, {
    [oauth.allowInsecureRequests]: isLoopbackHttp(metadata.registration_endpoint),
    ...(options.fetch ? { [oauth.customFetch]: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

/**
 * RFC 7591 §3.2: processes the registration response into a stored registration, in order:
 * status (201, or 200 from lenient servers), JSON, `client_id`. A missing
 * `client_secret_expires_at` (§3.2.1) is tolerated: some servers omit it and the secret still works.
 */
export async function processRegistrationResponse(
  metadata: AuthorizationServerMetadata,
  redirectUri: string,
  response: Response,
): Promise<ClientRegistration> {
  const refuse = (detail: string): TrayError =>
    new TrayError('registration_failed', `Registering MCP Tray with ${metadata.issuer} failed: ${detail}.`, {
      hint: 'The server refused dynamic registration; ask its operator for a client id and use --client-id.',
    })
  let client: Record<string, unknown>
  try {
    client = (await response.json()) as Record<string, unknown>
  } catch {
    throw refuse(`HTTP ${response.status} without a JSON body`)
  }
  if (response.status !== 201 && response.status !== 200) {
    throw refuse(typeof client.error === 'string' ? `${client.error}${typeof client.error_description === 'string' ? ` (${client.error_description})` : ''}` : `HTTP ${response.status}`)
  }
  if (typeof client !== 'object' || client === null || typeof client.client_id !== 'string' || !client.client_id) throw refuse('no client_id in the answer')
  const secret = typeof client.client_secret === 'string' && client.client_secret ? client.client_secret : undefined
  const method = client.token_endpoint_auth_method
  return {
    kind: 'dynamic',
    issuer: metadata.issuer,
    clientId: client.client_id,
    ...(secret ? { clientSecret: secret } : {}),
    tokenEndpointAuthMethod:
      method === 'client_secret_post' || method === 'client_secret_basic' ? method : secret ? chooseAuthMethod(metadata, true) : 'none',
    redirectUris: Array.isArray(client.redirect_uris) ? (client.redirect_uris as string[]) : [redirectUri],
  }
}

/** RFC 8252 §8.3 allows http only for loopback; everything else must be https. */
export function isLoopbackHttp(url: string | undefined): boolean {
  if (!url) return false
  const parsed = new URL(url)
  return parsed.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname)
}
