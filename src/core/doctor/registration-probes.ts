import * as client from 'openid-client'
import { buildAuthorizationUrl, selectScopes, withOfflineAccess } from '../oauth/authorization-request'
import { createPkcePair } from '../oauth/pkce'
import { registrationRequest } from '../oauth/registration'
import type { AuthorizationServerMetadata } from '../oauth/server-metadata'
import { clientConfiguration } from '../oauth/tokens'
import type { DoctorContext, Probe, ProbeOutcome } from './doctor-context'
import { redirectRejected, registrationRefusal } from './discovery-probes'
import { readText } from './mcp-exchange'

const loopbackHosts = ['127.0.0.1', 'localhost', '[::1]'] as const

/** `uri` with its host replaced by each other loopback form. */
function otherRedirectForms(uri: string): string[] {
  const sent = new URL(uri)
  return loopbackHosts
    .filter((host) => host !== sent.hostname)
    .map((host) => {
      const other = new URL(uri)
      other.hostname = host
      return other.href
    })
}

async function register(context: DoctorContext, metadata: AuthorizationServerMetadata, redirectUri: string, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
  const response = await registrationRequest(metadata, redirectUri, { fetch: context.fetch, signal })
  const text = await readText(response)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return { status: response.status, body }
}

function clientIdOf(body: unknown): string | undefined {
  const id = typeof body === 'object' && body !== null ? (body as { client_id?: unknown }).client_id : undefined
  return typeof id === 'string' && id ? id : undefined
}

/**
 * MCP AZ client registration approaches: a pre-registered client id, a Client ID Metadata
 * Document, or RFC 7591 dynamic registration, which the doctor tries as a sign-in would (with the
 * redirect URI a sign-in sends) so that a refusal shows before anyone opens a browser.
 */
export const registrationProbe: Probe = {
  id: 'registration',
  title: 'Check how MCP Tray can register with the authorization server',
  needsReach: true,
  applies: (context) => context.findings.access === 'challenge' && context.findings.authorizationServer !== undefined,
  bound: (context) => context.bounds.httpMs * 2,
  async run(context, signal) {
    const { findings, input } = context
    const metadata = findings.authorizationServer as AuthorizationServerMetadata
    const ways = [
      ...(metadata.registration_endpoint ? [`dynamic registration at ${metadata.registration_endpoint}`] : []),
      ...(metadata.client_id_metadata_document_supported === true ? ['client id metadata documents'] : []),
    ]
    const evidence = [`the authorization server offers: ${ways.join(', ') || 'no way for apps to register themselves'}`]
    if (input.clientId) {
      findings.clientId = input.clientId
      findings.clientKind = 'configured'
      return { status: 'pass', summary: `Uses the client id configured for this server (${input.clientId}).`, evidence }
    }
    const stored = await context.deps.storedClient?.().catch(() => undefined)
    if (stored) {
      if (stored.issuer === metadata.issuer) {
        findings.clientId = stored.clientId
        findings.clientKind = 'stored'
        return { status: 'pass', summary: `MCP Tray is registered with ${metadata.issuer} (client id ${stored.clientId}).`, evidence }
      }
      evidence.push(`MCP Tray’s registration is with ${stored.issuer}, not ${metadata.issuer}: the next sign-in registers anew`)
    }
    if (metadata.registration_endpoint && input.tryRegistration !== false) {
      const sent = context.redirectUri
      const first = await register(context, metadata, sent, signal)
      const id = clientIdOf(first.body)
      if ((first.status === 201 || first.status === 200) && id) {
        findings.clientId = id
        findings.clientKind = 'registered'
        return { status: 'pass', summary: `Dynamic registration works (redirect URI ${sent}).`, evidence: [...evidence, `POST ${metadata.registration_endpoint} → HTTP ${first.status}, a client id`] }
      }
      const refused = registrationRefusal(first.status, first.body, sent)
      if (refused.diagnosis !== 'redirect-uri-rejected') return { ...refused, evidence: [...evidence, ...(refused.evidence ?? [])] }
      for (const other of otherRedirectForms(sent)) {
        const retry = await register(context, metadata, other, signal)
        if ((retry.status === 201 || retry.status === 200) && clientIdOf(retry.body)) {
          return redirectRejected(sent, [...evidence, ...(refused.evidence ?? []), `with ${other} → HTTP ${retry.status}, accepted`], 'the registration', other)
        }
      }
      return { ...refused, evidence: [...evidence, ...(refused.evidence ?? [])] }
    }
    if (metadata.registration_endpoint) return { status: 'pass', summary: 'Offers dynamic registration (not tried).', evidence }
    if (metadata.client_id_metadata_document_supported === true) {
      return { status: 'pass', summary: 'Accepts client id metadata documents.', evidence }
    }
    return {
      status: 'fail',
      summary: 'The authorization server lets no app register itself: MCP Tray needs a client id from its operator.',
      evidence,
      diagnosis: 'no-registration',
      fix: { text: 'Ask the server’s operator for a client id (and secret), then add the server with `mcp-tray add <url> --client-id ID`.' },
    }
  },
}

