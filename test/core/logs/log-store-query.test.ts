import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { logFileStem, RotatingFileSink } from '../../../src/core/logs/log-files'
import { LogStore, type LogStoreOptions } from '../../../src/core/logs/log-store'
import { maxLogPage, type LogEvent, type LogPage, type LogQuery } from '../../../src/shared/log-model'

const base = Date.UTC(2026, 0, 1, 12, 0, 0)

function event(server: string, n: number, extra: Partial<LogEvent> = {}): LogEvent {
  return { time: new Date(base + n * 1000).toISOString(), server, direction: 'to-server', kind: 'request', method: 'tools/list', id: n, outcome: 'sent', ...extra }
}

/** Every page of a query, newest page first, as the log view scrolls back. */
async function allPages(store: LogStore, query: LogQuery): Promise<{ events: LogEvent[]; pages: number }> {
  const events: LogEvent[] = []
  let before: number | undefined
  let pages = 0
  for (;;) {
    const page: LogPage = await store.query({ ...query, ...(before === undefined ? {} : { beforeSeq: before }) })
    pages += 1
    events.unshift(...page.events)
    if (!page.hasMore) return { events, pages }
    expect(page.nextBeforeSeq).toBeDefined()
    before = page.nextBeforeSeq
    if (pages > 10_000) throw new Error('paging does not end')
  }
}

