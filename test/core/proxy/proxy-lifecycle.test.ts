import { readFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseLogEvent } from '../../../src/core/logs/log-event'
import { initializeLine, spawnRawProxy, tempHome, useFixtureServer } from './spawn-proxy'

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

describe('mcp-tray proxy on raw stdio', () => {
  const fixture = useFixtureServer()

  it('answers a malformed line with a parse error and goes on; exits within a second of EOF and DELETEs the session', async () => {
    const home = tempHome()
    const proxy = spawnRawProxy(fixture.server.mcpUrl, home)
    proxy.child.stdin.write('this is not json\n')
    expect(JSON.parse(await proxy.nextLine())).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringContaining('Parse error') } })
    proxy.child.stdin.write('{"jsonrpc":"2.0","id":"x"}\n')
    expect(JSON.parse(await proxy.nextLine())).toMatchObject({ id: 'x', error: { code: -32600 } })
    proxy.child.stdin.write(initializeLine)
    const init = JSON.parse(await proxy.nextLine())
    expect(init).toMatchObject({ id: 1, result: { protocolVersion: '2025-11-25' } })
    proxy.child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    proxy.child.stdin.write('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"Bearer sekret-token"}}}\n')
    expect(JSON.parse(await proxy.nextLine())).toMatchObject({ id: 2, result: { content: [{ text: 'Bearer sekret-token' }] } })
    const session = fixture.server.knobs.requests.findLast((r) => r.rpcMethod === 'tools/call')?.sessionId
    expect(session).toBeDefined()

    const closed = performance.now()
    proxy.child.stdin.end()
    expect(await proxy.exited).toBe(0)
    expect(performance.now() - closed).toBeLessThan(1000)
    expect(fixture.server.knobs.requests.some((r) => r.httpMethod === 'DELETE' && r.sessionId === session && r.status === 200)).toBe(true)

    const lines = readFileSync(join(home, 'logs', `127.0.0.1-${new URL(fixture.server.mcpUrl).port}.jsonl`), 'utf8').trim().split('\n')
    const events = lines.map((line) => parseLogEvent(line)!)
    expect(events.map((e) => e.outcome)).toEqual(expect.arrayContaining(['rejected', 'sent', 'ok', 'closed']))
    expect(events.find((e) => e.method === 'tools/call' && e.direction === 'to-client')).toMatchObject({ id: 2, latencyMs: expect.any(Number), bytes: expect.any(Number) })
    expect(events.find((e) => e.method === 'tools/call' && e.direction === 'to-server')).toMatchObject({ httpStatus: 200, attempt: 1, session })
    // The event stream opened after `initialized` is no part of that notification's record.
    expect(events.find((e) => e.method === 'notifications/initialized')).toMatchObject({ httpStatus: 202, attempt: 1 })
    expect(lines.join('\n')).not.toContain('sekret-token')
  })

  it('on SIGTERM, DELETEs the session and exits', async () => {
    const proxy = spawnRawProxy(fixture.server.mcpUrl)
    proxy.child.stdin.write(initializeLine)
    await proxy.nextLine()
    const deletesBefore = fixture.server.knobs.requests.filter((r) => r.httpMethod === 'DELETE').length
    proxy.child.kill('SIGTERM')
    await proxy.exited
    expect(fixture.server.knobs.requests.filter((r) => r.httpMethod === 'DELETE').length).toBe(deletesBefore + 1)
    expect(fixture.server.knobs.requests.findLast((r) => r.httpMethod === 'DELETE')?.sessionId).toBeDefined()
  })

  it('says there is no MCP endpoint when neither transport answers at the URL', async () => {
    const proxy = spawnRawProxy(`${fixture.server.origin}/nope`)
    proxy.child.stdin.write(initializeLine)
    const reply = JSON.parse(await proxy.nextLine())
    expect(reply).toMatchObject({ id: 1, error: { code: -32000, data: { httpStatus: 404 } } })
    expect(reply.error.message).toMatch(/answered HTTP 404 to initialize: there is no MCP endpoint at this URL.*Check the server URL/)
    expect(proxy.stderr().trim().split('\n').every((line) => line.startsWith('mcp-tray proxy ('))).toBe(true)
    proxy.child.stdin.end()
    await proxy.exited
  })

  it('tells the client, in words, when nothing listens at the URL', async () => {
    const port = await freePort()
    const proxy = spawnRawProxy(`http://127.0.0.1:${port}/mcp`)
    proxy.child.stdin.write(initializeLine)
    const reply = JSON.parse(await proxy.nextLine())
    expect(reply).toMatchObject({ id: 1, error: { code: -32000 } })
    expect(reply.error.message).toMatch(/Could not connect to 127\.0\.0\.1:\d+: the connection was refused \(tried 5 times\)\. Is the server running/)
    proxy.child.stdin.end()
    await proxy.exited
  })

  it('keeps retrying a refused connection until the server comes up', async () => {
    const port = await freePort()
    const proxy = spawnRawProxy(`http://127.0.0.1:${port}/mcp`)
    proxy.child.stdin.write(initializeLine)
    await new Promise((resolve) => setTimeout(resolve, 300))
    // The server "comes up": a TCP forwarder to the fixture starts listening on the port.
    const upstreamPort = Number(new URL(fixture.server.mcpUrl).port)
    const forwarder = createServer((socket) => socket.pipe(connect(upstreamPort, '127.0.0.1')).pipe(socket))
    await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', resolve))
    try {
      expect(JSON.parse(await proxy.nextLine())).toMatchObject({ id: 1, result: { serverInfo: { name: 'mcp-tray-fixture' } } })
      proxy.child.stdin.end()
      expect(await proxy.exited).toBe(0)
    } finally {
      forwarder.close()
    }
  })
})
