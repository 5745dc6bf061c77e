import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { StdioLines, type RejectedLine } from '../../../src/core/proxy/stdio-lines'

function harness(maxLineBytes?: number) {
  const input = new PassThrough()
  const output = new PassThrough()
  const lines = new StdioLines({ input, output, maxLineBytes })
  const messages: unknown[] = []
  const rejected: RejectedLine[] = []
  const written: unknown[] = []
  let closed: string | undefined
  output.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line !== '') written.push(JSON.parse(line))
  })
  lines.onmessage = (message) => messages.push(message)
  lines.onrejected = (line) => rejected.push(line)
  lines.onclose = (reason) => {
    closed = reason
  }
  lines.start()
  return { input, messages, rejected, written, closed: () => closed }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('StdioLines', () => {
  it('reassembles messages split across chunks, and takes CRLF and blank lines', async () => {
    const h = harness()
    h.input.write('{"jsonrpc":"2.0","id":1,')
    h.input.write('"method":"ping"}\r\n\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n{"jsonrpc":"2.0","id":2,"result":{}}\n')
    await tick()
    expect(h.messages).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, result: {} },
    ])
  })

  it('drops a line over the size bound with an error, then goes on', async () => {
    const h = harness(1024)
    h.input.write(`{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":"${'y'.repeat(600)}`)
    h.input.write(`${'y'.repeat(600)}"}}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n`)
    await tick()
    expect(h.rejected).toMatchObject([{ reason: 'too-large' }])
    expect(h.written).toMatchObject([{ id: null, error: { code: -32600, message: expect.stringContaining('more than') } }])
    expect(h.messages).toEqual([{ jsonrpc: '2.0', id: 2, method: 'ping' }])
  })

  it('answers a line that is not JSON with -32700 and id null', async () => {
    const h = harness()
    h.input.write('{oops\n[1,2]\n')
    await tick()
    expect(h.written).toMatchObject([{ id: null, error: { code: -32700 } }, { id: null, error: { code: -32600 } }])
    expect(h.messages).toEqual([])
  })

  it('reports the end of stdin', async () => {
    const h = harness()
    h.input.end()
    await tick()
    expect(h.closed()).toBe('stdin closed')
  })
})