describe('LogStore queries', () => {
  let dir: string
  const stores: LogStore[] = []
  const open = (options: Partial<LogStoreOptions> = {}) => {
    const store = new LogStore({ dir, ...options })
    stores.push(store)
    return store
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-logquery-'))
  })
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()))
    await rm(dir, { recursive: true, force: true })
  })

  it('numbers every event it keeps, tells listeners and the files so, and goes on numbering after a restart', async () => {
    const store = open()
    const heard: LogEvent[] = []
    store.onAppend((events) => heard.push(...events))
    const kept = store.append([event('a', 1), event('b', 2), event('a', 3)])
    expect(kept.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(heard).toEqual(kept)
    expect(store.recent(undefined, 10).map((e) => e.seq)).toEqual([1, 2, 3])
    await store.close()
    const line = (await readFile(join(dir, `${logFileStem('a')}.jsonl`), 'utf8')).split('\n')[0]!
    expect(line.startsWith('{"seq":1,"time":')).toBe(true)

    const again = open()
    expect(again.append([event('b', 4)])[0]!.seq).toBe(4)
  })

  it('filters by server, method, tool, direction, outcome, errors only, words and time, newest last', async () => {
    const store = open()
    store.append([
      event('a', 1, { method: 'initialize' }),
      event('a', 2, { method: 'tools/call', tool: 'echo', session: 'Sess-XYZ' }),
      event('a', 3, { direction: 'to-client', kind: 'response', method: 'tools/call', tool: 'echo', outcome: 'ok', preview: '{"text":"Hello World"}' }),
      event('a', 4, { method: 'tools/call', tool: 'fail' }),
      event('a', 5, { direction: 'to-client', kind: 'response', method: 'tools/call', tool: 'fail', outcome: 'tool-error' }),
      event('b', 6, { direction: 'to-client', kind: 'error', outcome: 'timeout', id: 'req-77' }),
      event('b', 7, { kind: 'proxy', method: 'stream-lost', outcome: 'error' }),
      event('b', 8, { direction: 'to-client', kind: 'response', outcome: 'late' }),
    ])
    const ids = async (query: LogQuery) => (await store.query(query)).events.map((e) => e.id)
    expect(await ids({})).toEqual([1, 2, 3, 4, 5, 'req-77', 7, 8])
    expect(await ids({ server: 'b' })).toEqual(['req-77', 7, 8])
    expect(await ids({ method: 'tools/call' })).toEqual([2, 3, 4, 5])
    expect(await ids({ tool: 'fail' })).toEqual([4, 5])
    expect(await ids({ direction: 'to-client' })).toEqual([3, 5, 'req-77', 8])
    expect(await ids({ errorsOnly: true })).toEqual([5, 'req-77', 7])
    expect(await ids({ errorsOnly: true, outcomes: ['tool-error', 'ok'] })).toEqual([5])
    expect(await ids({ outcomes: ['ok', 'late'] })).toEqual([3, 8])
    expect(await ids({ text: 'hello world' })).toEqual([3])
    expect(await ids({ text: 'ECHO' })).toEqual([2, 3])
    expect(await ids({ text: 'sess-xyz' })).toEqual([2])
    expect(await ids({ text: 'REQ-7' })).toEqual(['req-77'])
    expect(await ids({ text: '   ' })).toHaveLength(8)
    expect(await ids({ since: new Date(base + 3000).toISOString(), until: new Date(base + 5000).toISOString() })).toEqual([3, 4, 5])
    // Another offset, the same instant.
    expect(await ids({ since: '2026-01-01T13:00:07+01:00' })).toEqual([7, 8])
    expect(await ids({ limit: 2 })).toEqual([7, 8])
    expect(await store.query({ limit: 2 })).toMatchObject({ hasMore: true, nextBeforeSeq: 7 })
    expect(await ids({ limit: 2, beforeSeq: 7 })).toEqual([5, 'req-77'])
    expect(await store.query({ beforeSeq: 3 })).toMatchObject({ hasMore: false })
  })

  it('pages from the ring into the files once the ring no longer reaches back, without a gap or a repeat', async () => {
    const store = open({ ringCapacity: 10 })
    for (let n = 1; n <= 250; n += 1) store.append([event(n % 3 === 0 ? 'b' : 'a', n, n % 7 === 0 ? { outcome: 'failed' } : {})])
    const newest = await store.query({ limit: 30 })
    expect(newest.events.map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, i) => 221 + i))
    expect(newest.hasMore).toBe(true)

    const everything = await allPages(store, { limit: 37 })
    expect(everything.events.map((e) => e.id)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1))
    const ofA = await allPages(store, { server: 'a', limit: 20 })
    expect(ofA.events.map((e) => e.id)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1).filter((n) => n % 3 !== 0))
    const failures = await allPages(store, { errorsOnly: true, limit: 5 })
    expect(failures.events.map((e) => e.id)).toEqual(Array.from({ length: 35 }, (_, i) => 7 * (i + 1)))
  })

  it('reads an earlier run back from the files, rotated ones included, before this run’s events', async () => {
    const first = open({ maxBytes: 4 * 1024, files: 4 })
    for (let n = 1; n <= 60; n += 1) first.append([event(n % 2 ? 'a' : 'b', n, { preview: `call number ${n}` })])
    await first.close()

    const second = open({ maxBytes: 4 * 1024, files: 4 })
    expect(second.recent(undefined, 100)).toEqual([])
    second.append([event('a', 61), event('c', 62)])
    const page = await second.query({ limit: 5 })
    expect(page.events.map((e) => e.id)).toEqual([58, 59, 60, 61, 62])
    const all = await allPages(second, { limit: 7 })
    // What rotation dropped is gone; what is left comes in order, once.
    const ids = all.events.map((e) => e.id as number)
    expect(ids.slice(-10)).toEqual([53, 54, 55, 56, 57, 58, 59, 60, 61, 62])
    expect(ids).toEqual([...ids].sort((x, y) => x - y))
    expect(new Set(ids).size).toBe(ids.length)
    expect((await second.query({ server: 'b', text: 'number 4', limit: 3 })).events.map((e) => e.id)).toEqual([44, 46, 48])
  })

  it('shows lines a proxy wrote without the hub (no seq) in their place, and pages through them', async () => {
    const proxyFiles = new RotatingFileSink({ dir })
    for (let n = 1; n <= 5; n += 1) proxyFiles.write(event('a', n))
    await proxyFiles.close()
    const first = open()
    first.append([event('a', 6), event('a', 7)])
    await first.close()
    const again = new RotatingFileSink({ dir })
    again.write(event('a', 8))
    await again.close()

    const store = open()
    store.append([event('a', 9)])
    const all = await allPages(store, { limit: 2 })
    expect(all.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    const seqs = all.events.map((e) => e.seq!)
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
    expect(new Set(seqs).size).toBe(9)
  })

  it('goes on numbering above the last run even when a proxy wrote a lot after it', async () => {
    const first = open()
    first.append([event('a', 1), event('a', 2)])
    await first.close()
    const proxyFiles = new RotatingFileSink({ dir })
    for (let n = 3; n <= 300; n += 1) proxyFiles.write(event('a', n, { preview: 'z'.repeat(200) }))
    await proxyFiles.close()
    const store = open()
    expect(store.append([event('a', 301)])[0]!.seq).toBe(3)
    expect((await store.query({ limit: 3 })).events.map((e) => e.id)).toEqual([299, 300, 301])
  })

  it('stops a search of the files at its bounds and says where to go on, so sparse matches still all arrive', async () => {
    const writer = open({ ringCapacity: 5 })
    for (let n = 1; n <= 3000; n += 1) writer.append([event('a', n, n % 500 === 0 ? { tool: 'needle' } : { preview: 'x'.repeat(200) })])
    await writer.close()
    const store = open({ ringCapacity: 5, fileSearch: { maxBytes: 64 * 1024 } })
    const first = await store.query({ tool: 'needle' })
    expect(first.hasMore).toBe(true)
    expect(first.nextBeforeSeq).toBeDefined()
    const all = await allPages(store, { tool: 'needle' })
    expect(all.events.map((e) => e.id)).toEqual([500, 1000, 1500, 2000, 2500, 3000])
    expect(all.pages).toBeGreaterThan(2)
  })

  it('merges many servers’ rings into the newest page', async () => {
    const store = open()
    for (let n = 1; n <= 3000; n += 1) store.append([event(`s${(n * 7) % 30}`, n)])
    const page = await store.query({ limit: 50, beforeSeq: 2990 })
    expect(page.events.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => 2940 + i))
    expect(page.hasMore).toBe(true)
  })

  it('keeps a page within maxLogPage', async () => {
    const store = open()
    store.append(Array.from({ length: maxLogPage + 5 }, (_, n) => event('a', n)))
    const page = await store.query({ limit: 1_000_000 })
    expect(page.events).toHaveLength(maxLogPage)
    expect(page.hasMore).toBe(true)
    expect((await store.query({})).events).toHaveLength(1000)
  })
})

