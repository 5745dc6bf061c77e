import type { ClientInfo, DashboardClient, ServerView } from '../../../shared/dashboard-api'
import type { EventFanout } from '../state/event-fanout'
import { createReloadingStore, type ReloadingStore } from '../state/reloading-store'

/** Every server with its live status. */
export function createServersStore(client: Pick<DashboardClient, 'listServers'>, events: EventFanout): ReloadingStore<readonly ServerView[]> {
  return createReloadingStore<readonly ServerView[]>(
    () => client.listServers(),
    events,
    (event) => (event.type === 'servers' ? event.servers : undefined),
  )
}

/** The client apps MCP Tray can install into, with their config files. */
export function createClientsStore(client: Pick<DashboardClient, 'listClients'>, events: EventFanout): ReloadingStore<readonly ClientInfo[]> {
  return createReloadingStore<readonly ClientInfo[]>(
    () => client.listClients(),
    events,
    () => undefined,
  )
}
