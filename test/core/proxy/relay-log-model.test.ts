import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { LogRing } from '../../../src/core/logs/log-ring'
import { Relay } from '../../../src/core/proxy/relay'
import { NoAuthTokenSource } from '../../../src/core/proxy/token-source'
import { initializeLine, useFixtureServer } from './spawn-proxy'

const line = (message: object) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`

describe('what the relay logs', () => {
  const fixture = useFixtureServer()

  it('names the tool on every row of a call, marks a tool error as one, and logs a dropped stream as an error', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    const ring = new LogRing(1000)
    const relay = new Relay({ url: new URL(fixture.server.mcpUrl), server: 'fx', input, output, diagnostics: new PassThrough(), tokens: new NoAuthTokenSource(), sink: ring, timeoutMs: 1_500 })
    let stdout = ''
    output.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    const answered = (id: number) => stdout.split('\n').some((l) => l.startsWith('{') && (JSON.parse(l) as { id?: number }).id === id)
    const rows = () => ring.events('fx')
    relay.start()
    try {
      input.write(initializeLine)
      await expect.poll(() => answered(1), { timeout: 5_000 }).toBe(true)
      input.write(line({ method: 'notifications/initialized' }))
      await expect.poll(() => fixture.server.knobs.getStreams.size, { timeout: 5_000 }).toBe(1)

      input.write(line({ id: 2, method: 'tools/call', params: { name: 'fail', arguments: {} } }))
      input.write(line({ id: 3, method: 'tools/call', params: { name: 'slow', arguments: { ms: 5_000 } } }))
      input.write(line({ id: 4, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }))
      await expect.poll(() => answered(2) && answered(3) && answered(4), { timeout: 5_000 }).toBe(true)
      await expect.poll(() => rows().some((e) => e.method === 'notifications/cancelled'), { timeout: 5_000 }).toBe(true)

      const ofCall = (id: number) => rows().filter((e) => e.id === id).map((e) => [e.direction, e.kind, e.tool, e.outcome])
      expect(ofCall(2)).toEqual([
        ['to-server', 'request', 'fail', 'sent'],
        ['to-client', 'response', 'fail', 'tool-error'],
      ])
      expect(ofCall(3)).toEqual([
        ['to-server', 'request', 'slow', 'sent'],
        ['to-client', 'error', 'slow', 'timeout'],
        ['to-server', 'notification', 'slow', 'sent'],
      ])
      expect(ofCall(4)).toEqual([
        ['to-server', 'request', 'echo', 'sent'],
        ['to-client', 'response', 'echo', 'ok'],
      ])
      expect(rows().every((e) => e.pid === process.pid)).toBe(true)
      expect(rows().filter((e) => e.method === 'initialize').every((e) => e.tool === undefined)).toBe(true)

      // The server's event stream drops, and cannot be had back for a while.
      fixture.server.knobs.failNext(1, 500)
      fixture.server.knobs.cutGetStreams()
      await expect.poll(() => rows().find((e) => e.method === 'stream-lost')?.outcome, { timeout: 10_000 }).toBe('error')
    } finally {
      input.end()
      await relay.done
    }
  }, 30_000)
})
