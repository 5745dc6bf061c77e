import type { DashboardMethod } from './dashboard-api'

/**
 * How the headless HTTP bridge carries the dashboard contract, for the browser client and the
 * hub's server alike: each method is `POST /api/<method>` on the hub's own origin, the request
 * body is the JSON array of the method's arguments, a 2xx response body is the JSON result,
 * and any other status carries a `DashboardHttpFailure`. Every call, and the event stream, carries
 * the run's access token as `Authorization: Bearer <token>`.
 */
export function dashboardRoute(method: DashboardMethod): string {
  return `/api/${method}`
}

/**
 * The event stream: server-sent events, one `message` event per `DashboardEvent` (JSON), each with
 * an id to resume from (`Last-Event-ID`); a first `hello` event carries the id to start from.
 */
export const dashboardEventsRoute = '/api/events'

/** The fragment key of the address `mcp-tray serve` prints: `#token=<token>`. */
export const dashboardTokenParam = 'token'

/** The body of a failed call: the fields of the TrayError it stands for. */
export interface DashboardHttpFailure {
  readonly code: string
  readonly message: string
  readonly hint?: string
}
