import { open, type FileHandle } from 'node:fs/promises'
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseLogEvent, type LogEvent } from './log-event'

const fileName = /^(.+?)(?:\.(\d+))?\.jsonl$/

/** Each server's JSONL files in `dir`, by file stem, newest first (`x.jsonl`, `x.1.jsonl`, …). */
export function logFilesByStem(dir: string): Map<string, string[]> {
  const byStem = new Map<string, { index: number; path: string }[]>()
  if (!existsSync(dir)) return new Map()
  for (const name of readdirSync(dir)) {
    const match = fileName.exec(name)
    if (!match) continue
    const files = byStem.get(match[1]!) ?? []
    files.push({ index: match[2] === undefined ? 0 : Number(match[2]), path: join(dir, name) })
    byStem.set(match[1]!, files)
  }
  return new Map([...byStem].map(([stem, files]) => [stem, files.sort((a, b) => a.index - b.index).map((f) => f.path)]))
}

/** The `seq` a line written by the hub starts with (`{"seq":42,…`), or undefined. */
export function seqOfLine(line: string): number | undefined {
  if (!line.startsWith('{"seq":')) return undefined
  let value = 0
  let i = 7
  for (; i < line.length; i += 1) {
    const digit = line.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) break
    value = value * 10 + digit
  }
  return i > 7 && (line[i] === ',' || line[i] === '}') ? value : undefined
}

/** The `time` of a line, without parsing it (the hub writes it second, proxies first). */
function timeOfLine(line: string): string | undefined {
  const at = line.indexOf('"time":"')
  return at < 0 || at > 40 ? undefined : line.slice(at + 8, at + 32)
}

/**
 * The highest `seq` in the logs of `dir` (0 when none): the hub's numbering continues from it, so
 * that `seq` orders events across restarts and older pages can be read back from the files. Reads
 * the end of each server's newest file only (16 KiB, more only when no line there has a seq).
 */
export function lastLoggedSeq(dir: string, files = logFilesByStem(dir)): number {
  let last = 0
  for (const paths of files.values()) {
    for (const path of paths.slice(0, 2)) {
      const found = lastSeqIn(path)
      if (found !== undefined) {
        last = Math.max(last, found)
        break
      }
    }
  }
  return last
}

function lastSeqIn(path: string): number | undefined {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const size = statSync(path).size
    for (const window of [16 * 1024, 256 * 1024, 1024 * 1024]) {
      const length = Math.min(size, window)
      const buffer = Buffer.alloc(length)
      readSync(fd, buffer, 0, length, size - length)
      const lines = buffer.toString('utf8').split('\n')
      for (let i = lines.length - 1; i >= 0; i -= 1) {
        const seq = seqOfLine(lines[i]!)
        if (seq !== undefined) return seq
      }
      if (length === size) return undefined
    }
    return undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

export interface LogFileSearch {
  readonly dir: string
  /** Only these file stems (one server's), or every server's files. */
  readonly stems?: readonly string[]
  /** Only events below this `seq`. */
  readonly below: number
  /** The `seq` lines without one (written by a proxy that could not reach the hub, or before seqs existed) count down from, when no newer line has one. */
  readonly anchor: number
  readonly matches: (event: LogEvent) => boolean
  /** How many to find (newest first); one more is looked for, to tell whether more match. */
  readonly limit: number
  /** Lowered words every match contains: lines without them are not parsed. */
  readonly text?: string | undefined
  /** Events older than this (ISO 8601) are not wanted: a server's files are left once well past it. */
  readonly since?: string | undefined
  readonly until?: string | undefined
  /** Bounds on one search (defaults 64 MiB read, 1.5 s). */
  readonly maxBytes?: number
  readonly maxMs?: number
  /** Where earlier searches found lines, so this one can start near `below` instead of at the end. */
  readonly index?: LogSeqIndex
  /** Stops the search (as at its bounds). */
  readonly signal?: AbortSignal
}

/**
 * Where lines begin in the log files, with their seq, as searches come across them (one point
 * per chunk read): paging back through a long history then reads each page's chunks, not every
 * newer one again. Files are known by device and inode, which rotation keeps.
 */
export class LogSeqIndex {
  readonly #files = new Map<string, { offset: number; seq: number }[]>()
  readonly #maxFiles: number

  constructor(maxFiles = 2048) {
    this.#maxFiles = maxFiles
  }

  record(file: string, offset: number, seq: number): void {
    let points = this.#files.get(file)
    if (!points) {
      if (this.#files.size >= this.#maxFiles) this.#files.delete(this.#files.keys().next().value as string)
      points = []
      this.#files.set(file, points)
    }
    let low = 0
    let high = points.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (points[middle]!.offset < offset) low = middle + 1
      else high = middle
    }
    if (points[low]?.offset !== offset) points.splice(low, 0, { offset, seq })
  }

  /** The first known line (of a file `size` bytes long) whose seq is `below` or more: it and all after it are. */
  startFor(file: string, below: number, size: number): { offset: number; seq: number } | undefined {
    const points = this.#files.get(file)
    if (!points) return undefined
    let low = 0
    let high = points.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (points[middle]!.seq < below) low = middle + 1
      else high = middle
    }
    const point = points[low]
    return point && point.offset < size ? point : undefined
  }
}

