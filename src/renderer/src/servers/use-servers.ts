import type { ClientInfo, ServerView } from '../../../shared/dashboard-api'
import { useDashboard } from '../state/DashboardContext'
import type { Loadable } from '../state/loadable'
import { useValue } from '../state/value-store'

/** Every server with its live status, as the hub last said. */
export function useServers(): Loadable<readonly ServerView[]> {
  return useValue(useDashboard().servers.state)
}

/** The client apps, with their config files and whether Connect installs into them. */
export function useClients(): Loadable<readonly ClientInfo[]> {
  return useValue(useDashboard().clients.state)
}
