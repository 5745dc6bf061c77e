import type { Session } from 'electron'

/**
 * The dashboard's Content Security Policy: our own scripts, styles and API only, nothing inline,
 * no plugins, no forms or `<base>` elsewhere, never framed (the built page's meta tag says the
 * same; the header adds `frame-ancestors`, which a meta tag cannot carry).
 */
export const dashboardContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Permissions our pages may use: writing to the clipboard (the copy buttons). Nothing else, for any page. */
const allowedPermissions = new Set<string>(['clipboard-sanitized-write'])

export interface SessionHardening {
  /** Whether `url` is one of our pages. */
  readonly isOwnUrl: (url: string) => boolean
  /** Sent with our pages when given (left out for a development server, whose tooling injects inline scripts). */
  readonly contentSecurityPolicy?: string
}

/**
 * Locks the dashboard's session down: every permission refused but the clipboard write of our own
 * pages (Electron grants them all by default), and our Content Security Policy on their responses.
 */
export function hardenDashboardSession(session: Session, hardening: SessionHardening): void {
  const allowed = (permission: string, url: string | undefined): boolean => allowedPermissions.has(permission) && url !== undefined && hardening.isOwnUrl(url)
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => callback(allowed(permission, details.requestingUrl)))
  session.setPermissionCheckHandler((webContents, permission, _origin, details) => allowed(permission, details.requestingUrl ?? webContents?.getURL()))
  const policy = hardening.contentSecurityPolicy
  if (policy === undefined) return
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!hardening.isOwnUrl(details.url)) return callback({})
    const headers = Object.fromEntries(Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'))
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } })
  })
}
