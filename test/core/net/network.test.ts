import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http'
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CertificateError } from '../../../src/core/net/certificate-problem'
import { createNetwork, type Network, type NetworkSettings } from '../../../src/core/net/network'
import { ProxyError } from '../../../src/core/net/proxy-tunnel'
import { createNodeHttpFetch } from '../../../src/core/proxy/node-http-fetch'
import { startForwardProxy, type ForwardProxy } from '../../fixtures/net/forward-proxy'
import { createPrivateCa, type PrivateCa } from '../../fixtures/net/private-ca'

let ca: PrivateCa
let dir: string
let caFile: string
let httpServer: Server
let httpsServer: Server
let httpPort: number
let httpsPort: number

beforeAll(async () => {
  ca = createPrivateCa('MCP Tray Test Root CA', 'Example Corp')
  dir = await mkdtemp(join(tmpdir(), 'net-'))
  caFile = join(dir, 'ca.pem')
  await writeFile(caFile, ca.cert)
  const leaf = ca.issue(['localhost', '127.0.0.1'])
  const answer = (req: { method?: string; url?: string }, res: { end(text: string): void }): void => res.end(`${req.method} ${req.url}`)
  httpServer = createHttpServer(answer)
  httpsServer = createHttpsServer({ cert: leaf.cert, key: leaf.key }, answer)
  await Promise.all([httpServer, httpsServer].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))))
  httpPort = (httpServer.address() as AddressInfo).port
  httpsPort = (httpsServer.address() as AddressInfo).port
})

afterAll(async () => {
  for (const server of [httpServer, httpsServer]) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  await rm(dir, { recursive: true, force: true })
})

const opened: Network[] = []
const proxies: ForwardProxy[] = []
afterEach(async () => {
  await Promise.all([...opened.splice(0).map((n) => n.close()), ...proxies.splice(0).map((p) => p.close())])
})

function network(settings: Partial<NetworkSettings> & { env?: NetworkSettings['env'] }): Network {
  // SSL_CERT_FILE stands in for the operating system's store (system-ca reads it on Linux); the
  // tests never trust the machine's real store.
  const created = createNetwork({ trustSystemCertificates: false, connectTimeoutMs: 5_000, ...settings, env: { SSL_CERT_FILE: join(dir, 'none.pem'), SSL_CERT_DIR: join(dir, 'no-such-dir'), ...settings.env } })
  opened.push(created)
  return created
}

async function proxy(options: Parameters<typeof startForwardProxy>[0] = {}): Promise<ForwardProxy> {
  const started = await startForwardProxy(options)
  proxies.push(started)
  return started
}

/** A request through the network's node:http agents, as the MCP proxy sends upstream. */
function viaAgent(net: Network, url: string, agent = net.agentFor(new URL(url))): Promise<string> {
  const target = new URL(url)
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    send(target, { agent }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}

async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  )
  expect(error, 'expected a failure').toBeDefined()
  return (error!.cause instanceof Error ? error!.cause : error!) as Error & { code?: string; hint?: string }
}

