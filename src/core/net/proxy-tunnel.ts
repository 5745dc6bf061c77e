import { request } from 'node:http'
import type { Socket } from 'node:net'
import { maskProxy } from './proxy-rules'

/**
 * A failure at the proxy rather than at the server: `code` tells which (it is not a socket error
 * code, so code that reads ECONNREFUSED as "the server is down" does not blame the server). The
 * message holds what happened and what to do; `summary` and `hint` are its two parts.
 */
export class ProxyError extends Error {
  override readonly name = 'ProxyError'
  readonly code: 'PROXY_UNREACHABLE' | 'PROXY_AUTH_REQUIRED' | 'PROXY_REFUSED'
  readonly summary: string
  readonly hint: string

  constructor(code: ProxyError['code'], summary: string, hint: string, cause?: unknown) {
    super(`${summary} ${hint}`, cause === undefined ? undefined : { cause })
    this.code = code
    this.summary = summary
    this.hint = hint
  }
}

/**
 * RFC 9110 §9.3.6: asks the proxy, over `socket` (already connected to it, and secured when it is
 * an https proxy), for a tunnel to `host:port`, authenticating with the user and password of the
 * proxy URL (Basic, RFC 7617) when it has them. Resolves to the tunnelled socket.
 */
export function openTunnel(socket: Socket, proxy: URL, target: { readonly hostname: string; readonly port: number }): Promise<Socket> {
  const authority = `${target.hostname.includes(':') && !target.hostname.startsWith('[') ? `[${target.hostname}]` : target.hostname}:${target.port}`
  const credentials = proxy.username
    ? Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')
    : undefined
  return new Promise<Socket>((resolve, reject) => {
    const connect = request({
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(credentials ? { 'proxy-authorization': `Basic ${credentials}` } : {}) },
      createConnection: () => socket,
    })
    const refuse = (status: number | undefined): void => {
      socket.destroy()
      reject(tunnelRefusal(proxy, authority, status, credentials !== undefined))
    }
    connect.once('connect', (response, tunnel, head) => {
      if (response.statusCode !== 200) return refuse(response.statusCode)
      if (head.length > 0) tunnel.unshift(head)
      resolve(tunnel)
    })
    connect.once('response', (response) => {
      response.resume()
      refuse(response.statusCode)
    })
    connect.once('error', (error: Error & { code?: string }) => {
      reject(new ProxyError('PROXY_UNREACHABLE', `The proxy ${maskProxy(proxy)} closed the connection before opening a tunnel to ${authority} (${error.code ?? error.message}).`, proxyHint, error))
    })
    connect.end()
  })
}

const proxyHint = 'Check the proxy address (HTTPS_PROXY, HTTP_PROXY or MCP Tray’s proxy setting) and that the proxy is running; list hosts to reach directly in NO_PROXY.'

/** A proxy that cannot be reached at all, in the same words as the other proxy failures. */
export function proxyUnreachable(proxy: URL, error: Error & { code?: string }): ProxyError {
  return new ProxyError('PROXY_UNREACHABLE', `Could not reach the proxy ${maskProxy(proxy)} (${error.code ?? error.message}).`, proxyHint, error)
}

function tunnelRefusal(proxy: URL, authority: string, status: number | undefined, sentCredentials: boolean): ProxyError {
  const shown = maskProxy(proxy)
  if (status === 407) {
    return new ProxyError(
      'PROXY_AUTH_REQUIRED',
      sentCredentials ? `The proxy ${shown} refused the user name and password in its URL (HTTP 407).` : `The proxy ${shown} asks for a user name and password (HTTP 407).`,
      'Put them in the proxy URL, as http://user:password@host:port, in HTTPS_PROXY or MCP Tray’s proxy setting (characters such as @ and : percent-encoded).',
    )
  }
  return new ProxyError(
    'PROXY_REFUSED',
    `The proxy ${shown} refused to open a connection to ${authority}${status === undefined ? '' : ` (HTTP ${status})`}.`,
    `Ask your network administrator whether ${authority} may be reached through that proxy; if it should be reached directly, list it in NO_PROXY.`,
  )
}
