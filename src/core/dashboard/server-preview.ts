import type { ServerPreview } from '../../shared/server-view'
import { describeError, TrayError } from '../../shared/tray-error'
import { discoverProtectedResource } from '../oauth/protected-resource'
import { probeRequest } from '../oauth/server-probe'
import { discoverAuthorizationServer } from '../oauth/server-metadata'
import { planRegistration } from '../oauth/registration'
import { parseBearerChallenge, type BearerChallenge } from '../oauth/www-authenticate'
import type { ServerRegistry } from '../registry/server-registry'

export interface PreviewOptions {
  readonly registry: Pick<ServerRegistry, 'findByUrl' | 'suggestName'>
  readonly clientMetadataUrl?: string
  readonly fetch?: typeof fetch
  /** Bound on the whole preview (default 8 s): a page waits for it while the person types. */
  readonly timeoutMs?: number
}

/** Paths people's MCP endpoints most often live at, tried when the given URL is not one. */
const usualPaths = ['/mcp', '/sse', '/']

type EndpointAnswer =
  | { readonly kind: 'mcp'; readonly transport: 'streamable-http' | 'sse' }
  | { readonly kind: 'challenge'; readonly challenge: BearerChallenge }
  | { readonly kind: 'other'; readonly status: number; readonly contentType: string }

/**
 * What a URL turns out to be before it is saved, for the Add server view: an unauthenticated
 * `initialize` (MCP AZ step 1), then RFC 9728 and RFC 8414 discovery when it asks for sign-in, and
 * how MCP Tray would register. When the URL is not an MCP endpoint, the usual paths are tried and
 * the one that answers is offered. Nothing is saved; every request is bounded.
 */
export async function previewServer(url: string, options: PreviewOptions): Promise<ServerPreview> {
  const started = Date.now()
  const serverUrl = parseUrl(url)
  const signal = AbortSignal.timeout(options.timeoutMs ?? 8_000)
  const http = { ...(options.fetch ? { fetch: options.fetch } : {}), signal }
  const existing = options.registry.findByUrl(serverUrl.href)?.name
  const base = {
    url: serverUrl.href,
    suggestedName: existing ?? options.registry.suggestName(serverUrl.href),
    ...(existing === undefined ? {} : { existing }),
  }
  const done = (rest: Omit<ServerPreview, 'url' | 'suggestedName' | 'durationMs'>): ServerPreview => ({ ...base, ...rest, durationMs: Date.now() - started })

  let answer: EndpointAnswer
  try {
    answer = await askEndpoint(serverUrl, http)
  } catch (error) {
    return done({ reachable: false, mcp: 'unknown', signInRequired: false, problem: unreachable(serverUrl, error, signal) })
  }
  if (answer.kind === 'other') {
    const suggestedUrl = await findEndpoint(serverUrl, http)
    const what = answer.contentType.includes('text/html') ? 'a web page' : `HTTP ${answer.status}`
    return done({
      reachable: true,
      mcp: 'not-found',
      signInRequired: false,
      problem: suggestedUrl
        ? `This address answers with ${what}, not as an MCP endpoint; ${suggestedUrl} does.`
        : `This address answers with ${what}, not as an MCP endpoint. Check the server's documentation for its MCP URL (often ending in /mcp).`,
      ...(suggestedUrl ? { suggestedUrl } : {}),
    })
  }
  if (answer.kind === 'mcp') return done({ reachable: true, mcp: 'found', transport: answer.transport, signInRequired: false })

  try {
    const resource = await discoverProtectedResource(serverUrl, answer.challenge, http)
    const issuer = resource?.authorization_servers?.[0] ?? serverUrl.origin
    const { metadata } = await discoverAuthorizationServer(issuer, { ...http, legacy: resource === undefined })
    const scopes = answer.challenge.scope?.split(' ').filter(Boolean) ?? resource?.scopes_supported
    let registration: ServerPreview['registration']
    try {
      const plan = planRegistration(metadata, options.clientMetadataUrl ? { clientMetadataUrl: options.clientMetadataUrl } : {})
      registration = plan.kind === 'client-id-metadata-document' ? 'client-metadata-document' : plan.kind
    } catch {
      registration = 'client-id-needed'
    }
    return done({
      reachable: true,
      mcp: 'found',
      signInRequired: true,
      authorizationServer: metadata.issuer,
      registration,
      ...(scopes && scopes.length > 0 ? { scopes } : {}),
      ...(registration === 'client-id-needed'
        ? { problem: `${metadata.issuer} does not let apps register themselves: ask its operator for a client id, and enter it under Advanced.` }
        : {}),
    })
  } catch (error) {
    return done({ reachable: true, mcp: 'found', signInRequired: true, problem: describeError(error) })
  }
}

async function askEndpoint(serverUrl: URL, http: { fetch?: typeof fetch; signal: AbortSignal }): Promise<EndpointAnswer> {
  const response = await probeRequest(serverUrl, {}, http)
  const contentType = response.headers.get('content-type') ?? ''
  const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))
  await response.body?.cancel().catch(() => undefined)
  if (response.status === 401 || (response.status === 403 && challenge)) return { kind: 'challenge', challenge: challenge ?? {} }
  if (response.ok && (contentType.includes('application/json') || contentType.includes('text/event-stream'))) {
    return { kind: 'mcp', transport: 'streamable-http' }
  }
  // A 2024-11-05 server answers POST with 404/405 and offers its event stream on GET.
  if (response.status === 404 || response.status === 405 || response.status === 400) {
    if (await offersLegacyStream(serverUrl, http)) return { kind: 'mcp', transport: 'sse' }
  }
  return { kind: 'other', status: response.status, contentType }
}

async function offersLegacyStream(serverUrl: URL, http: { fetch?: typeof fetch; signal: AbortSignal }): Promise<boolean> {
  try {
    const response = await (http.fetch ?? fetch)(serverUrl, { headers: { accept: 'text/event-stream' }, signal: http.signal })
    const ok = response.ok && (response.headers.get('content-type') ?? '').includes('text/event-stream')
    await response.body?.cancel().catch(() => undefined)
    return ok
  } catch {
    return false
  }
}

async function findEndpoint(serverUrl: URL, http: { fetch?: typeof fetch; signal: AbortSignal }): Promise<string | undefined> {
  for (const path of usualPaths) {
    const candidate = new URL(path, serverUrl.origin)
    if (candidate.href === serverUrl.href) continue
    try {
      const answer = await askEndpoint(candidate, http)
      if (answer.kind !== 'other') return candidate.href
    } catch {
      return undefined
    }
  }
  return undefined
}

function parseUrl(url: string): URL {
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    throw new TrayError('server_url_invalid', `"${url}" is not a URL.`, { hint: 'Give the full https:// address of the MCP endpoint.' })
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TrayError('server_url_invalid', `"${url}" is not an http or https address.`, { hint: 'Give the full https:// address of the MCP endpoint.' })
  }
  return parsed
}

function unreachable(serverUrl: URL, error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return `${serverUrl.host} did not answer in time. Check the address and that the server is up.`
  const code = (error as { cause?: { code?: string } }).cause?.code
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The name ${serverUrl.hostname} cannot be found. Check the address for typos.`
  if (code === 'ECONNREFUSED') return `Nothing answers at ${serverUrl.host}. Check the address and that the server is up.`
  return `${serverUrl.host} cannot be reached (${describeError(error)}). Check the address and your network.`
}
