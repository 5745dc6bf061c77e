import { maxLogPage, type LogPage, type LogQuery } from '../../shared/log-model'
import type { LogEvent } from './log-event'
import { redactText } from './redaction'

export interface LogExportLimits {
  /** Largest export, in bytes of JSONL (default 16 MiB). */
  readonly maxBytes?: number
  /** Most events (default 200,000). */
  readonly maxEvents?: number
  /** Longest time spent reading (default 10 s). */
  readonly maxMs?: number
}

/** Fields whose values are fixed words; everything else that is text is redacted again. */
const fixedWords = new Set(['time', 'direction', 'kind', 'outcome'])

/**
 * Every event a query matches (its `limit` aside), oldest first, as JSON lines redacted once more
 * (they were at the source; an export leaves the machine), page by page through `query` until the
 * matches end or a bound is reached. A cut export ends with a line that says what was left out
 * and how to get it.
 */
export async function exportLogLines(query: (page: LogQuery) => Promise<LogPage>, request: LogQuery, limits: LogExportLimits = {}): Promise<string> {
  const maxBytes = limits.maxBytes ?? 16 * 1024 * 1024
  const maxEvents = limits.maxEvents ?? 200_000
  const maxMs = limits.maxMs ?? 10_000
  const started = Date.now()
  const newestFirst: string[] = []
  let bytes = 0
  let before = request.beforeSeq
  let cut: string | undefined
  pages: for (;;) {
    const { limit: _limit, beforeSeq: _before, ...filters } = request
    const found = await query({ ...filters, limit: maxLogPage, ...(before === undefined ? {} : { beforeSeq: before }) })
    for (let i = found.events.length - 1; i >= 0; i -= 1) {
      const line = JSON.stringify(redactedEvent(found.events[i]!))
      const lineBytes = Buffer.byteLength(line) + 1
      if (newestFirst.length >= maxEvents || bytes + lineBytes > maxBytes) {
        cut = newestFirst.length >= maxEvents ? `${maxEvents} events` : size(maxBytes)
        break pages
      }
      newestFirst.push(line)
      bytes += lineBytes
    }
    if (!found.hasMore) break
    before = found.nextBeforeSeq ?? found.events[0]?.seq
    if (before === undefined) break
    if (Date.now() - started > maxMs) {
      cut = `${Math.round(maxMs / 1000)} s of reading`
      break
    }
  }
  const lines = newestFirst.reverse()
  if (cut !== undefined) {
    const oldest = lines.length > 0 ? (JSON.parse(lines[0]!) as LogEvent).time : undefined
    lines.push(
      JSON.stringify({
        note: `Export cut at ${cut}: older matching events were left out${oldest ? ` (before ${oldest})` : ''}. Narrow the search (a server, a time range, errors only) to export them.`,
      }),
    )
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

function redactedEvent(event: LogEvent): LogEvent {
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(event)) copy[key] = typeof value === 'string' && !fixedWords.has(key) ? redactText(value) : value
  return copy as unknown as LogEvent
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} kB`
}
