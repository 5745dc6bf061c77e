import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import { startRemoteServer, type RemoteServer } from '../fixtures/remote-server'
import { signInBrowserCommand } from '../fixtures/remote-server/browser-command'

const cliScript = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')
const run = promisify(execFile)

/**
 * The whole path a Claude Desktop user takes: a server added, two proxies launched at once for it
 * (as Claude Desktop does), one sign-in run by the hub they start, then refresh when the token expires.
 */
describe('proxies signing in through the hub', () => {
  let server: RemoteServer
  let home: string
  let env: Record<string, string>

  beforeAll(async () => {
    server = await startRemoteServer({ accessTokenTtlSeconds: 2 })
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-signin-'))
    env = { ...getDefaultEnvironment(), MCP_TRAY_HOME: home, BROWSER: signInBrowserCommand() }
    await run(process.execPath, [cliScript, 'add', server.mcpUrl, '--name', 'fixture'], { env })
  })
  afterAll(async () => {
    const hub = await connectToHub(hubAddressFor(home), 'cli').catch(() => undefined)
    if (hub) {
      hub.close()
      process.kill(hub.hubPid, 'SIGTERM')
    }
    await server.close()
    await rm(home, { recursive: true, force: true })
  })

  function proxyClient(): { client: Client; transport: StdioClientTransport } {
    const transport = new StdioClientTransport({ command: process.execPath, args: [cliScript, 'proxy', 'fixture'], env, stderr: 'pipe' })
    return { client: new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' }), transport }
  }

  it('signs in once for two proxies started together, and refreshes an expired token invisibly', async () => {
    const a = proxyClient()
    const b = proxyClient()
    await Promise.all([a.client.connect(a.transport), b.client.connect(b.transport)])
    try {
      const [whoA, whoB] = await Promise.all([
        a.client.callTool({ name: 'whoami', arguments: {} }),
        b.client.callTool({ name: 'whoami', arguments: {} }),
      ])
      expect(whoA.structuredContent).toMatchObject({ subject: 'alice' })
      expect(whoB.structuredContent).toMatchObject({ subject: 'alice' })
      expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(1)

      await new Promise((resolve) => setTimeout(resolve, 2_500))
      const echoed = await a.client.callTool({ name: 'echo', arguments: { text: 'still here' } })
      expect(echoed).toMatchObject({ content: [{ type: 'text', text: 'still here' }] })
      expect(server.knobs.tokenRequests('refresh_token').length).toBeGreaterThanOrEqual(1)
      expect(server.knobs.requests.filter((r) => r.path === '/mcp' && !r.hasBearer && r.status !== 401)).toEqual([])
    } finally {
      await Promise.all([a.client.close(), b.client.close()])
    }
  }, 60_000)

  it('answers with a sign-in-needed error, naming the server, when the grant was revoked', async () => {
    const { client, transport } = proxyClient()
    await client.connect(transport)
    try {
      await server.knobs.revokeGrants()
      const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: unknown) => e)
      expect(String(error)).toMatch(/fixture/)
      expect(String(error)).toMatch(/sign-in/i)
      expect(String(error)).toMatch(/mcp-tray login fixture|Connect/)
    } finally {
      await client.close()
    }
  }, 60_000)
})
