import { randomUUID } from 'node:crypto'
import type { AppSettings, AppSettingsChange } from '../../shared/app-settings'
import type { ConnectProgress } from '../../shared/connect'
import { TrayError } from '../../shared/tray-error'
import {
  addServerArgument,
  checked,
  clientArgument,
  connectArgument,
  serverName,
  serverOptionsChangeArgument,
} from '../dashboard/dashboard-arguments'
import type { ServerLifecycle } from '../lifecycle/server-lifecycle'
import type { HubHandler, HubPeer } from './hub-server'

/** The event the hub sends the CLI client that asked for a connect, with each step: `ConnectProgress`. */
export const connectProgressEvent = 'connect-progress'

/** The settings as the hub reads and changes them. */
export interface HubSettings {
  get(): Promise<AppSettings>
  update(change: AppSettingsChange): Promise<AppSettings>
}

/**
 * The connects each client runs, so that it can cancel its own (`cancelConnect`, Ctrl+C) and so that
 * a client that goes away cancels what it started: a connect nobody waits for any more should not
 * go on to sign in and write files.
 */
export class ConnectRuns {
  readonly #runs = new Map<HubPeer, Map<string, AbortController>>()

  start(peer: HubPeer, runId: string): AbortController {
    const controller = new AbortController()
    let runs = this.#runs.get(peer)
    if (!runs) this.#runs.set(peer, (runs = new Map()))
    runs.get(runId)?.abort()
    runs.set(runId, controller)
    return controller
  }

  finish(peer: HubPeer, runId: string, controller: AbortController): void {
    const runs = this.#runs.get(peer)
    if (runs?.get(runId) !== controller) return
    runs.delete(runId)
    if (runs.size === 0) this.#runs.delete(peer)
  }

  cancel(peer: HubPeer, runId: string): boolean {
    const controller = this.#runs.get(peer)?.get(runId)
    controller?.abort()
    return controller !== undefined
  }

  /** The client's connection closed. */
  peerClosed(peer: HubPeer): void {
    for (const controller of this.#runs.get(peer)?.values() ?? []) controller.abort()
    this.#runs.delete(peer)
  }

  /** Whether any connect runs now: the hub is needed while one does. */
  running(): number {
    let count = 0
    for (const runs of this.#runs.values()) count += runs.size
    return count
  }
}

/**
 * The lifecycle use cases on the hub socket, for the CLI: the same calls the dashboard and the tray
 * make, run where the vault, OAuth and the callback port are. A connect's steps go to the client
 * that asked, as `connect-progress` events.
 */
export function lifecycleHandlers(lifecycle: ServerLifecycle, settings: HubSettings, runs: ConnectRuns): Map<string, HubHandler> {
  return new Map<string, HubHandler>([
    [
      'connect',
      async (params, peer) => {
        const request = checked(connectArgument, params, 'connect request')
        const runId = request.runId ?? randomUUID()
        const controller = runs.start(peer, runId)
        try {
          const send = (progress: ConnectProgress): void => peer.send({ event: connectProgressEvent, data: progress })
          return await lifecycle.connect({ ...request, runId }, send, controller.signal)
        } finally {
          runs.finish(peer, runId, controller)
        }
      },
    ],
    [
      'cancelConnect',
      async (params, peer) => {
        const runId = (params as { runId?: unknown } | undefined)?.runId
        if (typeof runId !== 'string') throw badRequest('cancelConnect needs the runId of a connect.')
        return { cancelled: runs.cancel(peer, runId) }
      },
    ],
    ['addServer', async (params) => lifecycle.addServer(checked(addServerArgument, params, 'server'))],
    ['removeServer', async (params) => lifecycle.removeServer(nameOf(params))],
    ['renameServer', async (params) => lifecycle.renameServer(nameOf(params), checked(serverName, field(params, 'newName'), 'new name'))],
    ['updateServer', async (params) => lifecycle.updateServer(nameOf(params), checked(serverOptionsChangeArgument, field(params, 'change'), 'server options'))],
    ['install', async (params) => lifecycle.install(nameOf(params), checked(clientArgument, field(params, 'client'), 'client'))],
    ['uninstall', async (params) => lifecycle.uninstall(nameOf(params), checked(clientArgument, field(params, 'client'), 'client'))],
    ['listClients', async () => lifecycle.listClients()],
    ['getSettings', async () => settings.get()],
    [
      'updateSettings',
      async (params) => {
        const change = field(params, 'change')
        if (typeof change !== 'object' || change === null || Array.isArray(change)) throw badRequest('updateSettings needs the change to make.')
        return settings.update(change as AppSettingsChange)
      },
    ],
  ])
}

function field(params: unknown, key: string): unknown {
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[key] : undefined
}

function nameOf(params: unknown): string {
  return checked(serverName, field(params, 'server'), 'server name')
}

function badRequest(message: string): TrayError {
  return new TrayError('hub_bad_request', message)
}

/** Who may ask a hub to step aside: the app always; `mcp-tray serve` only from a hub a proxy started. */
export type YieldRequester = 'app' | 'serve'

export interface HubControl {
  /** Steps aside for a hub that takes over (the app, or `serve` from a background hub). */
  readonly onYield?: () => void
  /** Whom this hub steps aside for: `app` when a person started it in a terminal (default: anyone). */
  readonly yieldsTo?: 'app' | 'anyone'
  /** `mcp-tray stop` ends this hub; absent in the app, which is quit from its tray menu. */
  readonly onStop?: () => void
}

/** `yield` and `stop`: how another MCP Tray takes over from this hub, or ends it. */
export function hubControlHandlers(control: HubControl): Map<string, HubHandler> {
  const handlers = new Map<string, HubHandler>()
  const { onYield, onStop } = control
  if (onYield) {
    handlers.set('yield', async (params) => {
      const from: YieldRequester = field(params, 'from') === 'serve' ? 'serve' : 'app'
      if (from === 'serve' && control.yieldsTo === 'app') {
        throw new TrayError('hub_in_use', 'MCP Tray already runs here, started with `mcp-tray serve` in a terminal.', {
          hint: 'Use that one, or stop it (Ctrl+C in its terminal, or `mcp-tray stop`) and start again.',
        })
      }
      setImmediate(onYield)
      return {}
    })
  }
  handlers.set('stop', async () => {
    if (!onStop) {
      throw new TrayError('hub_not_stoppable', 'The MCP Tray app runs this hub.', { hint: 'Quit the app from its tray menu to stop it.' })
    }
    setImmediate(onStop)
    return { pid: process.pid }
  })
  return handlers
}
