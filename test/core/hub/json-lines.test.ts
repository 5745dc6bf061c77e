import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonLineSplitter } from '../../../src/core/hub/json-lines'

function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let start = 0
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point))
    start = point
  }
  return chunks
}

function collect(maxBytes: number) {
  const messages: unknown[] = []
  const invalid: string[] = []
  const splitter = new JsonLineSplitter(() => maxBytes, { onMessage: (m) => messages.push(m), onInvalid: (r) => invalid.push(r) })
  return { splitter, messages, invalid }
}

describe('JsonLineSplitter', () => {
  it('gives back every JSON value sent, however the bytes are cut (inside a UTF-8 character too)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (values, cuts) => {
          const { splitter, messages, invalid } = collect(1 << 20)
          const bytes = Buffer.from(values.map((value) => `${JSON.stringify(value)}\n`).join(''))
          for (const chunk of split(bytes, cuts)) splitter.push(chunk)
          expect(invalid).toEqual([])
          expect(messages).toEqual(values.map((value) => JSON.parse(JSON.stringify(value)) as unknown))
          expect(splitter.pendingBytes).toBe(0)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('never throws on random bytes, never holds more than its bound, and reports each bad line at most once', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), fc.integer({ min: 1, max: 200 }), (chunks, maxBytes) => {
        const { splitter, messages, invalid } = collect(maxBytes)
        let lines = 1
        for (const chunk of chunks) {
          splitter.push(Buffer.from(chunk))
          expect(splitter.pendingBytes).toBeLessThanOrEqual(maxBytes)
          lines += chunk.filter((byte) => byte === 0x0a).length
        }
        expect(messages.length + invalid.length).toBeLessThanOrEqual(lines)
      }),
      { numRuns: 500 },
    )
  })

  it('drops a line past the bound, once, and reads the next line after it', () => {
    const { splitter, messages, invalid } = collect(10)
    splitter.push(Buffer.from('{"a":"0123'))
    splitter.push(Buffer.from('456789"}'))
    splitter.push(Buffer.from('more of it'))
    splitter.push(Buffer.from('\n{"b":1}\n'))
    expect(invalid).toEqual(['a message was larger than 10 bytes'])
    expect(messages).toEqual([{ b: 1 }])
  })

  it('takes linear time on a long line arriving in small pieces', () => {
    const { splitter, messages } = collect(64 << 20)
    const piece = Buffer.from('x'.repeat(1024))
    const started = performance.now()
    splitter.push(Buffer.from('"'))
    for (let i = 0; i < 10 * 1024; i += 1) splitter.push(piece)
    splitter.push(Buffer.from('"\n'))
    expect(performance.now() - started).toBeLessThan(2_000)
    expect((messages[0] as string).length).toBe(10 * 1024 * 1024)
  })
})
