import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startHostileServer, type HostileServer } from '../../fixtures/remote-server/hostile-server'
import { startRawProxyClient, type RawProxyClient } from './raw-proxy-client'

const mib = 1024 * 1024

/** Polls `check` until it holds, or fails after `ms`. */
async function eventually(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`still not so after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * The built proxy against a server that misbehaves (hostile-server.ts): whatever it sends, the
 * proxy stays up, answers every request in words, bounds its memory, and relays the next call.
 */
describe('mcp-tray proxy facing a hostile server', () => {
  let server: HostileServer
  let proxy: RawProxyClient | undefined
  beforeAll(async () => {
    server = await startHostileServer()
  })
  afterEach(async () => {
    await proxy?.close()
    proxy = undefined
  })
  afterAll(async () => {
    await server.close()
  })

  const expectStillRelaying = async (client: RawProxyClient): Promise<void> => {
    expect((await client.callTool('echo', { text: 'next' })).result).toMatchObject({ content: [{ text: 'next' }] })
  }

  it('answers an SSE event over the size limit with an error that says so, and aborts its response', async () => {
    proxy = await startRawProxyClient(server.url, ['--max-message-bytes', String(mib)])
    const started = performance.now()
    const answer = await proxy.callTool('big-event', { bytes: 20 * mib })
    expect(answer.error?.message).toMatch(/answered tools\/call with a message of more than 1 MiB, the most MCP Tray reads from a server, so it stopped reading and closed that connection\. .*--max-message-bytes/)
    expect(answer.error?.data?.code).toBe('upstream_message_too_large')
    expect(performance.now() - started).toBeLessThan(3_000)
    const call = server.calls.findLast((c) => c.tool === 'big-event')!
    await eventually(() => call.closedAt !== undefined)
    // What the kernel's buffers hold besides: the server never got to send the whole 20 MiB.
    expect(call.bytesWritten).toBeLessThan(12 * mib)
    await expectStillRelaying(proxy)
  })

  it('answers a JSON body over the size limit the same way', async () => {
    proxy = await startRawProxyClient(server.url, ['--max-message-bytes', String(mib)])
    const answer = await proxy.callTool('big-json', { bytes: 20 * mib })
    expect(answer.error?.data?.code).toBe('upstream_message_too_large')
    const call = server.calls.findLast((c) => c.tool === 'big-json')!
    await eventually(() => call.closedAt !== undefined)
    await expectStillRelaying(proxy)
  })

  it('stops a data: line that never ends at the default 32 MiB, without growing its memory past it', async () => {
    proxy = await startRawProxyClient(server.url)
    const answer = await proxy.callTool('endless-line', { bytes: 400 * mib }, 20_000)
    expect(answer.error?.message).toMatch(/more than 32 MiB/)
    const call = server.calls.findLast((c) => c.tool === 'endless-line')!
    await eventually(() => call.closedAt !== undefined)
    expect(call.bytesWritten).toBeLessThan(48 * mib)
    const peak = proxy.peakRssBytes()
    if (peak !== undefined) expect(peak).toBeLessThan(300 * mib)
    await expectStillRelaying(proxy)
  })

  it('answers at once, in words, when the server goes away during a tools/call', async () => {
    const doomed = await startHostileServer()
    proxy = await startRawProxyClient(doomed.url)
    try {
      // A stream with an event id: the proxy tries to resume it once, finds the server gone, and says so.
      const call = proxy.callTool('hang')
      await eventually(() => doomed.calls.length === 1)
      const killedAt = performance.now()
      await doomed.kill()
      const answer = await call
      expect(performance.now() - killedAt).toBeLessThan(4_000)
      expect(answer.error?.message).toMatch(/went away while handling tools\/call: .*The tool may have run there, so MCP Tray did not send it again\./)
      expect(answer.error?.message).not.toMatch(/--timeout/)
      expect(answer.error?.data?.code).toBe('upstream_connection_lost')
    } finally {
      await doomed.close()
    }
  })

  it('answers at once when a stream that cannot be resumed breaks, and keeps an answer that came before the break', async () => {
    proxy = await startRawProxyClient(server.url)
    const started = performance.now()
    const dropped = await proxy.callTool('drop', { resumable: false, afterMs: 20 })
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(dropped.error?.data?.code).toBe('upstream_connection_lost')
    expect((await proxy.callTool('answer-then-drop')).result).toMatchObject({ content: [{ text: 'answered' }] })
    await expectStillRelaying(proxy)
  })

  it('closes the response of a request that timed out, and of one the client cancelled', async () => {
    proxy = await startRawProxyClient(server.url, ['--timeout', '500'])
    const timedOut = await proxy.callTool('hang')
    expect(timedOut.error?.data?.code).toBe('upstream_timeout')
    const answeredAt = performance.now()
    const call = server.calls.findLast((c) => c.tool === 'hang')!
    await eventually(() => call.closedAt !== undefined, 2_000)
    expect(call.closedAt! - answeredAt).toBeLessThan(1_000)
    await eventually(() => server.notifications.some((n) => n.method === 'notifications/cancelled'))

    const [id] = proxy.fire('tools/call', () => ({ name: 'hang', arguments: {} }), 1)
    await eventually(() => server.calls.filter((c) => c.tool === 'hang').length === 2)
    const cancelled = server.calls.findLast((c) => c.tool === 'hang')!
    const cancelledAt = performance.now()
    proxy.notify('notifications/cancelled', { requestId: id, reason: 'changed my mind' })
    await eventually(() => cancelled.closedAt !== undefined, 2_000)
    expect(cancelled.closedAt! - cancelledAt).toBeLessThan(1_000)
    await expectStillRelaying(proxy)
  })

  it('stays up and answers every request in words whatever garbage the server sends', async () => {
    proxy = await startRawProxyClient(server.url, ['--timeout', '10000'])
    const tools = ['invalid-json', 'garbage-sse', 'cut-chunk', 'deep']
    const started = performance.now()
    const answers = await Promise.all(tools.map((tool) => proxy!.callTool(tool)))
    expect(performance.now() - started).toBeLessThan(5_000)
    for (const answer of answers) {
      expect(answer.error?.code).toBe(-32000)
      expect(answer.error?.message).toMatch(/may have run there/)
    }
    expect(answers.map((a) => a.error?.data?.code)).toEqual(['upstream_invalid_answer', 'upstream_no_answer', 'upstream_connection_lost', 'upstream_unrelayable'])
    await expectStillRelaying(proxy)
    expect(proxy.stderr()).not.toMatch(/unexpected error/)
  })
})
