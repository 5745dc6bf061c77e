import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createParser } from 'eventsource-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboardTokenPath } from '../../../src/core/dashboard/dashboard-token'
import { hubAddressFor } from '../../../src/core/hub/hub-address'
import { connectToHub } from '../../../src/core/hub/hub-client'
import { startTrayHub, type TrayHub } from '../../../src/core/hub/tray-hub'
import { CommandBrowserOpener } from '../../../src/core/oauth/browser-opener'
import { createOAuthEngine } from '../../../src/core/oauth/oauth-engine'
import { openConfStore } from '../../../src/core/registry/registry-store'
import { ServerRegistry } from '../../../src/core/registry/server-registry'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import type { DashboardEvent } from '../../../src/shared/dashboard-events'
import type { LogEvent } from '../../../src/shared/log-model'

async function startHeadless(home: string, port = 0): Promise<TrayHub> {
  const rendererDir = join(home, 'renderer')
  await mkdir(rendererDir, { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>MCP Tray</title>')
  const registry = new ServerRegistry(openConfStore(home))
  const engine = createOAuthEngine({ dataDir: home, cipher: await AesGcmFileCipher.open(home), browser: new CommandBrowserOpener('true'), settings: registry.settings() })
  return startTrayHub({ dataDir: home, shell: 'headless', registry, engine, rendererDir, dashboardPort: port })
}

function logEvent(server: string, id: number): LogEvent {
  return { time: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(), server, direction: 'to-server', kind: 'request', method: 'tools/call', id, outcome: 'sent' }
}

/** Reads an SSE stream until `count` message events arrived (or `ms` passed); returns them with the last id. */
async function readEvents(url: string, token: string, count: number, lastEventId?: string, ms = 5_000): Promise<{ events: DashboardEvent[]; lastId: string }> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), ms)
  const events: DashboardEvent[] = []
  let lastId = ''
  try {
    const response = await fetch(new URL('/api/events', url), {
      headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    let done = false
    const parser = createParser({
      onEvent(message) {
        if (message.id) lastId = message.id
        if (message.event === 'message') events.push(JSON.parse(message.data) as DashboardEvent)
        if (message.event === 'hello' && count === 0) done = true
        if (events.length >= count && count > 0) done = true
      },
    })
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    while (!done) {
      const { value, done: ended } = await reader.read()
      if (ended) break
      parser.feed(value)
    }
    controller.abort()
  } catch (error) {
    if (!controller.signal.aborted) throw error
  } finally {
    clearTimeout(timer)
  }
  return { events, lastId }
}

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Written without ending our side: a server may drop a request whose client half-closed.
    const socket = connect(port, '127.0.0.1', () => socket.write(text.replace('\r\n', '\r\nconnection: close\r\n')))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString()))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
    socket.setTimeout(5_000, () => socket.destroy())
  })
}

