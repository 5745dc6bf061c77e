import type { AppInfo, DashboardApi } from '../../shared/dashboard-api'
import { maxRecentLogs } from '../../shared/dashboard-api'
import { appVersion } from '../../shared/app-version'
import { TrayError } from '../../shared/tray-error'
import type { LogStore } from '../logs/log-store'
import type { ServerStatusBoard } from '../hub/server-status'

/** Where the service reads servers and logs: the hub's status model and log store. */
export interface DashboardSources {
  readonly status: Pick<ServerStatusBoard, 'list'>
  readonly logs: Pick<LogStore, 'recent'>
}

const defaultRecentLogs = 200

/**
 * The dashboard API as the hub answers it, whichever shell (Electron or headless) carries it.
 * Arguments come from a page, so they are checked here, once, for every bridge. Without sources
 * (a shell that runs no hub yet) there are no servers and no logs to show.
 */
export function createDashboardService(shell: AppInfo['shell'], sources?: DashboardSources): DashboardApi {
  return {
    getAppInfo: async () => ({ name: 'MCP Tray', version: appVersion, shell }),
    listServers: async () => sources?.status.list() ?? [],
    recentLogs: async (server?: unknown, limit?: unknown) => {
      if (server !== undefined && server !== null && (typeof server !== 'string' || server === '' || server.length > 200)) {
        throw badArgument('recentLogs takes a server name (or nothing, for every server).')
      }
      if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= maxRecentLogs)) {
        throw badArgument(`recentLogs takes a limit between 1 and ${maxRecentLogs}.`)
      }
      return sources?.logs.recent(server ?? undefined, (limit as number | null | undefined) ?? defaultRecentLogs) ?? []
    },
  }
}

function badArgument(message: string): TrayError {
  return new TrayError('dashboard_bad_request', message, { hint: 'Reload the dashboard; if it persists, it does not match this MCP Tray.' })
}
