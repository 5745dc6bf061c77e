import type { AppInfo, DashboardApi } from '../../shared/dashboard-api'
import { createDashboardService } from '../dashboard/dashboard-service'
import { startDashboardHttpServer, type DashboardHttpServer } from '../dashboard/dashboard-http-server'
import { ensureDataDir } from '../data/data-dir'
import { logsDir } from '../logs/log-files'
import { LogStore } from '../logs/log-store'
import { hubAddressFor } from './hub-address'
import { startHubServer, type HubHandler, type HubServer } from './hub-server'
import { HubSubscriptions } from './hub-subscriptions'
import { logHandlers } from './log-handlers'
import { ServerStatusBoard } from './server-status'

export interface RunningHub {
  readonly hub: HubServer
  /** The dashboard contract as this hub answers it, for the shell's bridge (IPC in the app). */
  readonly api: DashboardApi
  /** The dashboard over loopback HTTP, when asked for (headless). */
  readonly dashboard: DashboardHttpServer | undefined
  readonly logs: LogStore
  readonly status: ServerStatusBoard
  close(): Promise<void>
}

/**
 * The hub, in the app or headless (`mcp-tray serve`): the local socket proxies talk to, the log
 * store and status model they feed, and, headless, the dashboard over loopback HTTP for a browser.
 */
export async function startHub(options: {
  dataDir: string
  /** Which shell runs it (default headless). */
  shell?: AppInfo['shell']
  /** The built dashboard to serve over loopback HTTP; none in the app, which has its window. */
  rendererDir?: string | undefined
  dashboardPort?: number
  /** What the hub does besides describing itself and keeping logs: token and sign-in handlers, wired by the caller. */
  handlers?: ReadonlyMap<string, HubHandler>
  /** The status model, when the caller's handlers report to it too (sign-in). */
  status?: ServerStatusBoard
}): Promise<RunningHub> {
  await ensureDataDir(options.dataDir)
  const logs = new LogStore({ dir: logsDir(options.dataDir) })
  const status = options.status ?? new ServerStatusBoard()
  const subscriptions = new HubSubscriptions()
  const api = createDashboardService(options.shell ?? 'headless', { logs, status })
  const handlers = new Map<string, HubHandler>([
    ['appInfo', () => api.getAppInfo()],
    ...logHandlers({ logs, status, subscriptions }),
    ...(options.handlers ?? []),
  ])
  const hub = await startHubServer(hubAddressFor(options.dataDir), handlers)
  hub.onPeerClosed((peer) => {
    status.detach(peer)
    subscriptions.remove(peer)
  })
  logs.onAppend((events) => subscriptions.publish('logs', events))
  status.onChange((statuses) => subscriptions.publish('status', statuses))
  const closeParts = async (): Promise<void> => {
    status.close()
    await logs.close()
  }
  let dashboard: DashboardHttpServer | undefined
  try {
    dashboard =
      options.rendererDir === undefined
        ? undefined
        : await startDashboardHttpServer({
            api,
            rendererDir: options.rendererDir,
            ...(options.dashboardPort === undefined ? {} : { port: options.dashboardPort }),
          })
  } catch (error) {
    await hub.close()
    await closeParts()
    throw error
  }
  return {
    hub,
    api,
    dashboard,
    logs,
    status,
    async close() {
      await Promise.all([hub.close(), dashboard?.close()])
      await closeParts()
    },
  }
}
