import { TrayError } from '../../shared/tray-error'
import { metadataRequest, type DiscoveryOptions } from './metadata-request'
import type { BearerChallenge } from './www-authenticate'

/** RFC 9728 §2: what a protected resource says about itself. */
export interface ProtectedResourceMetadata {
  readonly resource: string
  readonly authorization_servers?: readonly string[]
  readonly scopes_supported?: readonly string[]
  readonly [key: string]: unknown
}

/**
 * RFC 9728 §3.1 and §5 (MCP authorization, protected resource metadata discovery): the URLs to
 * try, in order: the challenge's `resource_metadata`, the path-inserted well-known URL for the
 * MCP endpoint's path, then the root well-known URL.
 */
export function protectedResourceMetadataUrls(serverUrl: URL, challenge?: BearerChallenge): URL[] {
  const urls: URL[] = []
  if (challenge?.resourceMetadata) {
    try {
      urls.push(new URL(challenge.resourceMetadata, serverUrl))
    } catch {
      // an unusable hint: fall back to the well-known locations
    }
  }
  const path = serverUrl.pathname.replace(/\/$/, '')
  if (path) urls.push(new URL(`/.well-known/oauth-protected-resource${path}`, serverUrl.origin))
  urls.push(new URL('/.well-known/oauth-protected-resource', serverUrl.origin))
  return urls.filter((url, i) => urls.findIndex((u) => u.href === url.href) === i)
}

/**
 * RFC 9728 §3.2: processes one metadata response. Not found (or not JSON) is `undefined` so the
 * caller tries the next location; a JSON document without a string `resource` is an error.
 */
export async function processProtectedResourceResponse(response: Response): Promise<ProtectedResourceMetadata | undefined> {
  if (response.status !== 200) return undefined
  let body: unknown
  try {
    body = await response.json()
  } catch {
    return undefined
  }
  if (typeof body !== 'object' || body === null || typeof (body as { resource?: unknown }).resource !== 'string') {
    throw new TrayError('resource_metadata_invalid', `The protected-resource metadata at ${response.url} has no "resource".`)
  }
  const servers = (body as { authorization_servers?: unknown }).authorization_servers
  if (servers !== undefined && (!Array.isArray(servers) || servers.some((s) => typeof s !== 'string'))) {
    throw new TrayError('resource_metadata_invalid', `The protected-resource metadata at ${response.url} lists authorization servers wrongly.`)
  }
  return body as ProtectedResourceMetadata
}

/**
 * RFC 9728 §3.3 (and MCP AZ26): the metadata's `resource` must identify the server we talk to,
 * either exactly or as a same-origin path prefix of it. Anything else aborts before sign-in.
 */
export function checkResourceMatch(metadata: ProtectedResourceMetadata, serverUrl: URL): void {
  let resource: URL
  try {
    resource = new URL(metadata.resource)
  } catch {
    resource = new URL('invalid:')
  }
  const prefix = resource.pathname.endsWith('/') ? resource.pathname : `${resource.pathname}/`
  const matches =
    resource.origin === serverUrl.origin &&
    (resource.pathname === serverUrl.pathname || serverUrl.pathname.startsWith(prefix))
  if (!matches) {
    throw new TrayError(
      'resource_mismatch',
      `The server at ${serverUrl.href} says its metadata is for "${metadata.resource}", a different resource.`,
      { hint: 'Check the server URL; signing in here could hand your token to another service, so MCP Tray stopped.' },
    )
  }
}

/**
 * RFC 9728 §3: fetches the protected-resource metadata from the first location that has it and
 * checks its `resource`. `undefined` means the server publishes none (a 2025-03-26 server).
 */
export async function discoverProtectedResource(
  serverUrl: URL,
  challenge: BearerChallenge | undefined,
  options: DiscoveryOptions = {},
): Promise<ProtectedResourceMetadata | undefined> {
  for (const url of protectedResourceMetadataUrls(serverUrl, challenge)) {
    const response = await metadataRequest(url, options)
    const metadata = response && (await processProtectedResourceResponse(response))
    if (metadata) {
      checkResourceMatch(metadata, serverUrl)
      return metadata
    }
  }
  return undefined
}
