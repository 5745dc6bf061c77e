/**
 * The MCP Tray OAuth engine as a client of `@modelcontextprotocol/conformance` (client mode):
 * `node --import tsx conformance-client.ts <server URL>`, with MCP_CONFORMANCE_SCENARIO and
 * MCP_CONFORMANCE_CONTEXT in the environment. The engine signs in (the mock authorization server
 * approves at once, so the "browser" just follows the redirect to our loopback callback), then the
 * SDK's Client connects with the engine's bearer token, lists tools and calls each of them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createOAuthEngine } from '../../../src/core/oauth/oauth-engine'
import { clientSecretKey } from '../../../src/core/oauth/server-auth-record'
import { parseBearerChallenge } from '../../../src/core/oauth/www-authenticate'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import { describeError } from '../../../src/shared/tray-error'

const url = process.argv.at(-1) ?? ''
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as { client_id?: string; client_secret?: string }
const tempDir = await mkdtemp(join(tmpdir(), 'conformance-'))
const dataDir = join(tempDir, 'data')
const engine = createOAuthEngine({
  dataDir,
  cipher: await AesGcmFileCipher.open(dataDir),
  browser: { open: async (authorizationUrl) => void (await fetch(authorizationUrl)) },
  settings: { callbackPort: 0, signInTimeoutMs: 10_000 },
  clientMetadataUrl: 'https://conformance-test.local/client-metadata.json',
  onProgress: (message) => process.stderr.write(`${message}\n`),
})
const server = { name: 'conformance', url, headers: {}, ...(context.client_id ? { clientId: context.client_id } : {}) }
if (context.client_secret) await engine.vault.set(clientSecretKey(server.name), { clientSecret: context.client_secret })

/** fetch with the engine's token; a 401 or 403 insufficient_scope signs in (again) and retries. */
const authedFetch: typeof fetch = async (input, init) => {
  for (let attempt = 0; ; attempt += 1) {
    const token = await engine.tokens.getAccessToken(server.name).catch(() => undefined)
    const headers = new Headers(init?.headers)
    if (token) headers.set('authorization', `Bearer ${token}`)
    const response = await fetch(input, { ...init, headers })
    const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))
    const stepUp = response.status === 403 && challenge?.error === 'insufficient_scope'
    if ((response.status !== 401 && !stepUp) || attempt >= 4) return response
    await engine.signIn.run(server, { challenge: challenge ?? {} })
  }
}

let failed = false
try {
  const client = new Client({ name: 'mcp-tray-conformance', version: '0.1.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: authedFetch }))
  const { tools } = await client.listTools()
  for (const tool of tools) await client.callTool({ name: tool.name, arguments: {} }).catch(() => undefined)
  await client.close()
} catch (error) {
  process.stderr.write(`conformance client: ${describeError(error)}\n`)
  failed = true
} finally {
  await rm(tempDir, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
