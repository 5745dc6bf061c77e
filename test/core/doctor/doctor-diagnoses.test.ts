import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runDoctor, type DoctorDeps, type DoctorInput } from '../../../src/core/doctor/run-doctor'
import type { DoctorReport, DoctorStep } from '../../../src/shared/doctor-report'
import { TrayError } from '../../../src/shared/tray-error'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server'
import { obtainTokens } from '../../support/fixture-tokens'
import { step } from './report-step'

let server: RemoteServer
let token: string

beforeAll(async () => {
  server = await startRemoteServer()
  token = (await obtainTokens(server.issuer, { resource: server.mcpUrl })).tokens.access_token
})
afterAll(async () => {
  await server.close()
})
afterEach(() => {
  const knobs = server.knobs
  Object.assign(knobs, { omitChallenge: false, hideResourceMetadata: false, ignoreBearer: false, omitSessionId: false, refuseRegistration: undefined, refuseResource: undefined, authRequired: true })
  knobs.setLatency('initialize', 0)
})

const signedIn: DoctorDeps = { getAccessToken: async () => ({ accessToken: token, expiresAt: Date.now() + 3_600_000 }) }

function doctor(input: Partial<DoctorInput> = {}, deps: DoctorDeps = signedIn): Promise<DoctorReport> {
  return runDoctor({ url: server.mcpUrl, server: 'fixture', ...input }, deps)
}

