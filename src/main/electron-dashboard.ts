import type { DashboardApi } from '../shared/dashboard-api'
import { appVersion } from '../shared/app-version'

/** The dashboard API as the Electron shell answers it. */
export function createElectronDashboard(): DashboardApi {
  return {
    getAppInfo: async () => ({ name: 'MCP Tray', version: appVersion, shell: 'electron' }),
  }
}
