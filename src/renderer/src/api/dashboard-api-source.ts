import type { DashboardApi } from '../../../shared/dashboard-api'
import { createHttpDashboardApi } from './http-dashboard-api'

declare global {
  interface Window {
    /** Set by the Electron preload script; absent when the dashboard runs in a browser. */
    readonly mcpTray?: DashboardApi
  }
}

/** The dashboard API of wherever this page runs: Electron's bridge, else the hub over HTTP. */
export function dashboardApiSource(): DashboardApi {
  return window.mcpTray ?? createHttpDashboardApi()
}
