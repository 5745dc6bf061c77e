import { createDashboardService } from '../dashboard/dashboard-service'
import { startDashboardHttpServer, type DashboardHttpServer } from '../dashboard/dashboard-http-server'
import { ensureDataDir } from '../data/data-dir'
import { hubAddressFor } from './hub-address'
import { startHubServer, type HubHandler, type HubServer } from './hub-server'

export interface HeadlessHub {
  readonly hub: HubServer
  readonly dashboard: DashboardHttpServer | undefined
  close(): Promise<void>
}

/**
 * The hub without Electron (`mcp-tray serve`): the local socket proxies talk to, and the
 * dashboard over loopback HTTP for a browser.
 */
export async function startHeadlessHub(options: {
  dataDir: string
  rendererDir: string | undefined
  dashboardPort?: number
  /** What the hub does besides describing itself: token and sign-in handlers, wired by the caller. */
  handlers?: ReadonlyMap<string, HubHandler>
}): Promise<HeadlessHub> {
  await ensureDataDir(options.dataDir)
  const api = createDashboardService('headless')
  const handlers = new Map<string, HubHandler>([['appInfo', () => api.getAppInfo()], ...(options.handlers ?? [])])
  const hub = await startHubServer(hubAddressFor(options.dataDir), handlers)
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
    throw error
  }
  return {
    hub,
    dashboard,
    async close() {
      await Promise.all([hub.close(), dashboard?.close()])
    },
  }
}
