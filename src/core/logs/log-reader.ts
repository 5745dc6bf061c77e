import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { parseLogEvent, type LogEvent } from './log-event'
import { logFileStem } from './log-files'

const fileName = /^(.+?)(?:\.(\d+))?\.jsonl$/

interface LogFile {
  readonly stem: string
  readonly index: number
  readonly path: string
}

function listFiles(dir: string, server: string | undefined): LogFile[] {
  if (!existsSync(dir)) return []
  const wanted = server === undefined ? undefined : logFileStem(server)
  const files: LogFile[] = []
  for (const name of readdirSync(dir)) {
    const match = fileName.exec(name)
    if (!match) continue
    const stem = match[1]!
    if (wanted !== undefined && stem !== wanted) continue
    files.push({ stem, index: match[2] === undefined ? 0 : Number(match[2]), path: join(dir, name) })
  }
  return files
}

/** The servers that have logs in `dir` (as file stems). */
export function loggedServers(dir: string): string[] {
  return [...new Set(listFiles(dir, undefined).map((f) => f.stem))].sort()
}

function parseLines(text: string): LogEvent[] {
  const events: LogEvent[] = []
  for (const line of text.split('\n')) {
    const event = line === '' ? undefined : parseLogEvent(line)
    if (event) events.push(event)
  }
  return events
}

/** How far each current log file had been written at one moment: where following starts. */
export type LogCursor = Map<string, { ino: number; offset: number; partial: string }>

export function logCursor(dir: string, server: string | undefined): LogCursor {
  const cursor: LogCursor = new Map()
  for (const file of listFiles(dir, server)) {
    if (file.index !== 0) continue
    const stat = statSync(file.path, { throwIfNoEntry: false })
    if (stat) cursor.set(file.path, { ino: stat.ino, offset: stat.size, partial: '' })
  }
  return cursor
}

/**
 * The last `limit` events of one server (or of all), oldest first, across rotated files; with a
 * cursor, only what was written before it (so that following from it repeats nothing).
 */
export function readRecentEvents(dir: string, server: string | undefined, limit: number, cursor?: LogCursor): LogEvent[] {
  // Oldest file first: highest rotation index first, the current file last.
  const files = listFiles(dir, server).sort((a, b) => b.index - a.index)
  const events: LogEvent[] = []
  for (const file of files) {
    try {
      const until = cursor?.get(file.path)?.offset
      const text = until === undefined ? readFileSync(file.path, 'utf8') : readRange(file.path, 0, until)
      events.push(...parseLines(text))
    } catch {
      // rotated away while reading
    }
  }
  events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
  return limit > 0 ? events.slice(-limit) : []
}

/**
 * Events as they are appended to the current files, like `tail -f`: polls sizes (portable, and
 * a proxy in another process may be writing), starts over at the top of a file after rotation.
 */
export async function* followEvents(
  dir: string,
  server: string | undefined,
  options: { signal?: AbortSignal; intervalMs?: number; from?: LogCursor } = {},
): AsyncGenerator<LogEvent> {
  const offsets = options.from ?? logCursor(dir, server)
  const current = () => listFiles(dir, server).filter((f) => f.index === 0)
  while (!options.signal?.aborted) {
    for (const file of current()) {
      const stat = statSync(file.path, { throwIfNoEntry: false })
      if (!stat) continue
      let state = offsets.get(file.path)
      if (!state || state.ino !== stat.ino || stat.size < state.offset) {
        state = { ino: stat.ino, offset: 0, partial: '' }
        offsets.set(file.path, state)
      }
      if (stat.size === state.offset) continue
      const text = readRange(file.path, state.offset, stat.size)
      state.offset = stat.size
      const lines = (state.partial + text).split('\n')
      state.partial = lines.pop() ?? ''
      for (const line of lines) {
        const event = parseLogEvent(line)
        if (event) yield event
      }
    }
    try {
      await sleep(options.intervalMs ?? 250, undefined, options.signal ? { signal: options.signal } : undefined)
    } catch {
      return
    }
  }
}

function readRange(path: string, from: number, to: number): string {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(to - from)
    const read = readSync(fd, buffer, 0, buffer.length, from)
    return buffer.subarray(0, read).toString('utf8')
  } finally {
    closeSync(fd)
  }
}
