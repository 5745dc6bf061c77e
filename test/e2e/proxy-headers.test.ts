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
import { readAllFiles } from '../core/oauth/engine-harness'
import { startRemoteServer, type RemoteServer } from '../fixtures/remote-server'

const cliScript = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')
const run = promisify(execFile)

/**
 * A server reached with a key in a header (as `mcp-remote --header` users have): the value is
 * stored encrypted, handed to the proxy by the hub, and sent with every request.
 */
describe('a server with extra headers', () => {
  let server: RemoteServer
  let home: string
  let env: Record<string, string>

  beforeAll(async () => {
    server = await startRemoteServer({ authRequired: false })
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-headers-'))
    env = { ...getDefaultEnvironment(), MCP_TRAY_HOME: home }
    await run(process.execPath, [cliScript, 'add', server.mcpUrl, '--name', 'keyed', '--header', 'X-Api-Key: key-value-4711'], { env })
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

  it('sends them with every request through the proxy, and keeps the value out of every file', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [cliScript, 'proxy', 'keyed'], env, stderr: 'pipe' })
    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' })
    await client.connect(transport)
    try {
      expect(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).toMatchObject({ content: [{ type: 'text', text: 'hi' }] })
    } finally {
      await client.close()
    }
    const posts = server.knobs.requests.filter((r) => r.httpMethod === 'POST')
    expect(posts.length).toBeGreaterThanOrEqual(3)
    for (const request of posts) expect(request.extraHeaders).toMatchObject({ 'x-api-key': 'key-value-4711' })
    const files = await readAllFiles(home)
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([expect.stringMatching(/vault\.json$/), expect.stringMatching(/registry\.json$/)]))
    for (const file of files) expect(file.content.includes('key-value-4711'), `${file.path} holds the key`).toBe(false)
  }, 30_000)
})
