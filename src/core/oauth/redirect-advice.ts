import type { ClientRegistration } from './registration'

/**
 * What to tell a person still waiting for the browser to come back. When the authorization server
 * refuses the redirect URI it shows its own error page and never redirects (RFC 6749 §4.1.2.1:
 * it must not, the URI being untrusted), so the sign-in cannot see the error: only the person can.
 */
export function redirectTroubleAdvice(input: {
  readonly serverName: string
  readonly redirectUri: string
  readonly issuer: string
  readonly registration: Pick<ClientRegistration, 'kind' | 'clientId'>
}): string {
  const { serverName, redirectUri, registration } = input
  const where = hostOf(input.issuer)
  const waiting = `Still waiting for the browser to come back to ${redirectUri}.`
  if (registration.kind === 'pre-registered') {
    return (
      `${waiting} If the browser shows an error about the redirect URI (such as redirect_uri_mismatch or "invalid redirect"), ` +
      `${where} does not accept that address for the client id ${registration.clientId}: add it to that client's redirect URIs there, ` +
      `or give MCP Tray the one that is registered with \`mcp-tray set ${serverName} --redirect-uri <uri>\` (for example http://localhost:3334/oauth/callback), then sign in again.`
    )
  }
  return (
    `${waiting} If the browser shows an error about the redirect URI, ${where} refused the address MCP Tray registered: ` +
    `try another with \`mcp-tray set ${serverName} --redirect-uri http://localhost:<port>/oauth/callback\`, or tell the server's operator.`
  )
}

function hostOf(issuer: string): string {
  try {
    return new URL(issuer).host
  } catch {
    return 'the authorization server'
  }
}
