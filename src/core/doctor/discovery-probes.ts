import { TrayError } from '../../shared/tray-error'
import { metadataRequest } from '../oauth/metadata-request'
import { checkResourceMatch, processProtectedResourceResponse, protectedResourceMetadataUrls } from '../oauth/protected-resource'
import { authorizationServerMetadataUrls, legacyDefaultMetadata, type AuthorizationServerMetadata } from '../oauth/server-metadata'
import type { DoctorContext, Probe, ProbeOutcome } from './doctor-context'

/** The discovery probes run when the endpoint asks for sign-in. */
const needsSignIn = (context: DoctorContext): boolean => context.findings.access === 'challenge'

function http(context: DoctorContext, signal: AbortSignal): { fetch: typeof fetch; signal: AbortSignal } {
  return { fetch: context.fetch, signal }
}

/**
 * RFC 9728 §3 (MCP AZ, protected resource metadata discovery): the metadata is reachable at the
 * challenge's `resource_metadata` or a well-known location, and its `resource` is this server.
 */
export const protectedResourceProbe: Probe = {
  id: 'protected-resource',
  title: 'Find the protected-resource metadata (RFC 9728)',
  needsReach: true,
  applies: needsSignIn,
  bound: (context) => context.bounds.httpMs,
  async run(context, signal) {
    const { findings } = context
    const endpoint = findings.endpoint ?? context.url
    const evidence: string[] = []
    for (const url of protectedResourceMetadataUrls(endpoint, findings.challenge)) {
      const response = await metadataRequest(url, http(context, signal))
      if (!response) {
        evidence.push(`GET ${url.href} → no answer`)
        continue
      }
      let metadata
      try {
        metadata = await processProtectedResourceResponse(response)
      } catch (error) {
        evidence.push(`GET ${url.href} → HTTP 200, ${error instanceof TrayError ? error.message : 'unusable'}`)
        continue
      }
      evidence.push(`GET ${url.href} → HTTP ${response.status}${metadata ? '' : ' (no metadata)'}`)
      if (!metadata) continue
      evidence.push(`resource: ${metadata.resource}`, `authorization_servers: ${metadata.authorization_servers?.join(', ') || '(none)'}`)
      if (metadata.scopes_supported?.length) evidence.push(`scopes_supported: ${metadata.scopes_supported.join(' ')}`)
      try {
        checkResourceMatch(metadata, endpoint)
      } catch {
        return {
          status: 'fail',
          summary: `The metadata is for "${metadata.resource}", not for ${endpoint.href}.`,
          evidence,
          diagnosis: 'resource-mismatch',
          fix: { text: 'Check the server URL. If it is right, the server’s metadata is wrong: tell its operator (signing in could hand the token to another service, so clients stop here).' },
        }
      }
      findings.resourceMetadata = metadata
      const issuer = metadata.authorization_servers?.[0]
      if (!issuer) {
        return { status: 'fail', summary: 'The metadata names no authorization server.', evidence, diagnosis: 'no-authorization-server', fix: { text: 'Tell the server’s operator: its protected-resource metadata lacks authorization_servers.' } }
      }
      findings.issuer = issuer
      const hinted = findings.challenge?.resourceMetadata !== undefined
      return { status: 'pass', summary: `Found${hinted ? ' where the challenge points' : ' at the well-known location'}; the authorization server is ${issuer}.`, evidence }
    }
    if (findings.challengeUsable === false) {
      return {
        status: 'fail',
        summary: 'The server answers 401 without a challenge and publishes no protected-resource metadata: clients cannot find its authorization server.',
        evidence,
        diagnosis: 'no-www-authenticate',
        fix: { text: 'Tell the server’s operator: answer 401 with `WWW-Authenticate: Bearer resource_metadata="…"` and serve the metadata (RFC 9728), as MCP authorization requires.' },
      }
    }
    // A 2025-03-26 server: the MCP server's origin is taken as the authorization server.
    findings.issuer = endpoint.origin
    return {
      status: 'warn',
      summary: `None published; like a 2025-03-26 server, its origin ${endpoint.origin} is taken as the authorization server.`,
      evidence,
      diagnosis: 'no-resource-metadata',
      fix: { text: 'Works with clients that support the 2025-03-26 fallback; newer clients need RFC 9728 metadata: tell the server’s operator.' },
    }
  },
}

/**
 * RFC 8414 §3 in the MCP AZ order, with the §3.3 issuer check: which URL has the authorization
 * server's metadata, whether it names the issuer it was fetched for, and whether it offers S256.
 */
