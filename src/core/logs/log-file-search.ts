import { BackwardLines } from './log-backward-lines'
import { parseLogEvent, type LogEvent } from './log-event'
import { logFilesByStem, timeOfLine } from './log-lines'
import type { LogSeqIndex } from './log-seq-index'

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

/** Proxies stamp events before they batch them: a server's files are left this long past `since`. */
const sinceSlackMs = 15 * 60_000

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
