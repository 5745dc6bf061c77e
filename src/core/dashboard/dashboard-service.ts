import type { AppInfo, DashboardApi } from '../../shared/dashboard-api'
import { appVersion } from '../../shared/app-version'

/** The dashboard API as the hub answers it, whichever shell (Electron or headless) carries it. */
export function createDashboardService(shell: AppInfo['shell']): DashboardApi {
  return {
    getAppInfo: async () => ({ name: 'MCP Tray', version: appVersion, shell }),
  }
}
