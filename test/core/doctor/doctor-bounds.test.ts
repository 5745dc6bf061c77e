import { describe, expect, it } from 'vitest'
import { runDoctor, type DoctorBounds, type DoctorDeps } from '../../../src/core/doctor/run-doctor'
import type { DoctorReport, DoctorStep } from '../../../src/shared/doctor-report'
import { toCloseAfterEach } from '../../support/closed-after-each'
import { step } from './report-step'
import { startSilentServer, startStubServer, startUnacceptingPort, type Closable } from './silent-servers'

const bound = 300
const bounds: DoctorBounds = { dnsMs: bound, connectMs: bound, httpMs: bound, initializeMs: bound, slowInitializeMs: 100, tokenMs: bound, requestMs: bound }
/** What a bounded step may take beyond its bound: the timer, and closing what it opened. */
const slack = 400

const closers = toCloseAfterEach<Closable>()

function expectBounded(report: DoctorReport, id: string, limit = bound): DoctorStep {
  const found = step(report, id)
  expect(found.status).toBe('fail')
  expect(found.durationMs).toBeGreaterThanOrEqual(limit - 20)
  expect(found.durationMs).toBeLessThan(limit + slack)
  return found
}

type HangPoint = 'prm' | 'as' | 'register' | 'authorize' | 'initialize' | 'tools/list' | 'get' | 'tools/call'

/** An MCP server and its authorization server in one, healthy except where `hang` says it never answers. */
async function stubServer(hang: HangPoint | undefined): Promise<Closable> {
  const server = await startStubServer((req, res, body, origin) => {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}): void =>
      void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value))
    const path = new URL(req.url ?? '/', origin).pathname
    if (path === '/.well-known/oauth-protected-resource/mcp') {
      if (hang === 'prm') return 'hang'
      return json(200, { resource: `${origin}/mcp`, authorization_servers: [origin] })
    }
    if (path === '/.well-known/oauth-authorization-server') {
      if (hang === 'as') return 'hang'
      return json(200, {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        code_challenge_methods_supported: ['S256'],
      })
    }
    if (path === '/register') return hang === 'register' ? 'hang' : json(201, { client_id: 'stub-client' })
    if (path === '/authorize') return hang === 'authorize' ? 'hang' : void res.writeHead(302, { location: '/login' }).end()
    if (path !== '/mcp') return void res.writeHead(404).end()
    if (!req.headers.authorization) {
      return void res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"` }).end()
    }
    if (req.method === 'GET') return hang === 'get' ? 'hang' : void res.writeHead(405).end()
    if (req.method === 'DELETE') return void res.writeHead(200).end()
    const message = JSON.parse(body) as { id?: number; method: string }
    if (hang === message.method) return 'hang'
    if (message.id === undefined) return void res.writeHead(202).end()
    const results: Record<string, unknown> = {
      initialize: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'stub', version: '1' } },
      'tools/list': { tools: [{ name: 'read' }] },
      'tools/call': { content: [] },
    }
    return json(200, { jsonrpc: '2.0', id: message.id, result: results[message.method] ?? {} }, { 'mcp-session-id': 's-1' })
  })
  closers.push(server)
  return server
}

const signedIn: DoctorDeps = { bounds, getAccessToken: async () => ({ accessToken: 'stub-token' }) }

describe('every probe ends within its bound against a server that never answers', () => {
  it('DNS: a lookup that never returns', async () => {
    const report = await runDoctor({ url: 'http://mcp.example.test/mcp' }, { bounds, lookup: () => new Promise(() => undefined) })
    expect(expectBounded(report, 'dns')).toMatchObject({ diagnosis: 'dns-failed' })
  })

  it('TCP: a connection nobody accepts', async () => {
    const port = await startUnacceptingPort()
    closers.push(port)
    const report = await runDoctor({ url: `${port.origin}/mcp` }, { bounds })
    expect(expectBounded(report, 'tcp')).toMatchObject({ diagnosis: 'connect-timeout' })
    expect(step(report, 'mcp-endpoint').status).toBe('skip')
  })

  it('TLS: a handshake never answered', async () => {
    const silent = await startSilentServer()
    closers.push(silent)
    const report = await runDoctor({ url: `https://127.0.0.1:${silent.port}/mcp` }, { bounds })
    expect(expectBounded(report, 'tls')).toMatchObject({ diagnosis: 'tls-handshake-failed' })
  })

  it('the proxy: a CONNECT never answered', async () => {
    const silent = await startSilentServer()
    const server = await stubServer(undefined)
    closers.push(silent)
    const report = await runDoctor({ url: `${server.origin}/mcp` }, { bounds, env: { HTTP_PROXY: silent.origin } })
    expect(expectBounded(report, 'proxy')).toMatchObject({ diagnosis: 'proxy-unreachable' })
  })

  it('initialize: no answer, reported as slower than clients wait', async () => {
    const silent = await startSilentServer()
    closers.push(silent)
    const report = await runDoctor({ url: `${silent.origin}/mcp` }, { bounds })
    expect(expectBounded(report, 'mcp-endpoint')).toMatchObject({ diagnosis: 'slow-initialize' })
  })

  it.each([
    ['prm', 'protected-resource', bound],
    ['as', 'authorization-server', bound],
    ['register', 'registration', 2 * bound],
    ['authorize', 'authorization-request', 2 * bound],
  ] as const)('discovery: %s never answers', async (hang, id, limit) => {
    const server = await stubServer(hang)
    const report = await runDoctor({ url: `${server.origin}/mcp` }, signedIn)
    expectBounded(report, id, limit)
  })

  it('the sign-in: a token that never comes', async () => {
    const server = await stubServer(undefined)
    const report = await runDoctor({ url: `${server.origin}/mcp` }, { bounds, getAccessToken: () => new Promise(() => undefined) })
    expectBounded(report, 'sign-in')
  })

  it.each([
    ['initialize', 'initialize'],
    ['tools/list', 'tools-list'],
    ['get', 'get-stream'],
    ['tools/call', 'tool-call'],
  ] as const)('signed in: %s never answers', async (hang, id) => {
    const server = await stubServer(hang)
    const report = await runDoctor({ url: `${server.origin}/mcp`, callTool: 'read' }, signedIn)
    const found = expectBounded(report, id)
    if (id === 'initialize') expect(found.diagnosis).toBe('slow-initialize')
  })

  it('the healthy stub passes every step', async () => {
    const server = await stubServer(undefined)
    const report = await runDoctor({ url: `${server.origin}/mcp`, callTool: 'read' }, signedIn)
    expect(report.steps.filter((s) => s.status !== 'pass')).toEqual([])
  })
})
