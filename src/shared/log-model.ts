export type LogDirection = 'to-server' | 'to-client'

/** The JSON-RPC kind of the message, or `proxy` for something the proxy did itself. */
export type LogKind = 'request' | 'notification' | 'response' | 'error' | 'proxy'

/**
 * What became of a message. `tool-error` is a `tools/call` the server answered with
 * `isError: true`: the tool ran and failed, which the client sees as a result, not an error.
 */
export type LogOutcome =
  | 'sent'
  | 'delivered'
  | 'ok'
  | 'error'
  | 'tool-error'
  | 'failed'
  | 'timeout'
  | 'late'
  | 'retried'
  | 'recovered'
  | 'rejected'
  | 'closed'

/**
 * One structured log event: what a proxy saw for one relayed message (or one thing it did on
 * its own, such as recovering a session). It never contains a token.
 */
export interface LogEvent {
  /** Set by the hub as it stores the event: increasing within one hub run, for paging and resuming. */
  readonly seq?: number | undefined
  /** ISO 8601 time the event was recorded. */
  readonly time: string
  /** The server's name (registry name, or a name made from the URL). */
  readonly server: string
  /** The MCP session id upstream, when there is one. */
  readonly session?: string | undefined
  readonly direction: LogDirection
  readonly kind: LogKind
  readonly method?: string | undefined
  /** For `tools/call` requests and their answers: the tool's name. */
  readonly tool?: string | undefined
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
  /** The process that relayed it. */
  readonly pid?: number | undefined
  /** On the proxy's `revision` event: the MCP revision the server speaks (e.g. `2026-07-28`). */
  readonly revision?: string | undefined
}

/** Outcomes that mean something went wrong (the log's "errors only" filter). */
export const failureOutcomes: readonly LogOutcome[] = ['error', 'tool-error', 'failed', 'timeout', 'rejected']

/** A log search: every field narrows it; none gives everything, newest last. */
export interface LogQuery {
  readonly server?: string
  /** A JSON-RPC method, exactly (`tools/call`). */
  readonly method?: string
  readonly tool?: string
  readonly direction?: LogDirection
  readonly errorsOnly?: boolean
  readonly outcomes?: readonly LogOutcome[]
  /** Words to find in the method, tool, id, session or preview (case-insensitive). */
  readonly text?: string
  /** ISO 8601 bounds, inclusive. */
  readonly since?: string
  readonly until?: string
  /** Only events stored before this `seq` (paging backwards). */
  readonly beforeSeq?: number
  /** At most this many (default 1000, at most `maxLogPage`), the newest ones. */
  readonly limit?: number
}

/** Most events one `queryLogs` call returns. */
export const maxLogPage = 10_000

export interface LogPage {
  /** Oldest first. */
  readonly events: readonly LogEvent[]
  /** More events match before the first one returned. */
  readonly hasMore: boolean
  /**
   * With `hasMore`: the `beforeSeq` of the next page. Usually the first event's `seq`; lower when
   * a search of older logs stopped at its time or size bound before it filled the page.
   */
  readonly nextBeforeSeq?: number
}
