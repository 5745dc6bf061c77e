import type { ClientId } from '../../shared/client-ids'
import type { SignInEvent } from '../../shared/dashboard-events'
import type { InstallOutcome, ServerStatus } from '../../shared/server-view'
import { clientKinds } from '../clients/client-kinds'
import type { NotificationCenter } from './notification-center'

/** Where the triggers hear of changes: the hub's status board and its sign-ins waiting in a browser. */
export interface NotificationTriggerSources {
  readonly status: { onChange(listener: (statuses: readonly ServerStatus[]) => void): () => void }
  readonly signIns?: { onChange(listener: (event: SignInEvent) => void): () => void }
  /** How many failures within `windowMs` make a server worth a notification (default 3 in 2 minutes). */
  readonly failures?: { readonly count: number; readonly windowMs: number }
  readonly now?: () => number
}

const defaultFailures = { count: 3, windowMs: 2 * 60_000 }

/**
 * What is worth telling the person, as it happens: a server that needs a sign-in only they can do,
 * a sign-in waiting for them in a browser (with its address), a server that keeps failing, a client
 * that must restart to load a change, and entries a client dropped that were put back. Each raises
 * a draft in the center, which keeps repeats quiet.
 */
export class NotificationTriggers {
  readonly #center: NotificationCenter
  readonly #failures: { readonly count: number; readonly windowMs: number }
  readonly #now: () => number
  readonly #last = new Map<string, ServerStatus>()
  /** Server → its recent failures: when seen and how many. */
  readonly #recentFailures = new Map<string, { at: number; count: number }[]>()
  readonly #stops: (() => void)[]

  constructor(center: NotificationCenter, sources: NotificationTriggerSources) {
    this.#center = center
    this.#failures = sources.failures ?? defaultFailures
    this.#now = sources.now ?? Date.now
    this.#stops = [sources.status.onChange((statuses) => statuses.forEach((status) => this.#statusChanged(status)))]
    if (sources.signIns) this.#stops.push(sources.signIns.onChange((event) => this.#signInChanged(event)))
  }

  /** Config files changed for `server` (connect, install, rename, remove): a client that must restart to load them is named. */
  clientsChanged(server: string | undefined, outcomes: readonly Pick<InstallOutcome, 'client' | 'restartNeeded'>[]): void {
    if (outcomes.some((outcome) => outcome.client === 'claude-desktop' && outcome.restartNeeded)) this.restartNeeded(server, 'claude-desktop')
  }

  /** `client` runs and must be restarted to load a change MCP Tray made for `server`. */
  restartNeeded(server: string | undefined, client: ClientId): void {
    const name = clientKinds[client].displayName
    this.#center.raise({
      cause: 'restart-client',
      ...(server === undefined ? {} : { server }),
      title: `Restart ${name} to load the change`,
      body: server === undefined ? `${name} reads its MCP servers only when it starts.` : `${name} starts ${server} through MCP Tray once it restarts.`,
      ...(client === 'claude-desktop' ? { action: { kind: 'restart-client' as const } } : {}),
    })
  }

  /** The config guard put back entries `client` had dropped from its file. */
  configRestored(event: { readonly client: ClientId; readonly keys: readonly string[] }): void {
    if (event.keys.length === 0) return
    const name = clientKinds[event.client].displayName
    const [only] = event.keys
    const what = event.keys.length === 1 ? `the entry for ${only}` : `${event.keys.length} entries (${event.keys.join(', ')})`
    this.#center.raise({
      cause: 'config-restored',
      ...(event.keys.length === 1 && only !== undefined ? { server: only } : {}),
      title: `Put back MCP Tray servers in ${name}`,
      body: `${name} rewrote its config file without ${what}; MCP Tray put ${event.keys.length === 1 ? 'it' : 'them'} back. Restart ${name} to load ${event.keys.length === 1 ? 'it' : 'them'}.`,
      ...(event.client === 'claude-desktop' ? { action: { kind: 'restart-client' as const } } : {}),
    })
  }

  close(): void {
    for (const stop of this.#stops.splice(0)) stop()
  }

  #statusChanged(status: ServerStatus): void {
    const previous = this.#last.get(status.server)
    this.#last.set(status.server, status)
    if (status.state === 'sign-in-needed' && previous?.state !== 'sign-in-needed') {
      this.#center.raise({
        cause: 'sign-in-needed',
        server: status.server,
        title: `Sign in to ${status.server} again`,
        body: status.lastError ?? `MCP Tray cannot renew the sign-in to ${status.server} by itself.`,
        action: { kind: 'sign-in', server: status.server },
      })
    }
    this.#countFailures(status, status.errors - (previous?.errors ?? 0))
  }

  #countFailures(status: ServerStatus, fresh: number): void {
    const now = this.#now()
    const recent = (this.#recentFailures.get(status.server) ?? []).filter((failure) => now - failure.at < this.#failures.windowMs)
    if (fresh > 0) recent.push({ at: now, count: fresh })
    const count = recent.reduce((sum, failure) => sum + failure.count, 0)
    // Only our side failing (timeouts, a server unreachable) makes the state an error; JSON-RPC error answers are the server answering.
    if (status.state === 'error' && count >= this.#failures.count) {
      const minutes = Math.max(1, Math.round(this.#failures.windowMs / 60_000))
      const raised = this.#center.raise({
        cause: 'repeated-failures',
        server: status.server,
        title: `${status.server} keeps failing`,
        body: `${count} requests failed in the last ${minutes === 1 ? 'minute' : `${minutes} minutes`}.${status.lastError ? ` Last: ${status.lastError}` : ''}`,
        action: { kind: 'open-log', server: status.server },
      })
      if (raised) recent.length = 0
    }
    if (recent.length === 0) this.#recentFailures.delete(status.server)
    else this.#recentFailures.set(status.server, recent)
  }

  #signInChanged(event: SignInEvent): void {
    if (event.state !== 'waiting' || event.url === undefined) return
    this.#center.raise({
      cause: 'sign-in-waiting',
      server: event.server,
      title: `Sign in to ${event.server} in your browser`,
      body: 'A sign-in page waits for you. If none opened, open the sign-in address from here.',
      action: { kind: 'open-url', url: event.url },
    })
  }
}
