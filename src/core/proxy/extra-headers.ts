import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { HubConnection } from '../hub/hub-client'
import type { HeadersReply } from '../hub/header-handlers'
import { TrayError } from '../../shared/tray-error'

/**
 * A server's configured headers (`mcp-tray add --header`, or imported from `mcp-remote --header`)
 * from the hub, which alone reads them from the vault; the proxy holds them in memory only.
 */
export async function headersFromHub(server: string, connectOrStart: () => Promise<HubConnection>): Promise<Record<string, string>> {
  const hub = await connectOrStart()
  let headers: Record<string, string>
  try {
    headers = { ...(await hub.call<HeadersReply>('headers', { server })).headers }
  } finally {
    hub.close()
  }
  for (const [name, value] of Object.entries(headers)) assertHeader(name, value, server)
  return headers
}

/**
 * Refuses a header HTTP cannot carry (a control character, say, from an expanded variable), in
 * words that name the header and never its value, which is often a credential.
 */
export function assertHeader(name: string, value: string, server: string): void {
  try {
    new Headers([[name, value]])
  } catch {
    throw new TrayError('header_invalid', `The header ${/^[\w-]{1,100}$/.test(name) ? name : '(unnamed)'} set for ${server} is not a valid HTTP header.`, {
      hint: `Set it again with \`mcp-tray add <url> --name ${server} --header "Name: value"\`.`,
    })
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
