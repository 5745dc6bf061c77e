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

export interface HeadlessHub {
  readonly hub: HubServer
  readonly dashboard: DashboardHttpServer | undefined
  readonly logs: LogStore
  readonly status: ServerStatusBoard
  close(): Promise<void>
}

/**
 * The hub without Electron (`mcp-tray serve`): the local socket proxies talk to, the log store
 * and status model they feed, and the dashboard over loopback HTTP for a browser.
 */
export async function startHeadlessHub(options: {
  dataDir: string
  rendererDir: string | undefined
  dashboardPort?: number
  /** What the hub does besides describing itself and keeping logs: token and sign-in handlers, wired by the caller. */
  handlers?: ReadonlyMap<string, HubHandler>
  /** The status model, when the caller's handlers report to it too (sign-in). */
  status?: ServerStatusBoard
}): Promise<HeadlessHub> {
  await ensureDataDir(options.dataDir)
  const logs = new LogStore({ dir: logsDir(options.dataDir) })
  const status = options.status ?? new ServerStatusBoard()
  const subscriptions = new HubSubscriptions()
  const api = createDashboardService('headless', { logs, status })
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
    dashboard,
    logs,
    status,
    async close() {
      await Promise.all([hub.close(), dashboard?.close()])
      await closeParts()
    },
  }
}
