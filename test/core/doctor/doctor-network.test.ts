import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { runDoctor } from '../../../src/core/doctor/run-doctor'
import { createPrivateCa, type PemPair } from '../../fixtures/net/private-ca'
import { toCloseAfterEach } from '../../support/closed-after-each'
import { step } from './report-step'
import { startConnectProxy, startStubServer, type Closable } from './silent-servers'

const closers = toCloseAfterEach<Closable>()

/** A private CA ("a proxy or VPN intercepting TLS") and certificates it signed; RSA keys are slow, so made once. */
let ca: { cert: string; loopback: PemPair; otherHost: PemPair }
beforeAll(() => {
  const authority = createPrivateCa('Corp TLS Inspection CA', 'Corp Inc')
  ca = { cert: authority.cert, loopback: authority.issue(['127.0.0.1']), otherHost: authority.issue(['mcp.other.example']) }
})

async function httpsServer(pair: PemPair): Promise<Closable> {
  const server = createServer(pair, (_req, res) => void res.writeHead(404).end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const closable = {
    port,
    origin: `https://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  closers.push(closable)
  return closable
}

describe('the doctor on TLS', () => {
  it('a certificate from an unknown CA: names the authority, and the HTTP checks wait for it', async () => {
    const server = await httpsServer(ca.loopback)
    const report = await runDoctor({ url: `${server.origin}/mcp`, trustSystemCertificates: false }, {})
    const tls = step(report, 'tls')
    expect(tls).toMatchObject({ status: 'fail', diagnosis: 'tls-unknown-ca' })
    expect(tls.summary).toContain('Corp TLS Inspection CA')
    expect(tls.evidence).toContain('issuer: Corp TLS Inspection CA')
    // The operating system's store does not have it either, so trusting it is no fix: say how to add it.
    expect(tls.fix?.action).toBeUndefined()
    expect(tls.fix?.text).toMatch(/NODE_EXTRA_CA_CERTS/)
    expect(step(report, 'mcp-endpoint')).toMatchObject({ status: 'skip', summary: 'Skipped: the server’s certificate is not trusted.' })
    expect(report.diagnoses).toEqual(['tls-unknown-ca'])
  })

  it('passes a certificate from a CA it is told to trust, and names a certificate for another host', async () => {
    const trusted = await httpsServer(ca.loopback)
    const report = await runDoctor({ url: `${trusted.origin}/mcp` }, { ca: [ca.cert], bounds: { initializeMs: 1_000 } })
    expect(step(report, 'tls')).toMatchObject({ status: 'pass', summary: 'Trusted certificate for 127.0.0.1, issued by Corp TLS Inspection CA.' })

    const other = await httpsServer(ca.otherHost)
    const mismatch = await runDoctor({ url: `${other.origin}/mcp` }, { ca: [ca.cert] })
    expect(step(mismatch, 'tls')).toMatchObject({ status: 'fail', diagnosis: 'tls-hostname-mismatch' })
    expect(step(mismatch, 'tls').summary).toContain('mcp.other.example')
  })
})

/** A plain MCP endpoint that needs no sign-in. */
async function openMcpServer(): Promise<Closable> {
  const server = await startStubServer((req, res, body) => {
    if (req.method !== 'POST') return void res.writeHead(405).end()
    const message = JSON.parse(body) as { id?: number }
    if (message.id === undefined) return void res.writeHead(202).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', tools: [] } }))
  })
  closers.push(server)
  return server
}

describe('the doctor on proxies', () => {
  it('reports no proxy when none is set', async () => {
    const server = await openMcpServer()
    const report = await runDoctor({ url: `${server.origin}/mcp` }, { env: {} })
    expect(step(report, 'proxy')).toMatchObject({ status: 'pass', summary: 'No proxy: MCP Tray connects directly.' })
    expect(report.healthy).toBe(true)
  })

  it('a corporate proxy that asks for credentials', async () => {
    const server = await openMcpServer()
    const proxy = await startConnectProxy(407)
    closers.push(proxy)
    const report = await runDoctor({ url: `${server.origin}/mcp` }, { env: { HTTP_PROXY: proxy.origin } })
    const found = step(report, 'proxy')
    expect(found).toMatchObject({ status: 'fail', diagnosis: 'proxy-refused' })
    expect(found.summary).toMatch(/asks for credentials \(HTTP 407\)/)
    expect(found.fix?.text).toMatch(/user:password@host:port/)
  })

  it('a corporate proxy that refuses the server', async () => {
    const server = await openMcpServer()
    const proxy = await startConnectProxy(403)
    closers.push(proxy)
    const report = await runDoctor({ url: `${server.origin}/mcp` }, { env: { HTTP_PROXY: `http://user:secret-pw@127.0.0.1:${proxy.port}` } })
    const found = step(report, 'proxy')
    expect(found).toMatchObject({ status: 'fail', diagnosis: 'proxy-refused' })
    expect(found.summary).toMatch(/refused to connect/)
    expect(proxy.asked).toEqual([`127.0.0.1:${server.port}`])
    expect(JSON.stringify(report)).not.toContain('secret-pw')
  })

  it('a corporate proxy needed: the host is reachable only through the shell’s proxy', async () => {
    const proxy = await startConnectProxy(200)
    closers.push(proxy)
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND mcp.corp.test'), { code: 'ENOTFOUND' })
    const report = await runDoctor({ url: 'http://mcp.corp.test/mcp' }, { env: { HTTP_PROXY: proxy.origin }, lookup: () => Promise.reject(notFound) })
    expect(step(report, 'dns')).toMatchObject({ status: 'warn', diagnosis: 'dns-failed' })
    const found = step(report, 'proxy')
    expect(found).toMatchObject({ status: 'fail', diagnosis: 'proxy-needed' })
    expect(found.fix?.text).toMatch(/MCP Tray’s settings/)
    // The same proxy set in MCP Tray itself is what every connection uses: no finding.
    const fromSettings = await runDoctor({ url: 'http://mcp.corp.test/mcp', proxyUrl: proxy.origin }, { env: {}, lookup: () => Promise.reject(notFound) })
    expect(step(fromSettings, 'proxy').status).toBe('pass')
  })
})
