import type { LogEvent } from '../../shared/dashboard-api'

/**
 * Log events are what the dashboard's live log, the ring buffer and the JSONL files hold; the type
 * lives with the dashboard contract because it crosses to the renderer. Never a token inside
 * (see `redaction.ts`).
 */
export type { LogDirection, LogEvent, LogKind, LogOutcome } from '../../shared/dashboard-api'

/** Receives log events: in a proxy the hub (files when no hub answers), in the hub its ring and files. Writing must never throw. */
export interface LogSink {
  write(event: LogEvent): void
  close?(): Promise<void>
}

/** A sink that drops everything (for callers that keep no log). */
export const nullLogSink: LogSink = { write() {} }

/** Sends each event to every sink. */
export function fanOutSink(sinks: readonly LogSink[]): LogSink {
  return {
    write(event) {
      for (const sink of sinks) sink.write(event)
    },
    async close() {
      await Promise.all(sinks.map((sink) => sink.close?.()))
    },
  }
}

/** Parses one JSONL line back into an event; `undefined` for a line that is not one. */
export function parseLogEvent(line: string): LogEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  if (typeof record.time !== 'string' || typeof record.server !== 'string' || typeof record.outcome !== 'string') {
    return undefined
  }
  return record as unknown as LogEvent
}
