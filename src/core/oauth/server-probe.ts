import { TrayError } from '../../shared/tray-error'
import { parseBearerChallenge, type BearerChallenge } from './www-authenticate'

export type ProbeResult = { readonly kind: 'open' } | { readonly kind: 'challenge'; readonly challenge: BearerChallenge }

/**
 * MCP AZ, authorization flow step 1: an unauthenticated `initialize` POST, whose 401 carries the
 * `WWW-Authenticate` challenge (RFC 9728 §5.1).
 */
export function probeRequest(
  serverUrl: URL,
  headers: Record<string, string>,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<Response> {
  return (options.fetch ?? fetch)(serverUrl, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-tray-probe', version: '0' } },
    }),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

/** RFC 6750 §3: a 401 (or 403) with a Bearer challenge asks for sign-in; a 2xx needs none. */
export async function processProbeResponse(response: Response): Promise<ProbeResult> {
  await response.body?.cancel().catch(() => undefined)
  const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))
  if (response.status === 401 || (response.status === 403 && challenge)) return { kind: 'challenge', challenge: challenge ?? {} }
  if (response.ok) return { kind: 'open' }
  // Legacy servers that answer 400/404/405 to POST may still protect their metadata-less endpoints.
  if ([400, 404, 405].includes(response.status)) return { kind: 'challenge', challenge: {} }
  throw new TrayError('server_unreachable', `The server answered HTTP ${response.status} before sign-in.`, {
    hint: 'Check the URL and that the server is up.',
  })
}
