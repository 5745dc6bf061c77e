import type { RedirectHost, RedirectSettings } from '../../shared/server-view'
import { TrayError } from '../../shared/tray-error'

export const defaultRedirectPath = '/oauth/callback'
const hosts: readonly RedirectHost[] = ['127.0.0.1', 'localhost', '[::1]']

/**
 * Reads a loopback redirect URI as a person types it (`--redirect-uri`, the Settings view):
 * `http://localhost:3334/oauth/callback`, `http://127.0.0.1/cb` (no port: the app's callback
 * port), `http://[::1]:8080/` (the path as written). RFC 8252 §7.3: http, a loopback host, no query or fragment.
 */
export function parseRedirectUri(text: string): RedirectSettings {
  const refuse = (why: string): TrayError =>
    new TrayError('redirect_uri_invalid', `"${text}" cannot be the sign-in redirect URI: ${why}.`, {
      hint: 'Give the address registered with the authorization server, e.g. http://localhost:3334/oauth/callback (the host 127.0.0.1, localhost or [::1]).',
    })
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw refuse('it is not a URL')
  }
  if (url.protocol !== 'http:') throw refuse('a loopback redirect URI uses http (RFC 8252 §7.3)')
  const host = hosts.find((h) => h === url.hostname)
  if (!host) throw refuse('MCP Tray receives the redirect on this computer, so the host must be 127.0.0.1, localhost or [::1]')
  if (url.username || url.password) throw refuse('it has a user name or password')
  if (url.search || url.hash || text.includes('?') || text.includes('#')) throw refuse('it has a query or a fragment')
  // URL drops a written :80 (http's default), which a registered redirect URI may well name.
  const port = url.port ? Number(url.port) : /^http:\/\/(\[[^\]]*\]|[^/:]+):80(\/|$)/i.test(text.trim()) ? 80 : undefined
  const path = url.pathname
  return { host, ...(port !== undefined ? { port } : {}), ...(path !== defaultRedirectPath ? { path } : {}) }
}

/** The redirect URI the settings give, with the app's callback port where they name none. */
export function redirectUriOf(settings: RedirectSettings | undefined, callbackPort: number): string {
  const port = settings?.port || callbackPort
  return `http://${settings?.host ?? '127.0.0.1'}:${port}${settings?.path ?? defaultRedirectPath}`
}

/** Whether the settings fix the port (a pre-registered redirect URI): then no other port may be used. */
export function pinsPort(settings: RedirectSettings | undefined): boolean {
  return (settings?.port ?? 0) > 0
}
