import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CommandBrowserOpener, type BrowserOpener } from '../../../src/core/oauth/browser-opener'
import { createOAuthEngine, type OAuthEngine, type OAuthEngineOptions } from '../../../src/core/oauth/oauth-engine'
import type { ServerEntry } from '../../../src/core/registry/server-entry'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import { afterEach } from 'vitest'
import { startRemoteServer, type RemoteServer, type RemoteServerOptions } from '../../fixtures/remote-server'
import { signInBrowserCommand } from '../../fixtures/remote-server/browser-command'

/** A fresh data dir and engine whose "browser" signs in over HTTP (the fixture's walker via BROWSER). */
export async function testEngine(
  overrides: Partial<OAuthEngineOptions> = {},
): Promise<OAuthEngine & { dataDir: string; progress: string[] }> {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'oauth-')), 'data')
  const progress: string[] = []
  const engine = createOAuthEngine({
    dataDir,
    cipher: await AesGcmFileCipher.open(dataDir),
    browser: new CommandBrowserOpener(signInBrowserCommand()),
    settings: { callbackPort: 0, signInTimeoutMs: 20_000 },
    ...overrides,
  })
  engine.signIn.onProgress((m) => progress.push(m))
  return { ...engine, dataDir, progress }
}

export function serverEntry(url: string, extra: Partial<ServerEntry> = {}): ServerEntry {
  return { name: 'fixture', url, ...extra }
}

/** A browser that records the URL and lets the test decide what to do with it. */
export function recordingBrowser(onOpen: (url: string) => void | Promise<void>): BrowserOpener {
  return { open: async (url) => void (await onOpen(url)) }
}

/** Every file under `dir` with its content, for plaintext scans. */
export async function readAllFiles(dir: string): Promise<{ path: string; content: Buffer }[]> {
  const out: { path: string; content: Buffer }[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out.push({ path, content: await readFile(path) })
  }
  return out
}

/** A tool call with the bearer token, returning the HTTP status (Streamable HTTP, no session needed for a 401/403 check). */
export async function initializeWith(mcpUrl: string, token: string): Promise<Response> {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } },
    }),
  })
}

export interface RecordedCall {
  readonly url: string
  readonly method: string
  readonly body: string
  readonly headers: Headers
}

/** A `fetch` that records every request the engine makes (for checking parameters) and can answer some itself. */
export function recordingFetch(intercept?: (call: RecordedCall) => Response | undefined): { fetch: typeof fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = []
  const wrapped: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const body = init?.body === undefined || init.body === null ? '' : await request.clone().text()
    const call = { url: request.url, method: request.method, body, headers: request.headers }
    calls.push(call)
    return intercept?.(call) ?? fetch(input, init)
  }
  return { fetch: wrapped, calls }
}

/** A port that was free a moment ago (for pre-registered redirect URIs in tests). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Fixture servers started by one test file, all closed after each test. Call at the top of a describe/file. */
export function useFixtureServers(): (options?: RemoteServerOptions) => Promise<RemoteServer> {
  const servers: RemoteServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  return async (options = {}) => {
    const server = await startRemoteServer(options)
    servers.push(server)
    return server
  }
}
