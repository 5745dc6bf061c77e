import { dashboardMethods, type DashboardApi, type DashboardMethod } from '../../../shared/dashboard-api'
import { dashboardRoute, type DashboardHttpFailure } from '../../../shared/dashboard-http'
import { TrayError } from '../../../shared/tray-error'

export interface HttpDashboardApiOptions {
  /** Where the hub serves the dashboard; empty for the page's own origin. */
  readonly baseUrl?: string
  /** The access token every call carries (see access-token.ts). */
  readonly token?: string
  readonly fetch?: typeof fetch
}

/**
 * The dashboard API over the headless hub's HTTP bridge (see shared/dashboard-http.ts), for a
 * dashboard opened in a browser instead of in Electron.
 */
export function createHttpDashboardApi(options: HttpDashboardApiOptions = {}): DashboardApi {
  const baseUrl = options.baseUrl ?? ''
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  const call = (method: DashboardMethod) => async (...args: unknown[]) => {
    let response: Response
    try {
      response = await fetchFn(`${baseUrl}${dashboardRoute(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: JSON.stringify(args),
      })
    } catch (cause) {
      throw new TrayError('dashboard_unreachable', 'The dashboard cannot reach MCP Tray.', {
        hint: 'Check that "mcp-tray serve" is still running, then reload this page.',
        cause,
      })
    }
    return readDashboardResponse(method, response)
  }
  return Object.fromEntries(dashboardMethods.map((method) => [method, call(method)])) as unknown as DashboardApi
}

/** Turns the hub's answer to one call into its result, or into the TrayError it reports. */
export async function readDashboardResponse(method: DashboardMethod, response: Response): Promise<unknown> {
  const body: unknown = await response.json().catch(() => undefined)
  if (response.ok) {
    if (body === undefined) {
      throw new TrayError('dashboard_bad_response', `MCP Tray answered ${method} with something that is not JSON.`, {
        hint: 'Reload the page; if it persists, restart "mcp-tray serve".',
      })
    }
    return body
  }
  if (isFailure(body)) throw new TrayError(body.code, body.message, body.hint === undefined ? {} : { hint: body.hint })
  throw new TrayError('dashboard_http_status', `MCP Tray answered ${method} with HTTP ${response.status}.`, {
    hint: 'Reload the page; if it persists, restart "mcp-tray serve".',
  })
}

function isFailure(body: unknown): body is DashboardHttpFailure {
  if (typeof body !== 'object' || body === null) return false
  const { code, message, hint } = body as Record<string, unknown>
  return typeof code === 'string' && typeof message === 'string' && (hint === undefined || typeof hint === 'string')
}