export const authorizationServerProbe: Probe = {
  id: 'authorization-server',
  title: 'Find the authorization server’s metadata (RFC 8414)',
  needsReach: true,
  applies: (context) => needsSignIn(context) && context.findings.issuer !== undefined,
  bound: (context) => context.bounds.httpMs,
  async run(context, signal) {
    const { findings } = context
    const issuer = findings.issuer as string
    let issuerUrl: URL
    try {
      issuerUrl = new URL(issuer)
    } catch {
      return { status: 'fail', summary: `The authorization server "${issuer}" is not a URL.`, diagnosis: 'as-metadata-missing', fix: { text: 'Tell the server’s operator: its metadata names an invalid authorization server.' } }
    }
    const evidence: string[] = []
    let mismatched: string | undefined
    let metadata: AuthorizationServerMetadata | undefined
    let foundAt: URL | undefined
    for (const url of authorizationServerMetadataUrls(issuerUrl)) {
      const response = await metadataRequest(url, http(context, signal))
      if (!response) {
        evidence.push(`GET ${url.href} → no answer`)
        continue
      }
      const body = response.status === 200 ? await response.json().catch(() => undefined) : (await response.body?.cancel().catch(() => undefined), undefined)
      const named = typeof body === 'object' && body !== null ? (body as { issuer?: unknown }).issuer : undefined
      evidence.push(`GET ${url.href} → HTTP ${response.status}${typeof named === 'string' ? `, issuer ${named}` : ''}`)
      if (typeof named !== 'string') continue
      // RFC 8414 §3.3: the issuer must be identical to the one the URL was built from.
      if (named !== issuer && named !== issuerUrl.href) {
        mismatched = named
        continue
      }
      metadata = body as AuthorizationServerMetadata
      foundAt = url
      break
    }
    if (!metadata) {
      if (mismatched) {
        return {
          status: 'fail',
          summary: `The metadata found names the issuer "${mismatched}", not "${issuer}": clients must ignore it.`,
          evidence,
          diagnosis: 'issuer-mismatch',
          fix: { text: 'Tell the server’s operator: the protected-resource metadata must list the issuer exactly as the authorization server names itself (RFC 8414 §3.3).' },
        }
      }
      if (!findings.resourceMetadata) {
        findings.authorizationServer = legacyDefaultMetadata(issuerUrl.origin)
        return {
          status: 'warn',
          summary: `No metadata; clients fall back to ${issuerUrl.origin}/authorize, /token and /register (2025-03-26).`,
          evidence,
          diagnosis: 'as-metadata-missing',
          fix: { text: 'Works only if those default endpoints exist; tell the server’s operator to publish RFC 8414 metadata.' },
        }
      }
      findings.blocked = 'the authorization server publishes no metadata'
      return {
        status: 'fail',
        summary: `The authorization server ${issuer} publishes no metadata at any of the locations MCP clients try.`,
        evidence,
        diagnosis: 'as-metadata-missing',
        fix: { text: 'It may be down, or the metadata lives elsewhere: tell the server’s operator.' },
      }
    }
    findings.authorizationServer = metadata
    evidence.push(
      `authorization_endpoint: ${metadata.authorization_endpoint ?? '(none)'}`,
      `token_endpoint: ${metadata.token_endpoint ?? '(none)'}`,
      `code_challenge_methods_supported: ${metadata.code_challenge_methods_supported?.join(', ') ?? '(none)'}`,
    )
    if (!metadata.code_challenge_methods_supported?.includes('S256')) {
      return {
        status: 'fail',
        summary: 'The authorization server does not advertise PKCE with S256, which MCP requires: clients refuse to sign in.',
        evidence,
        diagnosis: 'no-pkce-s256',
        fix: { text: 'Tell the server’s operator: advertise code_challenge_methods_supported with S256 (MCP authorization, RFC 7636).' },
      }
    }
    return { status: 'pass', summary: `Found at ${foundAt?.href}; issuer matches, PKCE S256 offered.`, evidence }
  },
}

/** What a refused RFC 7591 registration said, in the doctor's terms. */
export function registrationRefusal(status: number, body: unknown, redirectUri: string): ProbeOutcome {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown; error_description?: unknown }) : {}
  const said = typeof error.error === 'string' ? `${error.error}${typeof error.error_description === 'string' ? `: ${error.error_description}` : ''}` : `HTTP ${status}`
  const evidence = [`POST registration_endpoint with redirect_uris [${redirectUri}] → HTTP ${status}`, `said: ${said}`]
  if (error.error === 'invalid_redirect_uri') return redirectRejected(redirectUri, evidence, 'the registration')
  return {
    status: 'fail',
    summary: `The authorization server refused dynamic registration (${said}).`,
    evidence,
    diagnosis: 'registration-refused',
    fix: {
      text:
        status === 401 || status === 403
          ? 'It only registers clients its operator approves: ask the operator for a client id, then add the server with `--client-id`.'
          : 'Ask the server’s operator for a client id (then add the server with `--client-id`), or tell them what it said.',
    },
  }
}

/** The loopback redirect hosts MCP Tray can send, and the one to suggest instead of `sent`. */
export function alternateRedirectHost(sent: string): '127.0.0.1' | 'localhost' | '[::1]' {
  const host = new URL(sent).hostname
  return host === 'localhost' ? '127.0.0.1' : 'localhost'
}

/** The words for a redirect URI the authorization server would not take. */
export function redirectRejected(sent: string, evidence: string[], where: string, accepted?: string): ProbeOutcome {
  const suggestion = accepted ? new URL(accepted).hostname : alternateRedirectHost(sent)
  const host = (suggestion === '[::1]' ? '[::1]' : suggestion) as '127.0.0.1' | 'localhost' | '[::1]'
  return {
    status: 'fail',
    summary: `The authorization server did not accept the redirect URI ${sent} in ${where}${accepted ? `; it accepts ${accepted}` : ''}.`,
    evidence,
    diagnosis: 'redirect-uri-rejected',
    fix: {
      text: accepted
        ? `Switch the sign-in’s redirect host to ${host}.`
        : `The server may expect the redirect on ${host} instead of ${new URL(sent).hostname} (or another port or path registered with it): try switching the redirect host, or ask its operator which redirect URIs the client allows.`,
      action: { kind: 'set-redirect-host', host },
    },
  }
}
