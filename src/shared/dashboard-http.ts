import type { DashboardMethod } from './dashboard-api'

/**
 * How the headless HTTP bridge carries the dashboard contract, for the browser client and the
 * hub's server alike: each method is `POST /api/<method>` on the hub's own origin, the request
 * body is the JSON array of the method's arguments, a 2xx response body is the JSON result,
 * and any other status carries a `DashboardHttpFailure`.
 */
export function dashboardRoute(method: DashboardMethod): string {
  return `/api/${method}`
}

/** The body of a failed call: the fields of the TrayError it stands for. */
export interface DashboardHttpFailure {
  readonly code: string
  readonly message: string
  readonly hint?: string
}
