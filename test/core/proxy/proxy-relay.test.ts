import { CreateMessageRequestSchema, ElicitRequestSchema, LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { connectThroughProxy, textOf, useFixtureServer } from './spawn-proxy'
import { expectFixtureSurface } from '../../support/fixture-surface'

describe('mcp-tray proxy, driven like Claude Desktop drives it', () => {
  const fixture = useFixtureServer()
  beforeEach(() => {
    fixture.server.knobs.latencyMs.clear()
    fixture.server.knobs.failNext(0)
    fixture.server.knobs.getStreamStatus = undefined
  })

  it('relays initialize, tools, resources and prompts', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    await expectFixtureSurface(client, 2_000_000)
    const posts = fixture.server.knobs.requests.filter((r) => r.httpMethod === 'POST' && r.rpcMethod === 'tools/call')
    expect(posts.every((r) => r.sessionId !== undefined && r.protocolVersion === '2025-11-25')).toBe(true)
    await client.close()
  })

  it('relays progress, elicitation, sampling and server notifications both ways', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { answer: '42' } }))
    client.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'test-model' }))
    const logged: unknown[] = []
    let listChanged = 0
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logged.push(n.params.data))
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (listChanged += 1))
    const progress: number[] = []
    await client.callTool({ name: 'slow', arguments: { ms: 350 } }, undefined, { onprogress: (p) => progress.push(p.progress) })
    expect(progress.length).toBeGreaterThanOrEqual(3)
    expect(textOf(await client.callTool({ name: 'ask', arguments: { question: 'answer?' } }))).toContain('42')
    expect(textOf(await client.callTool({ name: 'sample', arguments: { prompt: 'hi' } }))).toContain('sampled')
    await client.callTool({ name: 'notify', arguments: { message: 'hello from the server' } })
    await expect.poll(() => logged).toContain('hello from the server')
    await expect.poll(() => listChanged).toBeGreaterThanOrEqual(1)
    await client.close()
  })

  it('recovers an expired session without the client noticing', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'before' } }))).toBe('before')
    const initializesBefore = fixture.server.knobs.requests.filter((r) => r.rpcMethod === 'initialize').length
    const expiredAt = Date.now()
    await fixture.server.knobs.expireSessions()
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'after' } }))).toBe('after')
    expect(fixture.server.knobs.requests.filter((r) => r.rpcMethod === 'initialize').length).toBe(initializesBefore + 1)
    // Found gone by the call's POST or, first, by the GET stream (upstream-session.test.ts pins the POST path).
    expect(fixture.server.knobs.requests.some((r) => r.status === 404 && r.at >= expiredAt)).toBe(true)
    await client.close()
  })

  it('finishes a session recovery that a call started, when the client cancels that call meanwhile', async () => {
    // No event stream, so the call, not the stream, finds the session gone.
    fixture.server.knobs.getStreamStatus = 405
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    await client.listTools()
    const initializes = () => fixture.server.knobs.requests.filter((r) => r.rpcMethod === 'initialize').length
    const initializesBefore = initializes()
    await fixture.server.knobs.expireSessions()
    fixture.server.knobs.setLatency('initialize', 600)
    const cancel = new AbortController()
    const call = client.callTool({ name: 'echo', arguments: { text: 'cancelled' } }, undefined, { signal: cancel.signal })
    setTimeout(() => cancel.abort('changed my mind'), 200)
    await expect(call).rejects.toThrow()
    await expect.poll(initializes, { timeout: 3000 }).toBe(initializesBefore + 1)
    fixture.server.knobs.setLatency('initialize', 0)
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'after' } }))).toBe('after')
    expect(initializes()).toBe(initializesBefore + 1)
    await client.close()
  })

  it('recovers an expired session on its own when the server stream finds it gone', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    const logged: unknown[] = []
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logged.push(n.params.data))
    await client.listTools()
    const initializesBefore = fixture.server.knobs.requests.filter((r) => r.rpcMethod === 'initialize').length
    const expiredAt = Date.now()
    await fixture.server.knobs.expireSessions()
    // Nothing sent by the client: the proxy's GET stream reconnects, gets 404, and re-initializes.
    await expect
      .poll(() => fixture.server.knobs.requests.filter((r) => r.rpcMethod === 'initialize').length, { timeout: 5000 })
      .toBe(initializesBefore + 1)
    await client.callTool({ name: 'notify', arguments: { message: 'after recovery' } })
    await expect.poll(() => logged).toContain('after recovery')
    // The client's call went straight to the new session: no POST of it met the dead one.
    expect(fixture.server.knobs.requests.filter((r) => r.status === 404 && r.httpMethod === 'POST' && r.at >= expiredAt)).toHaveLength(0)
    await client.close()
  })

  it('resumes a cut SSE response with Last-Event-ID and runs the tool once', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    const before = fixture.server.knobs.toolCallCount('slow')
    fixture.server.knobs.cutNextSseResponses(1)
    const result = await client.callTool({ name: 'slow', arguments: { ms: 400 } }, undefined, { onprogress: () => {} })
    expect(textOf(result)).toBe('slept 400 ms')
    expect(fixture.server.knobs.requests.some((r) => r.httpMethod === 'GET' && r.lastEventId !== undefined)).toBe(true)
    expect(fixture.server.knobs.toolCallCount('slow')).toBe(before + 1)
    await client.close()
  })

  it('answers a request the server sits on with a timeout error, and cancels it upstream', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl, { args: ['--timeout', '500'] })
    const started = performance.now()
    const call = client.callTool({ name: 'slow', arguments: { ms: 5000 } })
    await expect(call).rejects.toThrow(/127\.0\.0\.1-\d+ did not answer tools\/call within 0\.5 s .*cancel/)
    expect(performance.now() - started).toBeLessThan(2000)
    await expect.poll(() => fixture.server.knobs.requests.some((r) => r.rpcMethod === 'notifications/cancelled')).toBe(true)
    await expect.poll(() => fixture.server.knobs.cancelledRequests.length, { timeout: 3000 }).toBeGreaterThanOrEqual(1)
    // the relay goes on
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'still here' } }))).toBe('still here')
    await client.close()
  })

  it('cancels upstream a request that timed out after its progress stopped', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl, { args: ['--timeout', '500'] })
    let progress = 0
    const since = Date.now()
    const call = client.callTool({ name: 'slow', arguments: { ms: 5000, progressMs: 300 } }, undefined, { onprogress: () => (progress += 1) })
    await expect(call).rejects.toThrow(/did not answer tools\/call within 0\.5 s/)
    expect(progress).toBeGreaterThanOrEqual(1)
    await expect.poll(() => fixture.server.knobs.requests.some((r) => r.at >= since && r.rpcMethod === 'notifications/cancelled' && r.status === 202), { timeout: 3000 }).toBe(true)
    await client.close()
  })

  it('retries a read after a 503, but never resends a tools/call that may have run', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    fixture.server.knobs.failNext(1, 503)
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)
    const before = fixture.server.knobs.toolCallCount('add')
    fixture.server.knobs.failNext(1, 503)
    await expect(client.callTool({ name: 'add', arguments: { a: 1, b: 1 } })).rejects.toThrow(/HTTP 503 to tools\/call.*did not send it again/)
    expect(fixture.server.knobs.toolCallCount('add')).toBe(before)
    expect(fixture.server.knobs.requests.filter((r) => r.rpcMethod === 'tools/call' && r.status === 503)).toHaveLength(1)
    expect(await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } })).toMatchObject({ structuredContent: { sum: 2 } })
    expect(fixture.server.knobs.toolCallCount('add')).toBe(before + 1)
    await client.close()
  })

  it('reopens the legacy HTTP+SSE stream after it drops, long after the initialize that opened it', async () => {
    const { client } = await connectThroughProxy(fixture.server.sseUrl)
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'before' } }))).toBe('before')
    const legacyGets = () => fixture.server.knobs.requests.filter((r) => r.httpMethod === 'GET' && r.path.startsWith('/sse'))
    const before = legacyGets().length
    expect(fixture.server.knobs.cutGetStreams()).toBe(1)
    await expect.poll(() => legacyGets().length, { timeout: 8_000 }).toBeGreaterThan(before)
    await expect.poll(() => fixture.server.knobs.getStreams.size, { timeout: 3_000 }).toBe(1)
    await client.close()
  }, 15_000)

  it('falls back to the legacy HTTP+SSE transport when POST initialize gets 405', async () => {
    const { client, stderr } = await connectThroughProxy(fixture.server.sseUrl)
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo')
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'old' } }))).toBe('old')
    expect(stderr()).toContain('2024-11-05')
    await client.close()
  })
})