describe('the doctor against the fixture server', () => {
  it('passes a healthy server signed in, every step, within a second', async () => {
    const streamed: DoctorStep[] = []
    const started = performance.now()
    const report = await runDoctor({ url: server.mcpUrl, server: 'fixture' }, signedIn, (s) => streamed.push(s))
    const took = performance.now() - started
    expect(report.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'dns:pass',
      'tcp:pass',
      'proxy:pass',
      'mcp-endpoint:pass',
      'protected-resource:pass',
      'authorization-server:pass',
      'registration:pass',
      'authorization-request:pass',
      'sign-in:pass',
      'initialize:pass',
      'tools-list:pass',
      'get-stream:pass',
    ])
    expect(report).toMatchObject({ healthy: true, diagnoses: [], server: 'fixture', url: server.mcpUrl })
    // Each step streamed twice: when it starts, and with its result.
    expect(streamed.filter((s) => s.status === 'running').map((s) => s.id)).toEqual(report.steps.map((s) => s.id))
    expect(took).toBeLessThan(1_500)
    // The session the doctor opened is closed again.
    expect(server.knobs.requests.some((r) => r.httpMethod === 'DELETE')).toBe(true)
    expect(JSON.stringify(report)).not.toContain(token)
  })

  it('passes a server without sign-in, with no sign-in steps', async () => {
    server.knobs.authRequired = false
    const report = await doctor({}, {})
    expect(report.healthy).toBe(true)
    expect(step(report, 'mcp-endpoint').summary).toMatch(/without sign-in/)
    expect(report.steps.map((s) => s.id)).not.toContain('registration')
    expect(step(report, 'tools-list').summary).toMatch(/^\d+ tools/)
  })

  it('recognises the older HTTP+SSE endpoint as one MCP Tray speaks', async () => {
    // Without a token it looks like any endpoint asking for sign-in; with one, the POST is refused and the GET streams.
    const sseToken = (await obtainTokens(server.issuer, { resource: server.sseUrl })).tokens.access_token
    const report = await doctor({ url: server.sseUrl }, { getAccessToken: async () => ({ accessToken: sseToken }) })
    expect(step(report, 'mcp-endpoint')).toMatchObject({ status: 'pass' })
    expect(step(report, 'initialize')).toMatchObject({ status: 'pass' })
    expect(step(report, 'initialize').summary).toMatch(/HTTP\+SSE/)
    expect(report.healthy).toBe(true)
    server.knobs.authRequired = false
    const open = await doctor({ url: server.sseUrl }, {})
    expect(step(open, 'mcp-endpoint').summary).toMatch(/HTTP\+SSE/)
    expect(open.steps.map((s) => s.id)).not.toContain('initialize')
  })

  it('calls a tool when asked', async () => {
    const report = await doctor({ callTool: 'whoami' })
    expect(step(report, 'tool-call')).toMatchObject({ status: 'pass' })
  })

  it('401 without a challenge and no metadata: clients cannot find the authorization server', async () => {
    Object.assign(server.knobs, { omitChallenge: true, hideResourceMetadata: true })
    const report = await doctor()
    expect(step(report, 'mcp-endpoint')).toMatchObject({ status: 'warn', diagnosis: 'no-www-authenticate' })
    expect(step(report, 'protected-resource')).toMatchObject({ status: 'fail', diagnosis: 'no-www-authenticate' })
    expect(report.healthy).toBe(false)
    expect(report.diagnoses).toEqual(['no-www-authenticate'])
  })

  it('401 without a challenge but with metadata at the well-known place: a warning, still usable', async () => {
    server.knobs.omitChallenge = true
    const report = await doctor()
    expect(step(report, 'mcp-endpoint')).toMatchObject({ status: 'warn', diagnosis: 'no-www-authenticate' })
    expect(step(report, 'protected-resource').status).toBe('pass')
    expect(report.healthy).toBe(true)
  })

  it('a 404 where the endpoint should be: names the path that works, as a button', async () => {
    const report = await doctor({ url: `${server.origin}/` })
    const endpoint = step(report, 'mcp-endpoint')
    expect(endpoint).toMatchObject({ status: 'fail', diagnosis: 'not-mcp-endpoint' })
    expect(endpoint.fix?.action).toEqual({ kind: 'use-url', url: server.mcpUrl })
    // The rest of the diagnosis carries on at the path that works.
    expect(step(report, 'tools-list').status).toBe('pass')
  })

  it('a server that ignores the bearer token', async () => {
    server.knobs.ignoreBearer = true
    const report = await doctor()
    expect(step(report, 'initialize')).toMatchObject({ status: 'fail', diagnosis: 'bearer-ignored' })
  })

  it('a token the server refuses is told apart from one it never sees', async () => {
    const report = await doctor({}, { getAccessToken: async () => ({ accessToken: 'not-a-token-the-server-issued' }) })
    expect(step(report, 'initialize')).toMatchObject({ status: 'fail', diagnosis: 'token-rejected' })
    expect(step(report, 'initialize').fix?.action).toEqual({ kind: 'sign-in' })
  })

  it('initialize slower than clients wait, and merely slow', async () => {
    server.knobs.setLatency('initialize', 1_500)
    const report = await doctor({}, { ...signedIn, bounds: { initializeMs: 600, slowInitializeMs: 300 } })
    expect(step(report, 'initialize')).toMatchObject({ status: 'fail', diagnosis: 'slow-initialize' })
    expect(step(report, 'initialize').durationMs).toBeLessThan(1_200)

    server.knobs.setLatency('initialize', 400)
    const slow = await doctor({}, { ...signedIn, bounds: { initializeMs: 3_000, slowInitializeMs: 200 } })
    expect(step(slow, 'initialize')).toMatchObject({ status: 'warn', diagnosis: 'slow-initialize' })
  })

  it('no session id from a server that needs one', async () => {
    server.knobs.omitSessionId = true
    const report = await doctor()
    expect(step(report, 'initialize').evidence).toContain('Mcp-Session-Id: none (a stateless server, or one that loses it)')
    expect(step(report, 'tools-list')).toMatchObject({ status: 'fail', diagnosis: 'no-session-id' })
  })

  it('dynamic registration refused', async () => {
    server.knobs.refuseRegistration = { status: 403, body: { error: 'access_denied', error_description: 'registration needs an initial access token' } }
    const report = await doctor()
    expect(step(report, 'registration')).toMatchObject({ status: 'fail', diagnosis: 'registration-refused' })
    expect(step(report, 'registration').summary).toContain('registration needs an initial access token')
  })

  it('a redirect URI refused at registration: which one was sent, which form to try', async () => {
    server.knobs.refuseRegistration = { status: 400, body: { error: 'invalid_redirect_uri', error_description: 'not allowed' } }
    const report = await doctor()
    const registration = step(report, 'registration')
    expect(registration).toMatchObject({ status: 'fail', diagnosis: 'redirect-uri-rejected' })
    expect(registration.summary).toContain('http://127.0.0.1:3334/oauth/callback')
    expect(registration.fix?.action).toEqual({ kind: 'set-redirect-host', host: 'localhost' })
  })

  it('the resource parameter refused (Entra’s AADSTS9010010)', async () => {
    server.knobs.refuseResource = 'AADSTS9010010: The resource parameter provided in the request doesn’t match with the requested scopes.'
    const report = await doctor()
    const authorization = step(report, 'authorization-request')
    expect(authorization).toMatchObject({ status: 'fail', diagnosis: 'resource-rejected' })
    expect(authorization.evidence?.join('\n')).toContain('AADSTS9010010')
  })

  it('invalid_client after the authorization server changed: a registration it no longer knows', async () => {
    const report = await doctor({}, { ...signedIn, storedClient: async () => ({ issuer: server.issuer, clientId: 'forgotten-client' }) })
    const authorization = step(report, 'authorization-request')
    expect(authorization).toMatchObject({ status: 'fail', diagnosis: 'invalid-client' })
    expect(authorization.fix?.action).toEqual({ kind: 'sign-in' })
  })

  it('a sign-in that fails with invalid_client is named the same way', async () => {
    const report = await doctor({}, { getAccessToken: async () => Promise.reject(new TrayError('invalid_client', 'Refreshing the access token failed.')) })
    expect(step(report, 'sign-in')).toMatchObject({ status: 'fail', diagnosis: 'invalid-client' })
  })

  it('clock skew against token expiry', async () => {
    const ahead = { now: () => Date.now() + 10 * 60_000 }
    const report = await doctor({}, { ...signedIn, clock: ahead })
    const signIn = step(report, 'sign-in')
    expect(signIn).toMatchObject({ status: 'warn', diagnosis: 'clock-skew' })
    expect(signIn.summary).toMatch(/10 min ahead of the server’s/)
  })

  it('says when it is not signed in, with the button to sign in', async () => {
    const report = await doctor({}, { getAccessToken: async () => undefined })
    expect(step(report, 'sign-in')).toMatchObject({ status: 'skip', fix: { action: { kind: 'sign-in' } } })
    expect(report.healthy).toBe(true)
  })
})

