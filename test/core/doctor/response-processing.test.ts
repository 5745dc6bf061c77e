import { describe, expect, it } from 'vitest'
import { alternateRedirectHost, registrationRefusal } from '../../../src/core/doctor/discovery-probes'
import { candidateEndpoints } from '../../../src/core/doctor/endpoint-probe'
import { classifyInitializeAnswer, type McpExchange } from '../../../src/core/doctor/mcp-exchange'
import { proxySettingsFor } from '../../../src/core/doctor/proxy-probe'
import { classifyAuthorizationAnswer } from '../../../src/core/doctor/registration-probes'
import { clockVerdict, jwtTimes } from '../../../src/core/doctor/session-probes'

function exchange(status: number, headers: Record<string, string>, rest: Partial<McpExchange> = {}): McpExchange {
  const h = new Headers(headers)
  return { status, headers: h, contentType: h.get('content-type') ?? '', elapsedMs: 5, ...rest }
}

describe('the unauthenticated initialize answer', () => {
  it('tells a usable challenge, a 401 without one, and an open server', () => {
    expect(classifyInitializeAnswer(exchange(401, { 'www-authenticate': 'Bearer resource_metadata="https://x/m"' })).kind).toBe('challenge')
    expect(classifyInitializeAnswer(exchange(401, {})).kind).toBe('no-challenge')
    expect(classifyInitializeAnswer(exchange(401, { 'www-authenticate': 'Basic realm="x"' })).kind).toBe('no-challenge')
    const open = classifyInitializeAnswer(
      exchange(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' }, { message: { result: { protocolVersion: '2025-06-18', serverInfo: { name: 'n' } } } }),
    )
    expect(open).toEqual({ kind: 'open', protocolVersion: '2025-06-18', serverName: 'n', sessionId: 's1' })
  })

  it('tells a web page, a 404 and a redirect where the endpoint should be', () => {
    expect(classifyInitializeAnswer(exchange(200, { 'content-type': 'text/html; charset=utf-8' }, { text: '<html>' }))).toMatchObject({ kind: 'not-mcp', why: 'web-page' })
    expect(classifyInitializeAnswer(exchange(404, { 'content-type': 'text/plain' }))).toMatchObject({ kind: 'not-mcp', why: 'not-found' })
    expect(classifyInitializeAnswer(exchange(308, { location: '/mcp/' }))).toEqual({ kind: 'not-mcp', why: 'redirect', status: 308, location: '/mcp/' })
    expect(classifyInitializeAnswer(exchange(502, {}))).toEqual({ kind: 'server-error', status: 502 })
  })

  it('tries the usual paths, without the one asked about', () => {
    expect(candidateEndpoints(new URL('https://h.example/')).map(String)).toEqual(['https://h.example/mcp', 'https://h.example/sse'])
    expect(candidateEndpoints(new URL('https://h.example/mcp/')).map(String)).toEqual([
      'https://h.example/mcp',
      'https://h.example/sse',
      'https://h.example/',
    ])
  })
})

describe('the authorization request, answered', () => {
  const redirect = 'http://127.0.0.1:3334/oauth/callback'

  it('takes a sign-in page or a redirect to it as accepted', () => {
    expect(classifyAuthorizationAnswer({ status: 303, location: '/interaction/abc', text: '' }, redirect).kind).toBe('accepted')
    // A sign-in page's scripts may well mention redirect_uri and client_id.
    expect(classifyAuthorizationAnswer({ status: 200, text: '<script>var c={client_id:"x",redirect_uri:"y"}</script>' }, redirect).kind).toBe('accepted')
  })

  it('names Entra’s AADSTS9010010 and invalid_target as the resource refused', () => {
    const location = `${redirect}?error=invalid_target&error_description=AADSTS9010010%3A+The+resource+parameter+provided+in+the+request+doesn%27t+match&state=s`
    expect(classifyAuthorizationAnswer({ status: 302, location, text: '' }, redirect)).toMatchObject({ kind: 'refused', diagnosis: 'resource-rejected' })
    expect(classifyAuthorizationAnswer({ status: 200, text: '<div>AADSTS9010010: The resource parameter …</div>' }, redirect)).toMatchObject({ diagnosis: 'resource-rejected' })
  })

  it('names a redirect URI the server does not allow, and an unknown client', () => {
    const entra = "<p>AADSTS50011: The redirect URI 'http://127.0.0.1:3334/oauth/callback' specified in the request does not match the redirect URIs configured</p>"
    expect(classifyAuthorizationAnswer({ status: 200, text: entra }, redirect)).toMatchObject({ diagnosis: 'redirect-uri-rejected' })
    expect(classifyAuthorizationAnswer({ status: 400, text: '<h1>invalid_redirect_uri</h1>' }, redirect)).toMatchObject({ diagnosis: 'redirect-uri-rejected' })
    expect(classifyAuthorizationAnswer({ status: 400, text: '<h1>invalid_client</h1><p>client is invalid</p>' }, redirect)).toMatchObject({ diagnosis: 'invalid-client' })
    expect(classifyAuthorizationAnswer({ status: 200, text: 'AADSTS700016: Application not found in the directory' }, redirect)).toMatchObject({ diagnosis: 'invalid-client' })
  })
})

describe('a refused dynamic registration (RFC 7591 §3.2.2)', () => {
  it('names the redirect URI it refused and suggests the other loopback form', () => {
    const outcome = registrationRefusal(400, { error: 'invalid_redirect_uri', error_description: 'only localhost' }, 'http://127.0.0.1:3334/oauth/callback')
    expect(outcome.diagnosis).toBe('redirect-uri-rejected')
    expect(outcome.summary).toContain('http://127.0.0.1:3334/oauth/callback')
    expect(outcome.fix?.action).toEqual({ kind: 'set-redirect-host', host: 'localhost' })
    expect(alternateRedirectHost('http://localhost:3334/cb')).toBe('127.0.0.1')
  })

  it('says registration is refused, and what to ask for', () => {
    const outcome = registrationRefusal(403, { error: 'access_denied' }, 'http://127.0.0.1:3334/oauth/callback')
    expect(outcome).toMatchObject({ status: 'fail', diagnosis: 'registration-refused' })
    expect(outcome.fix?.text).toMatch(/client id/)
  })
})

describe('clock skew against token expiry', () => {
  const jwt = (payload: object): string => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`
  const now = Date.parse('2026-01-01T12:00:00Z')

  it('reads exp and nbf from a JWT, nothing from an opaque token', () => {
    expect(jwtTimes(jwt({ exp: 100, nbf: 50 }))).toEqual({ exp: 100_000, nbf: 50_000 })
    expect(jwtTimes('opaque-token')).toBeUndefined()
  })

  it('fails a token valid by this clock and expired by the server’s', () => {
    const verdict = clockVerdict({ now, offsetMs: 10 * 60_000, token: jwt({ exp: (now + 5 * 60_000) / 1000 }) })
    expect(verdict).toMatchObject({ status: 'fail', diagnosis: 'clock-skew' })
    expect(verdict?.summary).toMatch(/behind the server’s/)
  })

  it('warns when the clocks are minutes apart, and says nothing when they agree', () => {
    expect(clockVerdict({ now, offsetMs: -4 * 60_000 })).toMatchObject({ status: 'warn', diagnosis: 'clock-skew' })
    expect(clockVerdict({ now, offsetMs: 800, expiresAt: now + 60_000 })).toBeUndefined()
  })
})

describe('proxy settings in effect', () => {
  const url = new URL('https://mcp.example.com/mcp')

  it('reads the environment before MCP Tray’s setting, as the network does, and hides credentials', () => {
    expect(proxySettingsFor(url, 'http://app-proxy:3128', {}).source).toBe('MCP Tray’s setting')
    expect(proxySettingsFor(url, 'http://app-proxy:3128', { HTTPS_PROXY: 'http://env:8080' }).proxy?.host).toBe('env:8080')
    const settings = proxySettingsFor(url, undefined, { https_proxy: 'http://user:pw@env:8080' })
    expect(settings).toMatchObject({ source: 'the environment' })
    expect(settings.evidence).toContain('https_proxy=http://***:***@env:8080')
    expect(settings.evidence.join(' ')).not.toContain('pw')
  })

  it('says when NO_PROXY sends a host directly', () => {
    const env = { HTTPS_PROXY: 'http://env:8080' }
    expect(proxySettingsFor(url, undefined, { ...env, NO_PROXY: 'localhost,.example.com' })).toMatchObject({ bypassed: true })
    expect(proxySettingsFor(url, undefined, { ...env, NO_PROXY: 'mcp.example.com:8443' }).proxy).toBeDefined()
    expect(proxySettingsFor(url, undefined, {})).toEqual({ evidence: ['No proxy is configured: every request goes directly.'] })
  })
})