describe('outgoing requests through a forward proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', () => {
  it('tunnels fetch and the node:http agents through the proxy the environment names', async () => {
    const forward = await proxy()
    const net = network({ env: { HTTPS_PROXY: forward.url, HTTP_PROXY: forward.url, SSL_CERT_FILE: caFile }, trustSystemCertificates: true })
    expect(await (await net.fetch(`http://localhost:${httpPort}/plain`)).text()).toBe('GET /plain')
    expect(await (await net.fetch(`https://localhost:${httpsPort}/secure`, { method: 'POST', body: new URLSearchParams({ a: '1' }) })).text()).toBe('POST /secure')
    expect(await viaAgent(net, `https://localhost:${httpsPort}/agent`)).toBe('GET /agent')
    expect(await viaAgent(net, `http://localhost:${httpPort}/agent-plain`)).toBe('GET /agent-plain')
    const own = net.createAgent('https:', { maxSockets: 1 })
    const both = await Promise.all([1, 2].map((n) => viaAgent(net, `https://localhost:${httpsPort}/own-${n}`, own)))
    own.destroy()
    expect(both).toEqual(['GET /own-1', 'GET /own-2'])
    expect(forward.requests.map((r) => `${r.method} ${r.target}`)).toEqual(
      expect.arrayContaining([`CONNECT localhost:${httpPort}`, `CONNECT localhost:${httpsPort}`]),
    )
    expect(forward.requests.every((r) => r.method === 'CONNECT')).toBe(true)
  })

  it('carries the proxy’s upstream fetch (its own pools, its failures as fetch reports them)', async () => {
    const forward = await proxy()
    const net = network({ env: { HTTPS_PROXY: forward.url, SSL_CERT_FILE: caFile }, trustSystemCertificates: true })
    const upstream = createNodeHttpFetch({ createAgent: net.createAgent, fallback: net.fetch, maxSockets: 2 })
    try {
      const answers = await Promise.all([1, 2, 3].map(async (n) => (await upstream(`https://localhost:${httpsPort}/up-${n}`, { method: 'POST', body: 'x' })).text()))
      expect(answers).toEqual(['POST /up-1', 'POST /up-2', 'POST /up-3'])
      expect(forward.requests.every((r) => r.method === 'CONNECT' && r.target === `localhost:${httpsPort}`)).toBe(true)
      const untrusted = network({ env: { HTTPS_PROXY: forward.url } })
      const refusing = createNodeHttpFetch({ createAgent: untrusted.createAgent })
      const error = await refusing(`https://localhost:${httpsPort}/`).then(
        () => undefined,
        (e: Error & { sent?: boolean }) => e,
      )
      refusing.close()
      expect(error).toMatchObject({ message: 'fetch failed', sent: false })
      expect((error!.cause as Error).message).toContain('“MCP Tray Test Root CA” (Example Corp)')
    } finally {
      upstream.close()
    }
  })

  it('goes directly, past the proxy, to hosts NO_PROXY covers', async () => {
    const forward = await proxy()
    const net = network({ env: { https_proxy: forward.url, http_proxy: forward.url, no_proxy: 'localhost', SSL_CERT_FILE: caFile }, trustSystemCertificates: true })
    expect(await (await net.fetch(`http://localhost:${httpPort}/direct`)).text()).toBe('GET /direct')
    expect(await viaAgent(net, `https://localhost:${httpsPort}/direct`)).toBe('GET /direct')
    expect(forward.requests).toEqual([])
  })

  it('uses the app’s proxy setting when the environment names none', async () => {
    const forward = await proxy()
    const net = network({ env: { NO_PROXY: 'example.invalid' }, proxyUrl: forward.url })
    expect(await (await net.fetch(`http://localhost:${httpPort}/from-settings`)).text()).toBe('GET /from-settings')
    expect(forward.requests.map((r) => r.target)).toEqual([`localhost:${httpPort}`])
  })

  it('authenticates with the proxy URL’s user and password, and says what to do when the proxy asks for them', async () => {
    const forward = await proxy({ credentials: { user: 'ann', password: 'p@ss:word' } })
    const withCredentials = network({ env: { HTTP_PROXY: `${forward.url.replace('//', '//ann:p%40ss%3Aword@')}` } })
    expect(await (await withCredentials.fetch(`http://localhost:${httpPort}/auth`)).text()).toBe('GET /auth')

    const without = network({ env: { HTTP_PROXY: forward.url } })
    const error = await failureOf(without.fetch(`http://localhost:${httpPort}/auth`))
    expect(error).toBeInstanceOf(ProxyError)
    expect(error.code).toBe('PROXY_AUTH_REQUIRED')
    expect(error.message).toContain('asks for a user name and password (HTTP 407)')
    expect(error.hint).toContain('http://user:password@host:port')

    const wrong = network({ env: { HTTP_PROXY: forward.url.replace('//', '//ann:nope@') } })
    const refused = await failureOf(viaAgent(wrong, `http://localhost:${httpPort}/auth`))
    expect(refused.message).toContain('refused the user name and password')
    expect(refused.message).not.toContain('nope')
  })

  it('names the proxy when it refuses a tunnel or cannot be reached', async () => {
    const forward = await proxy({ refusePorts: [httpPort] })
    const refused = await failureOf(network({ env: { HTTP_PROXY: forward.url } }).fetch(`http://localhost:${httpPort}/`))
    expect(refused.code).toBe('PROXY_REFUSED')
    expect(refused.message).toContain(`refused to open a connection to localhost:${httpPort} (HTTP 403)`)
    expect(refused.hint).toContain('NO_PROXY')

    const gone = await failureOf(network({ env: { HTTP_PROXY: 'http://127.0.0.1:1' } }).fetch(`http://localhost:${httpPort}/`))
    expect(gone.code).toBe('PROXY_UNREACHABLE')
    expect(gone.message).toMatch(/^Could not reach the proxy http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\. Check the proxy address/)
  })
})

describe('certificates of a private certificate authority', () => {
  it('refuses a certificate from an authority nobody trusts, naming the authority and the two ways to trust it', async () => {
    const net = network({ env: {} })
    const error = await failureOf(net.fetch(`https://localhost:${httpsPort}/`))
    expect(error).toBeInstanceOf(CertificateError)
    expect(error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect((error as CertificateError).summary).toBe('The certificate of localhost was issued by “MCP Tray Test Root CA” (Example Corp), which this computer does not trust.')
    expect(error.message).toBe(`${(error as CertificateError).summary} ${error.hint}`)
    expect(error.hint).toContain('NODE_EXTRA_CA_CERTS')
    expect(error.hint).toContain('turn on “Trust the system’s certificates”')
    const viaNode = await failureOf(viaAgent(net, `https://localhost:${httpsPort}/`))
    expect(viaNode.message).toBe(error.message)
  })

  it('trusts it when it is in the system store and the setting is on, and says the store was already trusted when it is not there', async () => {
    const trusted = network({ env: { SSL_CERT_FILE: caFile }, trustSystemCertificates: true })
    expect(await (await trusted.fetch(`https://localhost:${httpsPort}/system`)).text()).toBe('GET /system')
    expect(await viaAgent(trusted, `https://127.0.0.1:${httpsPort}/system-ip`)).toBe('GET /system-ip')

    const elsewhere = createPrivateCa('Another Root', 'Other Corp')
    const otherFile = join(dir, 'other.pem')
    await writeFile(otherFile, elsewhere.cert)
    const error = await failureOf(network({ env: { SSL_CERT_FILE: otherFile }, trustSystemCertificates: true }).fetch(`https://localhost:${httpsPort}/`))
    expect(error.message).toContain('“MCP Tray Test Root CA” (Example Corp)')
    expect(error.hint).toContain('MCP Tray already trusts that store')
  })

  it('says when a certificate is for another name', async () => {
    const leaf = ca.issue(['mcp.example.test'])
    const other = createHttpsServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('wrong'))
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    try {
      const net = network({ env: { SSL_CERT_FILE: caFile }, trustSystemCertificates: true })
      const error = await failureOf(net.fetch(`https://127.0.0.1:${(other.address() as AddressInfo).port}/`))
      expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
      expect((error as CertificateError).summary).toBe('The certificate of 127.0.0.1 is for mcp.example.test, not 127.0.0.1.')
    } finally {
      other.closeAllConnections()
      await new Promise((resolve) => other.close(resolve))
    }
  })
})
