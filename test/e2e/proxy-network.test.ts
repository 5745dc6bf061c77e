import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startForwardProxy, type ForwardProxy } from '../fixtures/net/forward-proxy'
import { createPrivateCa } from '../fixtures/net/private-ca'
import { startRemoteServer, type RemoteServer } from '../fixtures/remote-server'

/** The built CLI, as a client config entry launches it. */
const cli = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')

/**
 * The proxy a client launches, on a network like a company's: the MCP server behind https with a
 * certificate from a private certificate authority, the internet behind a forward proxy.
 */
describe('the proxy on a company network', () => {
  let remote: RemoteServer
  let front: Server
  let url: string
  let dir: string
  let caFile: string
  const proxies: ForwardProxy[] = []
  const clients: Client[] = []

  beforeAll(async () => {
    remote = await startRemoteServer({ authRequired: false })
    const ca = createPrivateCa('MCP Tray Test Root CA', 'Example Corp')
    const leaf = ca.issue(['localhost'])
    dir = await mkdtemp(join(tmpdir(), 'proxy-network-'))
    caFile = join(dir, 'corp-root.pem')
    await writeFile(caFile, ca.cert)
    // TLS in front of the fixture, as a company's gateway would terminate it.
    const upstream = new URL(remote.origin)
    front = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      forward.on('error', () => res.destroy())
      req.pipe(forward)
    })
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
    url = `https://localhost:${(front.address() as AddressInfo).port}/mcp`
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)))
    await Promise.all(proxies.splice(0).map((p) => p.close()))
  })
  afterAll(async () => {
    front.closeAllConnections()
    await new Promise((resolve) => front.close(resolve))
    await remote.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function forwardProxy(): Promise<ForwardProxy> {
    const started = await startForwardProxy()
    proxies.push(started)
    return started
  }

  /** Spawns `mcp-tray proxy <url>` with `env` (and a store of system certificates that holds nothing) and connects a client. */
  async function spawnProxy(env: Record<string, string>): Promise<{ client: Client; stderr: () => string; connected: Promise<void> }> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'proxy', url],
      env: { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: await mkdtemp(join(dir, 'home-')), SSL_CERT_FILE: join(dir, 'none.pem'), SSL_CERT_DIR: join(dir, 'none'), ...env },
      stderr: 'pipe',
    })
    let stderr = ''
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const client = new Client({ name: 'proxy-network-test', version: '1.0.0' })
    clients.push(client)
    return { client, stderr: () => stderr, connected: client.connect(transport) }
  }

  async function connect(env: Record<string, string>): Promise<{ client: Client; stderr: () => string }> {
    const spawned = await spawnProxy(env)
    await spawned.connected
    return spawned
  }

  async function echo(client: Client): Promise<string> {
    const result = (await client.callTool({ name: 'echo', arguments: { text: 'through' } })) as { content: { text: string }[] }
    return result.content[0]!.text
  }

  it('goes through the proxy HTTPS_PROXY names, trusting the CA NODE_EXTRA_CA_CERTS adds', async () => {
    const forward = await forwardProxy()
    const { client } = await connect({ HTTPS_PROXY: forward.url, NODE_EXTRA_CA_CERTS: caFile })
    expect(await echo(client)).toContain('through')
    expect(forward.requests.length).toBeGreaterThan(0)
    expect(new Set(forward.requests.map((r) => `${r.method} ${r.target}`))).toEqual(new Set([`CONNECT ${new URL(url).host}`]))
  })

  it('goes directly when NO_PROXY covers the host, and trusts the CA in the system store', async () => {
    const forward = await forwardProxy()
    const { client } = await connect({ https_proxy: forward.url, no_proxy: 'localhost', SSL_CERT_FILE: caFile })
    expect(await echo(client)).toContain('through')
    expect(forward.requests).toEqual([])
  })

  it('answers with words naming the certificate authority when nothing trusts it', async () => {
    const { connected, stderr } = await spawnProxy({})
    const failure = await connected.then(
      () => 'connected',
      (error: Error) => error.message,
    )
    const said = `${failure}\n${stderr()}`
    expect(said).toContain('issued by “MCP Tray Test Root CA” (Example Corp)')
    expect(said).toContain('NODE_EXTRA_CA_CERTS')
  })
})
