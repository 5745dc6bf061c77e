import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterEach, describe, expect, it } from 'vitest'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import { Vault } from '../../../src/core/vault/vault'
import { readAllFiles } from '../oauth/engine-harness'
import { cliScript, stopHub } from '../../support/user-home'

const token = 'opaque-bearer-secret-456789'
const apiKey = 'configured-header-secret-123'

/**
 * A server that echoes the credentials it was sent in its error texts, bare (no `Bearer` in front
 * for a pattern to catch): as a JSON-RPC error, and as the body of an HTTP 500.
 */
async function echoingServer(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = []
  const body = async (req: IncomingMessage): Promise<{ id?: unknown; method?: string; params?: { name?: string } }> => {
    let text = ''
    for await (const chunk of req) text += String(chunk)
    return JSON.parse(text) as { id?: unknown; method?: string }
  }
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST') return void res.writeHead(405).end()
      const message = await body(req)
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      const key = String(req.headers['x-api-key'] ?? '')
      seen.push(bearer, key)
      const json = (value: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value))
      if (message.id === undefined) return void res.writeHead(202).end()
      if (message.method === 'initialize') {
        return json({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'echo', version: '1' } } })
      }
      if (message.params?.name === 'http-error') {
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`upstream refused token ${bearer} and key ${key}`)
      }
      json({ jsonrpc: '2.0', id: message.id, error: { code: -32001, message: `invalid credentials: token ${bearer}, key ${key}` } })
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe('a server that echoes the proxy\'s credentials in its error texts', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('never gets the bearer token or a configured header value to stderr or to the log events', async () => {
    const server = await echoingServer()
    cleanups.push(() => server.close())
    const home = await mkdtemp(join(tmpdir(), 'mcp-tray-echo-'))
    cleanups.push(() => rm(home, { recursive: true, force: true }))
    const env = { ...getDefaultEnvironment(), MCP_TRAY_HOME: home }
    await promisify(execFile)(process.execPath, [cliScript, 'add', server.url, '--name', 'echo', '--header', `X-Api-Key: ${apiKey}`], { env })
    // Signed in as far as the hub can tell: a token it hands to the proxy.
    const vault = new Vault(home, await AesGcmFileCipher.open(home))
    await vault.set('server:echo', { serverUrl: server.url, resource: server.url, issuer: 'https://as.invalid', clientId: 'c', scopes: [], state: 'signed-in', tokens: { accessToken: token, tokenType: 'Bearer', issuedAt: Date.now(), expiresAt: Date.now() + 3_600_000 } })
    cleanups.push(() => stopHub(home))

    const transport = new StdioClientTransport({ command: process.execPath, args: [cliScript, 'proxy', 'echo'], env, stderr: 'pipe' })
    let stderr = ''
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const client = new Client({ name: 'stand-in', version: '1.0.0' })
    await client.connect(transport)
    for (const name of ['json-error', 'http-error']) {
      const failed = await client.callTool({ name, arguments: {} }).then(() => 'answered', (error: unknown) => String(error))
      expect(failed).not.toBe('answered')
    }
    await client.close()
    await stopHub(home)

    expect(server.seen).toContain(token)
    expect(server.seen).toContain(apiKey)
    expect(stderr).toContain('[redacted]')
    expect(stderr).not.toContain(token)
    expect(stderr).not.toContain(apiKey)
    const logFiles = (await readAllFiles(join(home, 'logs'))).filter((file) => file.path.endsWith('.jsonl'))
    const logged = logFiles.map((file) => file.content.toString()).join('')
    expect(logged).toContain('[redacted]')
    expect(logged).not.toContain(token)
    expect(logged).not.toContain(apiKey)
  })
})
