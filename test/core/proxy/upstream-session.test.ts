import { describe, expect, it } from 'vitest'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { UpstreamSession, type UpstreamNotice } from '../../../src/core/proxy/upstream-session'

interface Seen {
  readonly method: string
  readonly session: string | null
  readonly status: number
}

/** A scripted Streamable HTTP server without a GET stream, whose first session dies after one call. */
function scriptedServer() {
  const seen: Seen[] = []
  let sessions = 0
  const alive = new Set<string>()
  const fetch = async (_url: string | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers)
    const session = headers.get('mcp-session-id')
    const reply = (status: number, body?: unknown, extra: Record<string, string> = {}) => {
      seen.push({ method: init?.method === 'POST' ? (JSON.parse(String(init.body)) as { method?: string }).method ?? 'response' : init?.method ?? 'GET', session, status })
      return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...extra } })
    }
    if (init?.method !== 'POST') return reply(405)
    const message = JSON.parse(String(init.body)) as { id?: string | number; method?: string }
    if (message.method === 'initialize') {
      const id = `s${(sessions += 1)}`
      alive.add(id)
      return reply(200, { jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'scripted', version: '1' } } }, { 'mcp-session-id': id })
    }
    if (session === null || !alive.has(session)) return reply(404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } })
    if (message.id === undefined) return reply(202)
    if (session === 's1') alive.delete(session) // the first session dies after answering one request
    return reply(200, { jsonrpc: '2.0', id: message.id, result: { session } })
  }
  return { fetch, seen }
}

describe('UpstreamSession', () => {
  it('replays the cached initialize (and log level) on a 404 and retries the request on the new session, invisibly', async () => {
    const server = scriptedServer()
    const received: JSONRPCMessage[] = []
    const notices: UpstreamNotice[] = []
    const session = new UpstreamSession({
      url: new URL('http://scripted/mcp'),
      fetch: server.fetch,
      onmessage: (message) => received.push(message),
      onerror: () => {},
      onnotice: (notice) => notices.push(notice),
    })
    await session.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } } as JSONRPCMessage)
    await session.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage)
    await session.send({ jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'debug' } } as JSONRPCMessage)
    await session.send({ jsonrpc: '2.0', id: 3, method: 'tools/list' } as JSONRPCMessage)
    expect(received.map((m) => (m as { id?: unknown }).id)).toEqual([1, 2, 3])
    expect((received[2] as { result: unknown }).result).toEqual({ session: 's2' })
    expect(server.seen.filter((s) => s.method !== 'GET')).toEqual([
      { method: 'initialize', session: null, status: 200 },
      { method: 'notifications/initialized', session: 's1', status: 202 },
      { method: 'logging/setLevel', session: 's1', status: 200 },
      { method: 'tools/list', session: 's1', status: 404 },
      { method: 'initialize', session: null, status: 200 },
      { method: 'notifications/initialized', session: 's2', status: 202 },
      { method: 'logging/setLevel', session: 's2', status: 200 },
      { method: 'tools/list', session: 's2', status: 200 },
    ])
    expect(notices.map((n) => n.what).filter((what) => what !== 'revision')).toEqual(['session-recovered'])
    await session.close()
    expect(server.seen.at(-1)).toMatchObject({ method: 'DELETE', session: 's2' })
  })

  it('bounds a new session that the server takes and never answers, so later messages try again instead of waiting for ever', async () => {
    const server = scriptedServer()
    let initializes = 0
    // The second initialize (the recovery) is taken and never answered; the third is answered.
    const fetch = (url: string | URL, init?: RequestInit): Promise<Response> => {
      const method = init?.method === 'POST' ? (JSON.parse(String(init.body)) as { method?: string }).method : undefined
      if (method === 'initialize' && ++initializes === 2) {
        return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))
      }
      return server.fetch(url, init)
    }
    const errors: string[] = []
    const session = new UpstreamSession({
      url: new URL('http://scripted/mcp'),
      fetch,
      onmessage: () => {},
      onerror: (error) => errors.push(error.message),
      onnotice: () => {},
      reinitializeTimeoutMs: 300,
    })
    await session.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } } as JSONRPCMessage)
    await session.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage)
    await session.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' } as JSONRPCMessage)
    const started = performance.now()
    await expect(session.send({ jsonrpc: '2.0', id: 3, method: 'tools/list' } as JSONRPCMessage)).rejects.toMatchObject({
      code: 'session_recovery_timeout',
      message: 'The server forgot the session, and starting a new one took longer than 0.3 s (stuck waiting for the answer to initialize).',
      hint: expect.stringContaining('The request was not sent'),
    })
    expect(performance.now() - started).toBeLessThan(2_000)
    await session.send({ jsonrpc: '2.0', id: 4, method: 'tools/list' } as JSONRPCMessage)
    expect(initializes).toBe(3)
    // Closing the stuck attempt aborts its request: that abort is the proxy's own doing, not news.
    expect(errors.filter((message) => /abort/i.test(message))).toEqual([])
    await session.close()
  })

  it('keeps to itself the answer to a renewed subscription that came after it stopped waiting', async () => {
    const server = scriptedServer()
    let subscribes = 0
    const fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
      const method = init?.method === 'POST' ? (JSON.parse(String(init.body)) as { method?: string }).method : undefined
      // The renewal on the new session is answered, but only after the proxy stopped waiting for it.
      if (method === 'resources/subscribe' && ++subscribes === 2) await new Promise((resolve) => setTimeout(resolve, 500))
      return server.fetch(url, init)
    }
    const received: JSONRPCMessage[] = []
    const session = new UpstreamSession({
      url: new URL('http://scripted/mcp'),
      fetch,
      onmessage: (message) => received.push(message),
      onerror: () => {},
      onnotice: () => {},
      reinitializeTimeoutMs: 300,
    })
    await session.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } } as JSONRPCMessage)
    await session.send({ jsonrpc: '2.0', method: 'notifications/initialized' } as JSONRPCMessage)
    await session.send({ jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: 'fixture://greeting' } } as JSONRPCMessage)
    // The first session died after answering the subscribe: this finds it gone and recovers.
    await session.send({ jsonrpc: '2.0', id: 3, method: 'tools/list' } as JSONRPCMessage)
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(subscribes).toBe(2)
    expect(received.map((message) => (message as { id?: unknown }).id)).toEqual([1, 2, 3])
    await session.close()
  })
})
