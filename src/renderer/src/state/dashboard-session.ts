import type { AppInfo, ClientInfo, DashboardClient, ServerView } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { createLogStore, type LogStore } from '../log/log-store'
import { createClientsStore, createServersStore } from '../servers/servers-store'
import { createClock, type Clock } from './clock'
import { createEventFanout, type EventFanout } from './event-fanout'
import type { Loadable } from './loadable'
import { createNotificationsStore, type NotificationsStore } from './notifications-store'
import type { ReloadingStore } from './reloading-store'
import { createValueStore, type ValueStore } from './value-store'

/** Everything the page holds for one client: its stores, fed by one event subscription. */
export interface DashboardSession {
  readonly client: DashboardClient
  readonly events: EventFanout
  readonly clock: Clock
  readonly appInfo: ValueStore<Loadable<AppInfo>>
  readonly servers: ReloadingStore<readonly ServerView[]>
  readonly clients: ReloadingStore<readonly ClientInfo[]>
  /** Started by the first view that shows the log, then kept following. */
  readonly log: LogStore
  readonly notifications: NotificationsStore
  start(): void
  stop(): void
}

export function createDashboardSession(client: DashboardClient): DashboardSession {
  const events = createEventFanout(client)
  const clock = createClock()
  const appInfo = createValueStore<Loadable<AppInfo>>({ status: 'loading' })
  const servers = createServersStore(client, events)
  const clients = createClientsStore(client, events)
  const log = createLogStore(client, events)
  const notifications = createNotificationsStore(events)

  return {
    client,
    events,
    clock,
    appInfo,
    servers,
    clients,
    log,
    notifications,
    start() {
      // Stores listen before the stream opens, so that no event falls between.
      servers.start()
      clients.start()
      notifications.start()
      events.start()
      clock.start()
      client.getAppInfo().then(
        (info) => appInfo.set({ status: 'ready', data: info }),
        (error: unknown) => appInfo.set({ status: 'error', error: describeError(error) }),
      )
    },
    stop() {
      events.stop()
      clock.stop()
      servers.stop()
      clients.stop()
      log.stop()
      notifications.stop()
    },
  }
}
