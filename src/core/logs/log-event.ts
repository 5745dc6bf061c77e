/**
 * One structured log event: what the proxy saw for one relayed message (or one thing it did on
 * its own, such as recovering a session). Events are what the dashboard's live log, the ring
 * buffer and the JSONL files hold; they never contain a token (see `redaction.ts`).
 */
export type LogDirection = 'to-server' | 'to-client'

/** The JSON-RPC kind of the message, or `proxy` for something the proxy did itself. */
export type LogKind = 'request' | 'notification' | 'response' | 'error' | 'proxy'

export type LogOutcome =
  | 'sent'
  | 'delivered'
  | 'ok'
  | 'error'
  | 'failed'
  | 'timeout'
  | 'late'
  | 'retried'
  | 'recovered'
  | 'rejected'
  | 'closed'

export interface LogEvent {
  /** ISO 8601 time the event was recorded. */
  readonly time: string
  /** The server's name (registry name, or a name made from the URL). */
  readonly server: string
  /** The MCP session id upstream, when there is one. */
  readonly session?: string | undefined
  readonly direction: LogDirection
  readonly kind: LogKind
  readonly method?: string | undefined
  readonly id?: string | number | null | undefined
  /** Size of the message as relayed, in bytes. */
  readonly bytes?: number | undefined
  /** For responses and errors: time since the request was relayed. */
  readonly latencyMs?: number | undefined
  readonly httpStatus?: number | undefined
  /** HTTP attempts it took (1 when nothing was retried). */
  readonly attempt?: number | undefined
  readonly outcome: LogOutcome
  /** A short, redacted excerpt of the message or a sentence about what happened. */
  readonly preview?: string | undefined
}

/** Receives log events: a file sink in a proxy, later the hub's sink. Writing must never throw. */
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