describe('LogStore export', () => {
  let dir: string
  let store: LogStore
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-logexport-'))
    store = new LogStore({ dir, ringCapacity: 50 })
  })
  afterEach(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('gives every match oldest first as JSON lines, redacted again, whatever the page limit', async () => {
    for (let n = 1; n <= 120; n += 1) store.append([event('a', n, n === 60 ? { preview: 'Authorization: Bearer abc.def.ghi', session: 'access_token=zzz' } : {})])
    const text = await store.exportJsonl({ server: 'a', limit: 10 })
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as LogEvent)
    expect(lines.map((e) => e.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
    expect(text).not.toContain('abc.def.ghi')
    expect(text).not.toContain('zzz')
    expect(lines[59]!.preview).toBe('Authorization: Bearer [redacted]')
    expect(await store.exportJsonl({ server: 'nobody' })).toBe('')
  })

  it('ends a cut export with a line that says what was left out', async () => {
    for (let n = 1; n <= 300; n += 1) store.append([event('a', n, { preview: 'y'.repeat(100) })])
    const text = await store.exportJsonl({}, { maxBytes: 10_000 })
    expect(Buffer.byteLength(text)).toBeLessThan(10_000 + 400)
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    const note = lines.pop()!
    expect(note.note).toMatch(/^Export cut at /)
    expect(note.note).toContain('Narrow the search')
    expect(lines.at(-1)!.id).toBe(300)
    const count = (await store.exportJsonl({}, { maxEvents: 7 })).trimEnd().split('\n')
    expect(count).toHaveLength(8)
    expect(count.at(-1)).toContain('7 events')
  })
})