export interface LogFileSearchResult {
  /** Newest first, each with its `seq`. */
  readonly events: LogEvent[]
  /** More events may match below the last one returned (or below `resumeBelow`). */
  readonly more: boolean
  /** Where to go on from when the search stopped at its bounds: every line at or above it was looked at. */
  readonly resumeBelow?: number
  /** Bytes read from the files. */
  readonly bytesRead: number
}

/** Lines without a seq that follow each other count down by this much (exact in binary floating point). */
const seqStep = 2 ** -20
/** Proxies stamp events before they batch them: a server's files are left this long past `since`. */
const sinceSlackMs = 15 * 60_000
const chunkBytes = 64 * 1024
/** A line longer than this is not an event the hub wrote (its limits keep lines far shorter): skipped. */
const maxLineBytes = 1024 * 1024

/**
 * The newest events in the JSONL files that match, below a `seq`: every server's files are read
 * backwards a chunk at a time and merged by `seq`, so a page costs what it reads, not the whole
 * history. Bounded in bytes read and time; a search cut short says where to resume.
 */
export async function searchLogFiles(search: LogFileSearch): Promise<LogFileSearchResult> {
  const byStem = logFilesByStem(search.dir)
  const stems = search.stems ?? [...byStem.keys()]
  const sinceStop = search.since === undefined ? undefined : new Date(Date.parse(search.since) - sinceSlackMs).toISOString()
  const readers = stems.flatMap((stem) => {
    const paths = byStem.get(stem)
    return paths ? [new BackwardLines(paths, search.anchor, search.below, search.index)] : []
  })
  const started = Date.now()
  const maxBytes = search.maxBytes ?? 64 * 1024 * 1024
  const maxMs = search.maxMs ?? 1500
  // Plain ASCII words (nothing JSON escapes, no case mapping beyond ASCII) appear in a line as they
  // are: lines without them are skipped unparsed.
  const prefilter = search.text !== undefined && /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/.test(search.text) ? new RegExp(search.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : undefined
  const found: LogEvent[] = []
  const bytesRead = (): number => readers.reduce((sum, reader) => sum + reader.bytesRead, 0)
  let looked = 0
  /** The lowest seq looked at below `below`: every line from there up has been seen. */
  let last: number | undefined
  try {
    for (const reader of readers) await reader.fill()
    for (;;) {
      let newest: BackwardLines | undefined
      for (const reader of readers) if (reader.head && (!newest || reader.head.seq > newest.head!.seq)) newest = reader
      if (!newest) return { events: found, more: false, bytesRead: bytesRead() }
      looked += 1
      if (looked % 256 === 0 && last !== undefined) {
        if (bytesRead() > maxBytes || Date.now() - started > maxMs || search.signal?.aborted) return { events: found, more: true, resumeBelow: last, bytesRead: bytesRead() }
      }
      const { seq, line } = newest.head!
      if (seq < search.below) {
        last = seq
        const time = timeOfLine(line)
        if (sinceStop !== undefined && time !== undefined && time < sinceStop) {
          newest.stop()
          continue
        }
        if (!(search.until !== undefined && time !== undefined && time > search.until) && (prefilter === undefined || prefilter.test(line))) {
          const event = parseLogEvent(line)
          if (event && search.matches(event)) {
            found.push(event.seq === seq ? event : { ...event, seq })
            if (found.length > search.limit) return { events: found.slice(0, search.limit), more: true, bytesRead: bytesRead() }
          }
        }
      }
      if (!newest.next()) await newest.fill()
    }
  } finally {
    await Promise.all(readers.map((reader) => reader.close()))
  }
}

/**
 * One server's lines, newest first, across its rotated files, each with the `seq` it sorts by:
 * its own, or, for a line without one, just below the next newer line's. Lines out of order (a
 * file rotated while it was read, a numbering that started over) are skipped.
 */
class BackwardLines {
  head: { seq: number; line: string } | undefined
  bytesRead = 0
  readonly #paths: readonly string[]
  readonly #anchor: number
  readonly #below: number
  readonly #index: LogSeqIndex | undefined
  #key = ''
  #file = -1
  #handle: FileHandle | undefined
  #position = 0
  #carry: Buffer | undefined
  #pending: string[] = []
  #newer: number | undefined
  #run = 0
  #lastSeq = Infinity
  #stopped = false

  constructor(paths: readonly string[], anchor: number, below: number, index: LogSeqIndex | undefined) {
    this.#paths = paths
    this.#anchor = anchor
    this.#below = below
    this.#index = index
  }

  /** Moves `head` to the next line from what is read already; false when more must be read first (`fill`). */
  next(): boolean {
    this.head = undefined
    if (this.#stopped) return true
    while (this.#pending.length > 0) {
      const line = this.#pending.pop()!
      if (line === '') continue
      const own = seqOfLine(line)
      let seq: number
      if (own !== undefined) {
        this.#newer = own
        this.#run = 0
        seq = own
      } else {
        this.#run += 1
        seq = (this.#newer ?? this.#anchor) - this.#run * seqStep
      }
      if (seq >= this.#lastSeq) continue
      this.#lastSeq = seq
      this.head = { seq, line }
      return true
    }
    return false
  }

  /** Reads on (backwards) until there is a head or nothing is left. */
  async fill(): Promise<void> {
    while (!this.next()) {
      if (this.#handle && this.#position > 0) {
        await this.#readChunk()
      } else if (!(await this.#openNext())) {
        this.#stopped = true
      }
    }
  }

  stop(): void {
    this.#stopped = true
    this.head = undefined
  }

  async close(): Promise<void> {
    await this.#handle?.close().catch(() => undefined)
    this.#handle = undefined
  }

  async #openNext(): Promise<boolean> {
    await this.close()
    while (++this.#file < this.#paths.length) {
      try {
        this.#handle = await open(this.#paths[this.#file]!, 'r')
        const stat = await this.#handle.stat()
        this.#position = stat.size
        this.#carry = undefined
        this.#key = `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`
        const start = this.#below === Infinity ? undefined : this.#index?.startFor(this.#key, this.#below, stat.size)
        if (start) {
          // Everything from that line on is at or above `below`: read on from just before it.
          this.#position = start.offset
          this.#newer = start.seq
          this.#run = 0
          this.#lastSeq = Math.min(this.#lastSeq, start.seq)
        }
        return true
      } catch {
        // rotated away since it was listed
        await this.close()
      }
    }
    return false
  }

  async #readChunk(): Promise<void> {
    const start = Math.max(0, this.#position - chunkBytes)
    const chunk = Buffer.alloc(this.#position - start)
    const { bytesRead } = await this.#handle!.read(chunk, 0, chunk.length, start)
    this.bytesRead += bytesRead
    this.#position = start
    const combined = this.#carry ? Buffer.concat([chunk.subarray(0, bytesRead), this.#carry]) : chunk.subarray(0, bytesRead)
    if (start === 0) {
      this.#carry = undefined
      this.#pending = combined.toString('utf8').split('\n')
      this.#remember(0)
      return
    }
    const firstBreak = combined.indexOf(10)
    if (firstBreak < 0) {
      this.#carry = combined.length > maxLineBytes ? undefined : combined
      this.#pending = []
      return
    }
    this.#carry = combined.subarray(0, firstBreak)
    this.#pending = combined.subarray(firstBreak + 1).toString('utf8').split('\n')
    this.#remember(start + firstBreak + 1)
  }

  /** Notes where the first whole line of what was just read begins, with its seq. */
  #remember(offset: number): void {
    const seq = this.#pending.length > 0 ? seqOfLine(this.#pending[0]!) : undefined
    if (seq !== undefined) this.#index?.record(this.#key, offset, seq)
  }
}
