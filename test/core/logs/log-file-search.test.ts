import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { searchLogFiles, type LogFileSearch } from '../../../src/core/logs/log-file-search'
import { lastLoggedSeq, seqOfLine } from '../../../src/core/logs/log-lines'
import { LogSeqIndex } from '../../../src/core/logs/log-seq-index'
import { RotatingFileSink } from '../../../src/core/logs/log-files'
import type { LogEvent } from '../../../src/shared/log-model'

function event(seq: number, server = 'a'): LogEvent {
  return { seq, time: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(), server, direction: 'to-server', kind: 'request', method: 'tools/call', id: seq, outcome: 'sent', preview: 'p'.repeat(300) }
}

describe('searchLogFiles', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-filesearch-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const search = (options: Partial<LogFileSearch>) => searchLogFiles({ dir, below: Infinity, anchor: 1, matches: () => true, limit: 100, ...options })

  it('reads the seq a line starts with, and nothing else', () => {
    expect(seqOfLine('{"seq":42,"time":"x"}')).toBe(42)
    expect(seqOfLine('{"seq":7}')).toBe(7)
    expect(seqOfLine('{"time":"x","seq":42}')).toBeUndefined()
    expect(seqOfLine('{"seq":"42"}')).toBeUndefined()
    expect(seqOfLine('{"seq":4x}')).toBeUndefined()
  })

  it('merges servers by seq across rotated files, and starts later pages near where earlier ones ended', async () => {
    const sink = new RotatingFileSink({ dir, maxBytes: 256 * 1024, files: 10 })
    for (let seq = 1; seq <= 6000; seq += 1) sink.write(event(seq, seq % 2 ? 'a' : 'b'))
    await sink.close()
    expect(lastLoggedSeq(dir)).toBe(6000)

    const index = new LogSeqIndex()
    const first = await search({ limit: 10, index })
    expect(first.events.map((e) => e.seq)).toEqual([6000, 5999, 5998, 5997, 5996, 5995, 5994, 5993, 5992, 5991])
    expect(first.more).toBe(true)

    // Walk back a page at a time: every event once, in order, each page reading about what it returns.
    let below = Infinity
    const seen: number[] = []
    let largestRead = 0
    for (let page = 0; page < 100; page += 1) {
      const found = await search({ below, limit: 500, index })
      seen.push(...found.events.map((e) => e.seq!))
      largestRead = Math.max(largestRead, found.bytesRead)
      if (!found.more) break
      below = found.events.at(-1)!.seq!
    }
    expect(seen).toEqual(Array.from({ length: 6000 }, (_, i) => 6000 - i))
    // A page of 500 lines of ~450 bytes is ~220 KiB: without the index the deepest page reads all 2.6 MiB.
    expect(largestRead).toBeLessThan(600 * 1024)
  })

  it('skips a line too long to be an event, and lines that are not JSON', async () => {
    const good = (seq: number) => JSON.stringify(event(seq))
    await writeFile(join(dir, 'a.jsonl'), [good(1), 'x'.repeat(2 * 1024 * 1024), 'not json', good(2), ''].join('\n'))
    const found = await search({})
    expect(found.events.map((e) => e.seq)).toEqual([2, 1])
  })

  it('stops at its byte bound with where to go on, and leaves a server once well before `since`', async () => {
    const sink = new RotatingFileSink({ dir })
    for (let seq = 1; seq <= 3000; seq += 1) sink.write(event(seq))
    await sink.close()
    const cut = await search({ matches: (e) => e.seq === 10, maxBytes: 100 * 1024 })
    expect(cut).toMatchObject({ events: [], more: true })
    expect(cut.resumeBelow).toBeGreaterThan(10)
    const since = new Date(Date.UTC(2026, 0, 1) + 2990 * 1000).toISOString()
    const recent = await search({ since, matches: (e) => e.time >= since })
    expect(recent.events).toHaveLength(11)
    expect(recent.more).toBe(false)
    expect(recent.bytesRead).toBeLessThan(3000 * 450)
  })
})
