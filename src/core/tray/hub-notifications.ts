import type { ClientId } from '../../shared/client-ids'
import type { DashboardEvent } from '../../shared/dashboard-events'
import type { InstallOutcome, ServerView } from '../../shared/server-view'
import type { ClientConfigs } from '../clients/client-configs'
import { ConfigGuard } from '../clients/config-guard'
import { NotificationCenter } from './notification-center'
import { NotificationTriggers, type NotificationTriggerSources } from './notification-triggers'

export interface HubNotificationsOptions extends NotificationTriggerSources {
  /**
   * The client config files MCP Tray writes, opened when first needed (as the lifecycle use cases
   * open them); the entries a client drops from them are put back. None: no guard.
   */
  readonly configs?: () => Pick<ClientConfigs, 'locate' | 'restore' | 'ledger'>
  /** The quiet time per server and cause, in ms, read at each notification (a setting). */
  readonly intervalMs?: () => number
  /** Quiet time after a client's last write before the guard checks its file (default 1 s). */
  readonly guardDebounceMs?: number
  /**
   * The dashboards' events: every notification is published there (the page shows it; headless,
   * it is the only way to reach the person), and a `servers` event naming a client that now starts
   * one of our servers has that client guarded.
   */
  readonly events?: {
    publish(event: DashboardEvent): void
    onEvent(listener: (numbered: { readonly event: DashboardEvent }) => void): () => void
  }
}

/** The clients known to drop entries they did not write when they save their settings. */
const guardedClients: readonly ClientId[] = ['claude-desktop']
const lookAgainMs = 30_000

/**
 * The hub's notifications as the composition root starts them: the center every surface listens
 * to, the triggers that feed it from the hub's status, and the config guard, which puts back the
 * entries Claude Desktop strips from its file and says so.
 */
export class HubNotifications {
  readonly center: NotificationCenter
  readonly #triggers: NotificationTriggers
  readonly #options: HubNotificationsOptions
  readonly #guards = new Map<ClientId, ConfigGuard>()
  readonly #stops: (() => void)[] = []
  #guarding: Promise<void> = Promise.resolve()
  /** When a `servers` event last had the clients looked at (epoch ms), so that a client that cannot be guarded is not read again at every event. */
  #lookedAt = Number.NEGATIVE_INFINITY
  #closed = false

  constructor(options: HubNotificationsOptions) {
    this.#options = options
    this.center = new NotificationCenter(options.intervalMs ? { intervalMs: options.intervalMs } : {})
    this.#triggers = new NotificationTriggers(this.center, options)
    const { events } = options
    if (events) {
      this.#stops.push(
        this.center.onNotification((notification) => events.publish({ type: 'notification', notification })),
        events.onEvent(({ event }) => event.type === 'servers' && this.#serversChanged(event.servers)),
      )
    }
    void this.guardClients()
  }

  /** Calls `listener` with every notification from now on; returns how to stop. */
  onNotification(...args: Parameters<NotificationCenter['onNotification']>): () => void {
    return this.center.onNotification(...args)
  }

  /**
   * Config files changed for `server` (connect, install, rename, remove): a client that must
   * restart to load the change is named, and a file that now holds an entry of ours is guarded.
   */
  clientsChanged(server: string | undefined, outcomes: readonly Pick<InstallOutcome, 'client' | 'restartNeeded'>[]): Promise<void> {
    this.#triggers.clientsChanged(server, outcomes)
    return this.guardClients()
  }

  /** `client` must be restarted to load a change made for `server`. */
  restartNeeded(server: string | undefined, client: ClientId): void {
    this.#triggers.restartNeeded(server, client)
  }

  /**
   * Starts guarding each client whose file holds an entry MCP Tray installed. A file with none is
   * left alone: nothing of ours to put back, and its folder (of an app perhaps not even installed)
   * is not created to watch it. Resolves when the guards that should run do.
   */
  guardClients(): Promise<void> {
    this.#guarding = this.#guarding.then(async () => {
      if (!this.#options.configs) return
      for (const client of guardedClients) {
        if (this.#closed || this.#guards.has(client)) continue
        try {
          const configs = this.#options.configs()
          const { file } = await configs.locate(client)
          if (!(await configs.ledger.records(client, file)).some((record) => record.state === 'installed')) continue
          const guard = new ConfigGuard({
            configs,
            client,
            ...(this.#options.guardDebounceMs === undefined ? {} : { debounceMs: this.#options.guardDebounceMs }),
            onEvent: (event) => event.type === 'restored' && this.#triggers.configRestored(event),
          })
          this.#guards.set(client, guard)
          await guard.start()
        } catch {
          // A client whose file cannot be located or watched (or a hub that cannot open the files) is
          // not guarded; installing into it says why.
          await this.#guards.get(client)?.stop()
          this.#guards.delete(client)
        }
      }
    })
    return this.#guarding
  }

  /** The clients whose config files are guarded now. */
  guarded(): ClientId[] {
    return [...this.#guards.keys()]
  }

  /** A client that starts one of our servers and is not guarded yet (its first entry was just written) gets guarded. */
  #serversChanged(servers: readonly ServerView[]): void {
    if (Date.now() - this.#lookedAt < lookAgainMs) return
    if (!guardedClients.some((client) => !this.#guards.has(client) && servers.some((server) => server.clients.includes(client)))) return
    this.#lookedAt = Date.now()
    void this.guardClients()
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const stop of this.#stops.splice(0)) stop()
    this.#triggers.close()
    this.center.close()
    await this.#guarding
    await Promise.all([...this.#guards.values()].map((guard) => guard.stop()))
    this.#guards.clear()
  }
}
