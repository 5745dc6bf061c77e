import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { HubConnection } from '../hub/hub-client'
import type { HeadersReply } from '../hub/header-handlers'

/**
 * A server's configured headers (`mcp-tray add --header`, or imported from `mcp-remote --header`)
 * from the hub, which alone reads them from the vault; the proxy holds them in memory only.
 */
export async function headersFromHub(server: string, connectOrStart: () => Promise<HubConnection>): Promise<Record<string, string>> {
  const hub = await connectOrStart()
  try {
    return { ...(await hub.call<HeadersReply>('headers', { server })).headers }
  } finally {
    hub.close()
  }
}

/**
 * Sends the configured headers with every request, under those the request already carries: a
 * bearer token from sign-in wins over a configured `Authorization`, the session and protocol
 * headers over anything configured.
 */
export function withExtraHeaders(fetch: FetchLike, extra: Readonly<Record<string, string>>): FetchLike {
  const entries = Object.entries(extra)
  if (entries.length === 0) return fetch
  return (url, init = {}) => {
    const headers = new Headers(init.headers)
    for (const [name, value] of entries) if (!headers.has(name)) headers.set(name, value)
    return fetch(url, { ...init, headers })
  }
}
