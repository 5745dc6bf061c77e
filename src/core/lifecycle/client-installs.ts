import { clientIds, type ClientId } from '../../shared/client-ids'
import type { ClientInfo, InstallOutcome } from '../../shared/server-view'
import { describeError, TrayError } from '../../shared/tray-error'
import type { ClientConfigs, EntryChange } from '../clients/client-configs'
import { clientKinds } from '../clients/client-kinds'
import type { Settings } from '../registry/server-entry'
import type { ClaudeDesktopControl } from './claude-desktop'

/** The entries of one client's file that start a server through MCP Tray. */
export interface ServerInstall {
  readonly client: ClientId
  readonly file: string
  /** The entries' names in the file (usually the server's name; an imported entry keeps its own). */
  readonly keys: readonly string[]
}

/** A client file that could not be read, and whether MCP Tray had written the server's entry into it. */
export interface UnreadableConfig {
  readonly client: ClientId
  readonly file: string
  readonly error: unknown
  readonly installedHere: boolean
}

/** Where a server is installed, read from the files themselves and from the record of what MCP Tray wrote. */
export async function installsOf(
  configs: ClientConfigs,
  server: string,
  clients: readonly ClientId[] = clientIds,
): Promise<{ installs: ServerInstall[]; unreadable: UnreadableConfig[] }> {
  const installs: ServerInstall[] = []
  const unreadable: UnreadableConfig[] = []
  for (const client of clients) {
    try {
      const { location, entries } = await configs.entries(client)
      const keys = entries.filter((entry) => entry.server === server).map((entry) => entry.key)
      if (keys.length > 0) installs.push({ client, file: location.file, keys })
    } catch (error) {
      const { file } = await configs.locate(client)
      const records = await configs.ledger.records(client, file).catch(() => [])
      const installedHere = records.some((record) => record.server === server && record.state === 'installed')
      unreadable.push({ client, file, error, installedHere })
    }
  }
  return { installs, unreadable }
}

/**
 * Refuses to go on when a file that may hold the server's entry cannot be read: changing everything
 * else would leave that entry starting a server MCP Tray no longer knows.
 */
export function requireReadable(unreadable: readonly UnreadableConfig[], what: string): void {
  const blocking = unreadable.find((config) => config.installedHere)
  if (!blocking) return
  const name = clientKinds[blocking.client].displayName
  throw new TrayError('client_config_unreadable', `${name}'s config file ${blocking.file} cannot be read, and MCP Tray wrote an entry for this server there: ${describeError(blocking.error)}`, {
    hint: `Nothing was changed. Fix the file (its backups are in MCP Tray's data folder), then ${what} again.`,
    cause: blocking.error,
  })
}

/**
 * Checks before anything changes that each chosen client's file can take the server's entry: it
 * parses, and no entry MCP Tray did not write already has that name.
 */
export async function checkInstallable(configs: ClientConfigs, clients: readonly ClientId[], key: string): Promise<void> {
  for (const client of clients) {
    const kind = clientKinds[client]
    const { location, entries } = await configs.entries(client)
    const taken = entries.find((entry) => entry.key === key && entry.server === undefined)
    if (taken) {
      throw new TrayError('client_entry_taken', `${kind.displayName} already has an entry "${key}" that MCP Tray did not write.`, {
        hint: `Nothing was changed. Choose another name (--name), or remove that entry from ${location.file}.`,
      })
    }
  }
}

/** Claude Desktop loads its config only when it starts; the other clients reload by themselves or as their advice says. */
export async function needsRestart(client: ClientId, changed: boolean, claude: ClaudeDesktopControl): Promise<boolean> {
  return changed && client === 'claude-desktop' && (await claude.isRunning())
}

export function outcomeOf(change: EntryChange, restartNeeded: boolean): InstallOutcome {
  return {
    client: change.client,
    file: change.file,
    changed: change.changed,
    ...(change.backup === undefined ? {} : { backup: change.backup }),
    restartNeeded,
  }
}

/** Claude Desktop always, then the clients the person enabled, each once. */
export function connectClients(settings: Pick<Settings, 'enabledClients'>): ClientId[] {
  return [...new Set<ClientId>(['claude-desktop', ...settings.enabledClients])]
}

/** Every client MCP Tray can write into, with the servers its file starts through MCP Tray. */
export async function listClients(configs: ClientConfigs, settings: Pick<Settings, 'enabledClients'>): Promise<ClientInfo[]> {
  const enabled = new Set(connectClients(settings))
  return Promise.all(
    clientIds.map(async (id): Promise<ClientInfo> => {
      const kind = clientKinds[id]
      const base = { id, displayName: kind.displayName, enabled: enabled.has(id), reloadAdvice: kind.reloadAdvice }
      try {
        const { location, exists, entries } = await configs.entries(id)
        const servers = [...new Set(entries.flatMap((entry) => (entry.server === undefined ? [] : [entry.server])))]
        return { ...base, file: location.file, exists, servers }
      } catch (error) {
        const { file } = await configs.locate(id)
        return { ...base, file, exists: true, servers: [], problem: describeError(error) }
      }
    }),
  )
}
