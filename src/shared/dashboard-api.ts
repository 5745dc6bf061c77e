/**
 * The dashboard contract: every method the renderer may call and every event it may receive.
 * Electron's IPC handlers, the preload bridge and the headless HTTP bridge all implement this
 * one type, so the compiler keeps them in step.
 */
export interface AppInfo {
  readonly name: string
  readonly version: string
  /** Where the app runs: inside Electron, or as the headless hub serving a browser. */
  readonly shell: 'electron' | 'headless'
}

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

/**
 * One structured log event: what a proxy saw for one relayed message (or one thing it did on
 * its own, such as recovering a session). It never contains a token.
 */
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

/**
 * - `idle`: no proxy attached; `connected`: at least one proxy relays for it;
 * - `signing-in`: the hub runs a sign-in for it; `sign-in-needed`: its sign-in is gone and only
 *   a person can sign in again; `error`: its last request failed (see `lastError`).
 */
export type ServerState = 'idle' | 'connected' | 'signing-in' | 'sign-in-needed' | 'error'

/** A server as the hub sees it now. */
export interface ServerStatus {
  readonly server: string
  readonly state: ServerState
  /** How many proxy processes relay for it now. */
  readonly proxies: number
  /** ISO 8601 time of its last log event, when it had one since the hub started. */
  readonly lastActivity?: string
  /** Requests relayed to it since the hub started. */
  readonly requests: number
  /** Failed requests, timeouts and error answers since the hub started. */
  readonly errors: number
  /** The last error, as a sentence (credentials masked). */
  readonly lastError?: string
}

/** Most events one `recentLogs` call returns. */
export const maxRecentLogs = 1000

export interface DashboardApi {
  getAppInfo(): Promise<AppInfo>
  /** Every server the hub knows, with its live status. */
  listServers(): Promise<ServerStatus[]>
  /** The last `limit` events (default 200, at most `maxRecentLogs`) of one server or of all, oldest first. */
  recentLogs(server?: string, limit?: number): Promise<LogEvent[]>
}

export type DashboardMethod = keyof DashboardApi

/** The names of the dashboard methods, as IPC channels and HTTP routes use them. */
export const dashboardMethods = ['getAppInfo', 'listServers', 'recentLogs'] as const satisfies readonly DashboardMethod[]
