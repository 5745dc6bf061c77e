import { describe, expect, it } from 'vitest'
import { renderDoctorMarkdown } from '../../../src/core/doctor/doctor-markdown'
import { runDoctor } from '../../../src/core/doctor/run-doctor'
import type { DoctorReport } from '../../../src/shared/doctor-report'
import { toCloseAfterEach } from '../../support/closed-after-each'
import { step } from './report-step'
import { startStubServer, type Closable } from './silent-servers'

const closers = toCloseAfterEach<Closable>()

interface StubMetadata {
  readonly resource?: (origin: string) => string
  readonly issuer?: (origin: string) => string
  readonly as?: (origin: string) => Record<string, unknown>
}

/** An MCP endpoint asking for sign-in, its RFC 9728 metadata and its authorization server's RFC 8414 metadata, as `metadata` says. */
async function protectedServer(metadata: StubMetadata = {}): Promise<Closable> {
  const server = await startStubServer((req, res, _body, origin) => {
    const json = (value: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value))
    const path = new URL(req.url ?? '/', origin).pathname
    if (path === '/.well-known/oauth-protected-resource/mcp') return json({ resource: metadata.resource?.(origin) ?? `${origin}/mcp`, authorization_servers: [origin] })
    if (path === '/.well-known/oauth-authorization-server') {
      return json({
        issuer: metadata.issuer?.(origin) ?? origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        code_challenge_methods_supported: ['S256'],
        registration_endpoint: `${origin}/register`,
        ...metadata.as?.(origin),
      })
    }
    if (path === '/register') return void res.writeHead(201, { 'content-type': 'application/json' }).end('{"client_id":"c"}')
    if (path === '/authorize') return void res.writeHead(302, { location: '/login' }).end()
    res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"` }).end()
  })
  closers.push(server)
  return server
}

describe('discovery, as the doctor reads it', () => {
  it('metadata for another resource', async () => {
    const server = await protectedServer({ resource: () => 'https://elsewhere.example/mcp' })
    const report = await runDoctor({ url: `${server.origin}/mcp` })
    expect(step(report, 'protected-resource')).toMatchObject({ status: 'fail', diagnosis: 'resource-mismatch' })
    expect(report.steps.map((s) => s.id)).not.toContain('authorization-server')
  })

  it('authorization-server metadata naming another issuer', async () => {
    const server = await protectedServer({ issuer: () => 'https://other-issuer.example' })
    const found = step(await runDoctor({ url: `${server.origin}/mcp` }), 'authorization-server')
    expect(found).toMatchObject({ status: 'fail', diagnosis: 'issuer-mismatch' })
    expect(found.summary).toContain('https://other-issuer.example')
    expect(found.evidence?.[0]).toMatch(/oauth-authorization-server → HTTP 200, issuer https:\/\/other-issuer\.example/)
  })

  it('no PKCE S256 advertised', async () => {
    const server = await protectedServer({ as: () => ({ code_challenge_methods_supported: ['plain'] }) })
    expect(step(await runDoctor({ url: `${server.origin}/mcp` }), 'authorization-server')).toMatchObject({ status: 'fail', diagnosis: 'no-pkce-s256' })
  })

  it('no way to register: a client id is needed', async () => {
    const server = await protectedServer({ as: () => ({ registration_endpoint: undefined }) })
    const found = step(await runDoctor({ url: `${server.origin}/mcp` }), 'registration')
    expect(found).toMatchObject({ status: 'fail', diagnosis: 'no-registration' })
    expect(found.fix?.text).toMatch(/--client-id/)
  })

  it('does not register when told not to', async () => {
    const server = await protectedServer()
    const report = await runDoctor({ url: `${server.origin}/mcp`, tryRegistration: false })
    expect(step(report, 'registration')).toMatchObject({ status: 'pass', summary: 'Offers dynamic registration (not tried).' })
  })
})

describe('the Markdown report', () => {
  it('keeps tokens, header values and query strings out', () => {
    const report: DoctorReport = {
      target: 'work',
      server: 'work',
      url: 'https://user:pw@mcp.example.com/mcp?key=abcdef123456',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1234,
      healthy: false,
      diagnoses: ['token-rejected'],
      steps: [
        {
          id: 'initialize',
          title: 'Start an MCP session',
          status: 'fail',
          durationMs: 40,
          summary: 'The server refused the token | said: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
          evidence: ['said: access_token=secret-token-value-123'],
          fix: { text: 'Sign in again.', action: { kind: 'sign-in' } },
          diagnosis: 'token-rejected',
        },
      ],
    }
    const markdown = renderDoctorMarkdown(report)
    expect(markdown).toContain('- URL: https://mcp.example.com/mcp')
    expect(markdown).not.toMatch(/pw@|abcdef123456|eyJzdWIi|secret-token-value-123/)
    expect(markdown).toContain('| Start an MCP session | FAIL | 40 ms |')
    expect(markdown).toContain('**Fix:** Sign in again.')
  })
})