/** What the authorization endpoint did with a request, in the doctor's terms (pure: canned answers test it). */
export function classifyAuthorizationAnswer(
  answer: { readonly status: number; readonly location?: string; readonly text: string },
  redirectUri: string,
): { readonly kind: 'accepted'; readonly detail: string } | { readonly kind: 'refused'; readonly diagnosis: string; readonly said: string } {
  const said = (text: string): string => text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 240)
  if (answer.status >= 300 && answer.status < 400 && answer.location) {
    const location = new URL(answer.location, 'http://relative.invalid/')
    const back = new URL(redirectUri)
    if (location.origin === back.origin && location.pathname === back.pathname) {
      const error = location.searchParams.get('error')
      if (!error) return { kind: 'accepted', detail: 'it answered at once, with no sign-in page' }
      const description = location.searchParams.get('error_description') ?? ''
      const text = `${error}${description ? `: ${description}` : ''}`
      return { kind: 'refused', diagnosis: diagnosisOfAuthorizationError(error, description), said: text }
    }
    return { kind: 'accepted', detail: `its sign-in page opens (${location.origin === 'http://relative.invalid' ? location.pathname : `${location.origin}${location.pathname}`})` }
  }
  const text = said(answer.text)
  // A sign-in page may mention redirect_uri or client_id in its scripts: on a 200 only Entra's error codes count.
  const isError = answer.status >= 400
  if (/AADSTS9010010/.test(text) || (isError && /invalid_target/i.test(text))) return { kind: 'refused', diagnosis: 'resource-rejected', said: text }
  if (/AADSTS50011/.test(text) || (isError && /redirect_uri|redirect uri|invalid_redirect/i.test(text))) return { kind: 'refused', diagnosis: 'redirect-uri-rejected', said: text }
  if (/AADSTS700016/.test(text) || (isError && /invalid_client|unknown client|client not found|client_id/i.test(text))) return { kind: 'refused', diagnosis: 'invalid-client', said: text }
  if (!isError) return { kind: 'accepted', detail: 'its sign-in page opens' }
  return { kind: 'refused', diagnosis: 'authorization-refused', said: text || `HTTP ${answer.status}` }
}

function diagnosisOfAuthorizationError(error: string, description: string): string {
  if (error === 'invalid_target' || /AADSTS9010010/.test(description)) return 'resource-rejected'
  if (error === 'invalid_scope') return 'scope-rejected'
  if (error === 'unauthorized_client' || error === 'invalid_client') return 'invalid-client'
  if (/redirect/i.test(description)) return 'redirect-uri-rejected'
  return 'authorization-refused'
}

async function tryAuthorization(context: DoctorContext, clientId: string, redirectUri: string, signal: AbortSignal): Promise<{ status: number; location?: string; text: string; url: URL }> {
  const { findings } = context
  const metadata = findings.authorizationServer as AuthorizationServerMetadata
  const config = clientConfiguration(metadata, { clientId, tokenEndpointAuthMethod: 'none' })
  const scopes = withOfflineAccess(
    selectScopes({ ...(findings.challenge ? { challenge: findings.challenge } : {}), ...(findings.resourceMetadata ? { resource: findings.resourceMetadata } : {}) }),
    metadata,
  )
  const url = buildAuthorizationUrl(config, {
    redirectUri,
    state: client.randomState(),
    pkce: await createPkcePair(),
    resource: findings.resourceMetadata?.resource ?? (findings.endpoint ?? context.url).href,
    scopes,
  })
  const response = await context.fetch(url, { redirect: 'manual', headers: { accept: 'text/html' }, signal })
  const location = response.headers.get('location')
  return { status: response.status, ...(location ? { location } : {}), text: await readText(response), url }
}

