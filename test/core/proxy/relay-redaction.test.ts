import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { LogRing } from '../../../src/core/logs/log-ring'
import { Relay } from '../../../src/core/proxy/relay'
import { NoAuthTokenSource } from '../../../src/core/proxy/token-source'
import { initializeLine } from './spawn-proxy'

describe('Relay errors', () => {
  it('keep a credential an upstream error carried out of the client’s answer, stderr and the log', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    const diagnostics = new PassThrough()
    const ring = new LogRing(50)
    const secret = 'sekret-abc.def-123'
    const relay = new Relay({
      url: new URL('http://127.0.0.1:9/mcp'),
      server: 'demo',
      input,
      output,
      diagnostics,
      tokens: new NoAuthTokenSource(),
      sink: ring,
      fetch: async () => {
        throw new Error(`proxy in the way refused Authorization: Bearer ${secret}`)
      },
    })
    let stdout = ''
    let stderr = ''
    output.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    diagnostics.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    relay.start()
    input.write(initializeLine)
    await expect.poll(() => stdout.includes('"error"'), { timeout: 5_000 }).toBe(true)
    input.end()
    await relay.done
    expect(stdout).toContain('Bearer')
    expect(stdout).not.toContain(secret)
    expect(stderr).not.toContain(secret)
    const events = ring.events('demo')
    expect(events.length).toBeGreaterThan(0)
    expect(JSON.stringify(events)).not.toContain(secret)
  })
})