describe('the doctor with a client registered for another redirect host', () => {
  let registered: RemoteServer
  beforeAll(async () => {
    registered = await startRemoteServer({
      clients: [
        {
          client_id: 'desktop-app',
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://localhost:3334/oauth/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
        },
      ],
    })
  })
  afterAll(async () => {
    await registered.close()
  })

  it('a redirect URI the authorization server does not accept: the one sent, and the form it takes', async () => {
    const report = await runDoctor({ url: registered.mcpUrl, clientId: 'desktop-app' }, {})
    const authorization = step(report, 'authorization-request')
    expect(authorization).toMatchObject({ status: 'fail', diagnosis: 'redirect-uri-rejected' })
    expect(authorization.summary).toContain('http://127.0.0.1:3334/oauth/callback')
    expect(authorization.summary).toContain('it accepts http://localhost:3334/oauth/callback')
    expect(authorization.fix?.action).toEqual({ kind: 'set-redirect-host', host: 'localhost' })
    // With the form it takes, the same check passes.
    const fixed = await runDoctor({ url: registered.mcpUrl, clientId: 'desktop-app', redirectUri: 'http://localhost:3334/oauth/callback' }, {})
    expect(step(fixed, 'authorization-request').status).toBe('pass')
  })
})

describe('the doctor against a server that is not MCP at all', () => {
  let web: Server
  let origin: string
  beforeAll(async () => {
    web = createServer((req, res) => {
      if (req.url === '/mcp') return void res.writeHead(301, { location: '/docs/mcp' }).end()
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Welcome</title>')
    })
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    web.closeAllConnections()
    await new Promise<void>((resolve) => web.close(() => resolve()))
  })

  it('a web page where the MCP endpoint should be, and no endpoint at the usual paths', async () => {
    const report = await runDoctor({ url: `${origin}/` }, {})
    const endpoint = step(report, 'mcp-endpoint')
    expect(endpoint).toMatchObject({ status: 'fail', diagnosis: 'not-mcp-endpoint' })
    expect(endpoint.summary).toMatch(/is a web page/)
    expect(endpoint.summary).toMatch(/\/mcp, \/sse/)
  })

  it('a redirect where the MCP endpoint should be', async () => {
    const report = await runDoctor({ url: `${origin}/mcp` }, {})
    expect(step(report, 'mcp-endpoint').summary).toMatch(/redirects \(HTTP 301 to \/docs\/mcp\)/)
  })
})
