import type { DashboardClient } from '../../../shared/dashboard-api'
import { takeAccessToken } from './access-token'
import { createHttpDashboardApi } from './http-dashboard-api'
import { createHttpDashboardEvents } from './http-dashboard-events'

declare global {
  interface Window {
    /** Set by the Electron preload script; absent when the dashboard runs in a browser. */
    readonly mcpTray?: DashboardClient
  }
}

/** The dashboard client of wherever this page runs: Electron's bridge, else the hub over HTTP. */
export function dashboardApiSource(): DashboardClient {
  if (window.mcpTray) return window.mcpTray
  const token = takeAccessToken(window.location, window.history, window.sessionStorage)
  const options = token === undefined ? {} : { token }
  return { ...createHttpDashboardApi(options), ...createHttpDashboardEvents(options) }
}
