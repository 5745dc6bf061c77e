import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogEvent } from '../../../src/core/logs/log-event'
import { parseLogEvent } from '../../../src/core/logs/log-event'
import { RotatingFileSink, logFileStem } from '../../../src/core/logs/log-files'
import { LogRing } from '../../../src/core/logs/log-ring'

function event(server: string, n: number): LogEvent {
  return { time: new Date(0).toISOString(), server, direction: 'to-server', kind: 'request', method: 'tools/call', id: n, outcome: 'sent' }
}

describe('LogRing', () => {
  it('keeps the last N events per server, oldest first', () => {
    const ring = new LogRing(3)
    for (let i = 1; i <= 5; i += 1) ring.write(event('a', i))
    ring.write(event('b', 1))
    expect(ring.events('a').map((e) => e.id)).toEqual([3, 4, 5])
    expect(ring.events('b').map((e) => e.id)).toEqual([1])
    expect(ring.events('c')).toEqual([])
  })

  it('walks a server newest first from below a seq, across the wrap, and says when it let older ones go', () => {
    const ring = new LogRing(4)
    for (let i = 1; i <= 3; i += 1) ring.write({ ...event('a', i), seq: i * 10 })
    expect(ring.oldest('a')).toMatchObject({ event: { seq: 10 }, dropped: false })
    for (let i = 4; i <= 6; i += 1) ring.write({ ...event('a', i), seq: i * 10 })
    expect(ring.oldest('a')).toMatchObject({ event: { seq: 30 }, dropped: true })
    const walk = (before: number | undefined, stopAfter = Infinity) => {
      const seen: number[] = []
      ring.visitNewestFirst('a', before, (e) => seen.push(e.seq!) < stopAfter)
      return seen
    }
    expect(walk(undefined)).toEqual([60, 50, 40, 30])
    expect(walk(50)).toEqual([40, 30])
    expect(walk(45)).toEqual([40, 30])
    expect(walk(30)).toEqual([])
    expect(walk(1000, 2)).toEqual([60, 50])
    expect(ring.size('a')).toBe(4)
    expect(ring.events('a').map((e) => e.id)).toEqual([3, 4, 5, 6])
  })

  it('keeps all servers together within its byte budget, taking from the largest ring first', () => {
    const ring = new LogRing(1000, { budgetBytes: 200_000 })
    for (let i = 1; i <= 10; i += 1) ring.write(event('quiet', i))
    const big = (n: number): LogEvent => ({ ...event('chatty', n), preview: 'x'.repeat(4000) })
    for (let i = 1; i <= 1000; i += 1) ring.write(big(i))
    expect(ring.bytes()).toBeLessThanOrEqual(200_000)
    expect(ring.events('quiet').map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const chatty = ring.events('chatty').map((e) => e.id)
    expect(chatty.at(-1)).toBe(1000)
    expect(chatty.length).toBeGreaterThan(10)
    expect(chatty.length).toBeLessThan(30)
    expect(chatty).toEqual(Array.from({ length: chatty.length }, (_, i) => 1001 - chatty.length + i))

    expect(() => new LogRing(10, { budgetBytes: Number.NaN })).toThrow(RangeError)
    expect(() => new LogRing(10, { budgetBytes: -1 })).toThrow(RangeError)

    ring.clear('chatty')
    for (let i = 1; i <= 5; i += 1) ring.write(big(i))
    expect(ring.events('chatty').map((e) => e.id)).toEqual([1, 2, 3, 4, 5])
  })
})

describe('RotatingFileSink', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-logs-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes one JSON line per event in one file per server', async () => {
    const sink = new RotatingFileSink({ dir })
    sink.write(event('srv one', 1))
    sink.write(event('srv one', 2))
    await sink.close()
    const lines = (await readFile(join(dir, `${logFileStem('srv one')}.jsonl`), 'utf8')).trim().split('\n')
    expect(lines.map((l) => parseLogEvent(l)?.id)).toEqual([1, 2])
  })

  it('rotates by size and keeps at most N files', async () => {
    const sink = new RotatingFileSink({ dir, maxBytes: 400, files: 3 })
    for (let i = 0; i < 40; i += 1) sink.write(event('s', i))
    await sink.close()
    const files = (await readdir(dir)).sort()
    expect(files).toEqual(['s.1.jsonl', 's.2.jsonl', 's.jsonl'])
    const newest = (await readFile(join(dir, 's.jsonl'), 'utf8')).trim().split('\n')
    expect(parseLogEvent(newest.at(-1)!)?.id).toBe(39)
    for (const file of files) expect((await readFile(join(dir, file))).length).toBeLessThanOrEqual(400)
  })

  it('writes a batch of several servers with the same rotation, in order, no line split', async () => {
    const sink = new RotatingFileSink({ dir, maxBytes: 400, files: 3 })
    sink.writeBatch(Array.from({ length: 40 }, (_, i) => event(i % 2 ? 'odd' : 'even', i)))
    await sink.close()
    expect((await readdir(dir)).sort()).toEqual(['even.1.jsonl', 'even.2.jsonl', 'even.jsonl', 'odd.1.jsonl', 'odd.2.jsonl', 'odd.jsonl'])
    for (const stem of ['even', 'odd']) {
      const ids: number[] = []
      for (const file of [`${stem}.2.jsonl`, `${stem}.1.jsonl`, `${stem}.jsonl`]) {
        const text = await readFile(join(dir, file), 'utf8')
        expect(text.length).toBeLessThanOrEqual(400)
        ids.push(...text.trim().split('\n').map((line) => parseLogEvent(line)!.id as number))
      }
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(ids.at(-1)).toBe(stem === 'odd' ? 39 : 38)
    }
  })
})
