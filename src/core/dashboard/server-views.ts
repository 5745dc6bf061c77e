import type { ClientId } from '../../shared/client-ids'
import type { ClientInfo, ServerView } from '../../shared/server-view'
import type { LogEvent } from '../../shared/log-model'
import type { ServerStatusBoard } from '../hub/server-status'
import { optionsOf, summaryOf } from '../lifecycle/server-summary'
import type { AuthStatus } from '../oauth/server-auth-record'
import type { ServerEntry } from '../registry/server-entry'
import type { ServerRegistry } from '../registry/server-registry'
import type { DashboardEventBus } from './dashboard-event-bus'
import type { PendingSignIns } from './pending-sign-ins'

export interface ServerViewSources {
  readonly registry: Pick<ServerRegistry, 'list'>
  readonly status: Pick<ServerStatusBoard, 'list' | 'onChange'>
  readonly signInStatus: (server: string) => Promise<AuthStatus>
  /** The client apps and the servers their config files hold. */
  readonly clients: () => Promise<readonly ClientInfo[]>
  readonly recentLatencies: (server: string) => readonly number[]
  readonly pendingSignIns: PendingSignIns
  /** The log as proxies feed it: its `revision` events say which MCP revision each server speaks. */
  readonly logs: { onAppend(listener: (events: readonly LogEvent[]) => void): () => void }
  readonly events: DashboardEventBus
  /** Coalesce changes into one `servers` event at most this often (default 150 ms). */
  readonly coalesceMs?: number
  /** Reuse what the client config files said for this long (default 2 s): they are read from disk. */
  readonly clientsTtlMs?: number
}

/**
 * Every server as the views show it (ServerView): the registry entry, the status board's live
 * state, the sign-in summary (never a token), the clients that start it and a pending sign-in.
 * Pushes the whole list to pages whenever any part of it changed, coalesced.
 */
export class ServerViews {
  readonly #sources: ServerViewSources
  readonly #stops: (() => void)[]
  /** Server → the MCP revision its proxies last found it speaking. */
  readonly #revisions = new Map<string, string>()
  #timer: NodeJS.Timeout | undefined
  #clients: { readonly at: number; readonly value: Promise<readonly ClientInfo[]> } | undefined
  #closed = false

  constructor(sources: ServerViewSources) {
    this.#sources = sources
    this.#stops = [
      sources.status.onChange(() => this.changed()),
      sources.pendingSignIns.onChange(() => this.changed()),
      sources.logs.onAppend((events) => {
        for (const event of events) {
          if (event.revision === undefined || this.#revisions.get(event.server) === event.revision) continue
          this.#revisions.set(event.server, event.revision)
          this.changed()
        }
      }),
    ]
  }

  async list(): Promise<ServerView[]> {
    const entries = new Map(this.#sources.registry.list().map((entry) => [entry.name, entry]))
    const clients = await this.#clientsNow()
    return Promise.all(this.#sources.status.list().map((status) => this.#view(status.server, entries.get(status.server), status, clients)))
  }

  async get(name: string): Promise<ServerView | undefined> {
    return (await this.list()).find((view) => view.server === name)
  }

  /** Something about the servers changed: pages get the new list shortly. */
  changed(): void {
    this.#clients = undefined
    if (this.#timer !== undefined || this.#closed) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.list().then(
        (servers) => !this.#closed && this.#sources.events.publish({ type: 'servers', servers }),
        () => undefined,
      )
    }, this.#sources.coalesceMs ?? 150)
    this.#timer.unref()
  }

  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    for (const stop of this.#stops) stop()
  }

  async #view(
    name: string,
    entry: ServerEntry | undefined,
    status: ReturnType<ServerStatusBoard['list']>[number],
    clients: readonly ClientInfo[],
  ): Promise<ServerView> {
    const pending = this.#sources.pendingSignIns.get(name)
    const revision = this.#revisions.get(name)
    return {
      ...status,
      url: entry?.url ?? '',
      options: entry ? optionsOf(entry) : {},
      signIn: summaryOf(await this.#sources.signInStatus(name).catch((error: unknown) => ({ state: 'error' as const, problem: String(error) }))),
      clients: clients.filter((client) => client.servers.includes(name)).map((client): ClientId => client.id),
      recentLatencyMs: this.#sources.recentLatencies(name),
      ...(pending ? { pendingSignIn: pending } : {}),
      ...(revision ? { revision } : {}),
    }
  }

  #clientsNow(): Promise<readonly ClientInfo[]> {
    const now = Date.now()
    if (!this.#clients || now - this.#clients.at > (this.#sources.clientsTtlMs ?? 2_000)) {
      this.#clients = { at: now, value: this.#sources.clients().catch(() => []) }
    }
    return this.#clients.value
  }
}