describe('the headless dashboard bridge', () => {
  let home: string
  let hub: TrayHub
  let origin: string
  let token: string
  const call = (method: string, args: unknown[], headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    fetch(`${origin}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) })

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-dashhttp-'))
    hub = await startHeadless(home)
    const url = new URL(hub.dashboard!.url)
    origin = url.origin
    token = new URLSearchParams(url.hash.slice(1)).get('token')!
  })
  afterAll(async () => {
    await hub.close()
    await rm(home, { recursive: true, force: true })
  })

  it('prints an address that carries the access token in the fragment, kept in a 0600 file', async () => {
    expect(hub.dashboard!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/)
    expect((await stat(dashboardTokenPath(home))).mode & 0o777).toBe(0o600)
  })

  it('answers a call with the token, and nothing without it or with another', async () => {
    const ok = await call('getAppInfo', [])
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ name: 'MCP Tray', shell: 'headless', secretStorage: { weak: true } })
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nope' }, { authorization: `Basic ${token}` }, { authorization: `Bearer ${token}x` }]) {
      const refused = await call('listServers', [], headers)
      expect(refused.status).toBe(401)
      expect(await refused.json()).toMatchObject({ code: 'dashboard_token', hint: expect.stringContaining('mcp-tray serve') })
    }
    const stream = await fetch(`${origin}/api/events`)
    expect(stream.status).toBe(401)
  })

  it('refuses another origin or host even with the token, and sends no CORS headers', async () => {
    const foreign = await call('getAppInfo', [], { authorization: `Bearer ${token}`, origin: 'http://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const port = new URL(origin).port
    expect(await rawRequest(Number(port), `POST /api/getAppInfo HTTP/1.1\r\nhost: evil.example:${port}\r\nauthorization: Bearer ${token}\r\ncontent-length: 2\r\n\r\n[]`)).toMatch(/^HTTP\/1.1 421/)
  })

  it('answers malformed paths and requests and keeps serving', async () => {
    const port = Number(new URL(origin).port)
    expect(await rawRequest(port, `GET /% HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/)
    expect(await rawRequest(port, `GET /%E0%A4%A HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/)
    expect(await rawRequest(port, `GET /../../etc/passwd HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1.1 404/)
    expect(await rawRequest(port, 'NONSENSE\r\n\r\n')).toMatch(/^HTTP\/1.1 400/)
    expect(await rawRequest(port, `POST /api/getAppInfo HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${token}\r\ncontent-length: 5\r\n\r\n{"a":`)).toMatch(/^HTTP\/1.1 400/)
    const bad = await call('recentLogs', [{ server: 'a' }])
    expect(bad.status).toBe(400)
    expect((await call('getAppInfo', [])).status).toBe(200)
    expect((await fetch(`${origin}/`)).status).toBe(200)
  })

  it('streams log events, and a page that reconnects gets exactly what it missed', async () => {
    const first = readEvents(origin, token, 1)
    // Let the stream open before anything is published.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const proxy = await connectToHub(hubAddressFor(home), 'proxy')
    try {
      await proxy.call('logs', { server: 'a', events: [logEvent('a', 1)] })
      const { events, lastId } = await first
      expect(events).toEqual([expect.objectContaining({ type: 'logs', events: [expect.objectContaining({ id: 1 })] })])
      // The page is away while two more batches arrive.
      await proxy.call('logs', { server: 'a', events: [logEvent('a', 2)] })
      await proxy.call('logs', { server: 'a', events: [logEvent('a', 3)] })
      const resumed = await readEvents(origin, token, 2, lastId)
      const ids = resumed.events.flatMap((e) => (e.type === 'logs' ? e.events.map((l) => l.id) : []))
      expect(ids).toEqual([2, 3])
      // Nothing new since: a reconnection gets nothing twice.
      const again = await readEvents(origin, token, 1, resumed.lastId, 800)
      expect(again.events.filter((e) => e.type === 'logs')).toEqual([])
    } finally {
      proxy.close()
    }
  })

  it('tells a page it cannot resume (another run, a made-up id) to load everything again', async () => {
    for (const id of ['otherrun.3', 'garbage', `${'x'.repeat(20)}.99999999`]) {
      const { events } = await readEvents(origin, token, 1, id)
      expect(events).toEqual([{ type: 'resync' }])
    }
  })
})

describe('the dashboard port', () => {
  it('stays the same between runs, and moves to a free one when taken', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-tray-dashport-'))
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const taken = (blocker.address() as { port: number }).port
    try {
      const hub = await startHeadless(home, taken)
      const url = hub.dashboard!.url
      expect(new URL(url).port).not.toBe(String(taken))
      expect(hub.dashboard!.movedFrom).toBe(taken)
      await hub.close()
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
      const again = await startHeadless(home, taken)
      expect(new URL(again.dashboard!.url).port).toBe(String(taken))
      // The same token, so that an open page and a bookmark keep working.
      expect(new URL(again.dashboard!.url).hash).toBe(new URL(url).hash)
      await again.close()
    } finally {
      blocker.close()
      await rm(home, { recursive: true, force: true })
    }
  })
})
