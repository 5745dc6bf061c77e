import type { ClientId } from '../../shared/client-ids'
import type { ConnectRequest, ConnectResult } from '../../shared/connect'
import type { DashboardApi } from '../../shared/dashboard-api'
import type { InstallOutcome } from '../../shared/server-view'
import type { ClientConfigs } from '../clients/client-configs'
import { signInWatched, signOutWatched } from '../hub/watched-sign-in'
import { addServerEntry } from './add-server'
import { systemClaudeDesktop, type ClaudeDesktopControl } from './claude-desktop'
import { installsOf, listClients, needsRestart, outcomeOf, requireReadable } from './client-installs'
import { connect, type ConnectProgressListener } from './connect'
import type { LifecycleDeps } from './lifecycle-deps'
import { removeServer } from './remove-server'
import { renameServer } from './rename-server'
import { summaryOf, viewOf } from './server-summary'
import { updateServer } from './update-server'

export type { LifecycleDeps } from './lifecycle-deps'
export type { ConnectProgressListener } from './connect'

/**
 * The server lifecycle use cases, as every surface calls them: the tray, the dashboard (whose
 * contract these methods match) and the CLI through the hub socket. Each sequences its own steps;
 * a surface only collects input and shows progress.
 */
export type ServerLifecycle = Pick<
  DashboardApi,
  'addServer' | 'removeServer' | 'renameServer' | 'updateServer' | 'signIn' | 'signOut' | 'install' | 'uninstall' | 'listClients'
> & {
  /**
   * Add → sign in when needed → install → restart hint. `onProgress` hears every step; `signal`
   * cancels it (a sign-in it started ends, and what it added is undone).
   */
  connect(request: ConnectRequest, onProgress?: ConnectProgressListener, signal?: AbortSignal): Promise<ConnectResult>
}

/** The use cases over the hub's parts. */
export function createServerLifecycle(deps: LifecycleDeps): ServerLifecycle {
  const { registry, engine, signIns, status } = deps
  let opened: ClientConfigs | undefined
  const configs = (): ClientConfigs => (opened ??= deps.configs())
  const claude = deps.claudeDesktop ?? systemClaudeDesktop()
  const view = (name: string) => viewOf(deps, configs, name)
  const watched = { engine, signIns, observer: status }
  /** Runs a change, and tells the views whether it went through or not (a failure may have done half). */
  const changing = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work
    } finally {
      deps.changed?.()
    }
  }

  return {
    async addServer(request) {
      const { server } = await changing(addServerEntry(deps, request))
      return view(server.name)
    },
    removeServer: (name) => changing(removeServer(deps, { configs: configs(), claude }, name)),
    async renameServer(name, newName) {
      await changing(renameServer(deps, configs(), name, newName))
      return view(newName)
    },
    async updateServer(name, change) {
      await changing(updateServer(deps, name, change))
      return view(name)
    },
    connect: (request, onProgress, signal) => changing(connect(deps, { configs: configs(), claude }, request, onProgress, signal)),
    async signIn(name) {
      return summaryOf(await changing(signInWatched(watched, registry.require(name))))
    },
    async signOut(name) {
      registry.require(name)
      return changing(signOutWatched(watched, name))
    },
    async install(name, client) {
      registry.require(name)
      const change = await changing(configs().install(client, name))
      return outcomeOf(change, await needsRestart(client, change.changed, claude))
    },
    uninstall: (name, client) => changing(uninstallFrom(configs(), claude, name, client)),
    listClients: () => listClients(configs(), registry.settings()),
  }
}

/** Removes every entry of `client`'s file that starts `name` through MCP Tray (usually one). */
async function uninstallFrom(configs: ClientConfigs, claude: ClaudeDesktopControl, name: string, client: ClientId): Promise<InstallOutcome> {
  const { installs, unreadable } = await installsOf(configs, name, [client])
  requireReadable(unreadable.map((config) => ({ ...config, installedHere: true })), `uninstall ${name}`)
  const keys = installs[0]?.keys ?? []
  if (keys.length === 0) {
    // Nothing of ours there: say so the way a change would, and remember the person's wish.
    return outcomeOf(await configs.uninstall(client, name), false)
  }
  let last: InstallOutcome | undefined
  for (const key of keys) {
    const change = await configs.uninstall(client, key)
    last = outcomeOf(change, await needsRestart(client, change.changed, claude) || (last?.restartNeeded ?? false))
  }
  return last!
}