/**
 * RFC 6749 §4.1.1 with RFC 7636 and RFC 8707: the authorization request a sign-in would open in
 * the browser, sent without following it, to see the authorization server accept the client id,
 * the redirect URI and the `resource` before a person is sent there. No one signs in.
 */
export const authorizationRequestProbe: Probe = {
  id: 'authorization-request',
  title: 'Try the authorization request (without signing in)',
  needsReach: true,
  applies: (context) =>
    context.findings.clientId !== undefined && context.findings.authorizationServer?.authorization_endpoint !== undefined,
  bound: (context) => context.bounds.httpMs * 2,
  async run(context, signal) {
    const { findings } = context
    const clientId = findings.clientId as string
    const sent = context.redirectUri
    const first = await tryAuthorization(context, clientId, sent, signal)
    const verdict = classifyAuthorizationAnswer(first, sent)
    const evidence = [
      `GET ${first.url.origin}${first.url.pathname} (client_id ${clientId}, redirect_uri ${sent}, resource ${first.url.searchParams.get('resource') ?? ''}) → HTTP ${first.status}`,
    ]
    if (verdict.kind === 'accepted') return { status: 'pass', summary: `Accepted: ${verdict.detail}.`, evidence }
    evidence.push(`said: ${verdict.said}`)
    return refusedOutcome(context, verdict.diagnosis, evidence, signal)
  },
}

async function refusedOutcome(context: DoctorContext, diagnosis: string, evidence: string[], signal: AbortSignal): Promise<ProbeOutcome> {
  const { findings } = context
  const sent = context.redirectUri
  switch (diagnosis) {
    case 'redirect-uri-rejected': {
      // A fresh registration holds only the URI sent; a configured or kept client may allow another form.
      if (findings.clientKind !== 'registered') {
        for (const other of otherRedirectForms(sent)) {
          const retry = await tryAuthorization(context, findings.clientId as string, other, signal)
          if (classifyAuthorizationAnswer(retry, other).kind === 'accepted') {
            return redirectRejected(sent, [...evidence, `with redirect_uri ${other} → accepted`], 'the authorization request', other)
          }
        }
      }
      return redirectRejected(sent, evidence, 'the authorization request')
    }
    case 'resource-rejected':
      return {
        status: 'fail',
        summary: `The authorization server refused the resource parameter (RFC 8707) MCP clients must send: ${findings.resourceMetadata?.resource ?? (findings.endpoint ?? context.url).href}.`,
        evidence,
        diagnosis,
        fix: {
          text: 'Microsoft Entra ID refuses it (AADSTS9010010) when the resource is not one of its applications, or comes with scopes of another one. Tell the server’s operator: the protected-resource metadata’s resource must be what its authorization server accepts.',
        },
      }
    case 'invalid-client':
      return {
        status: 'fail',
        summary:
          findings.clientKind === 'stored'
            ? 'The authorization server no longer knows MCP Tray’s registration (invalid_client): it was reset or replaced since the last sign-in.'
            : findings.clientKind === 'configured'
              ? 'The authorization server does not know the configured client id (invalid_client).'
              : 'The authorization server does not know the client id (invalid_client).',
        evidence,
        diagnosis,
        fix:
          findings.clientKind === 'configured'
            ? { text: 'Check the client id configured for this server with its operator.' }
            : { text: 'Sign in again: MCP Tray drops the old registration and registers anew.', action: { kind: 'sign-in' } },
      }
    case 'scope-rejected':
      return { status: 'fail', summary: 'The authorization server refused the scopes the server asks for.', evidence, diagnosis, fix: { text: 'Tell the server’s operator: the scopes in its challenge or metadata are unknown to its authorization server.' } }
    default:
      return { status: 'fail', summary: 'The authorization server refused the authorization request.', evidence, diagnosis, fix: { text: 'Tell the server’s operator what it said.' } }
  }
}
