import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { TrayError } from '../../shared/tray-error'
import type { BackupPolicy } from './backups'
import { clientKinds, type ClientId, type ClientKind, type HostEnvironment } from './client-kinds'
import { locateConfig, probePath, type ConfigLocation, type PathOverrides, type PathProbe } from './config-locations'
import { buildProxyEntry, proxiedServer, type ProxyLaunch } from './entry-builder'
import { EntryLedger } from './entry-ledger'
import { JsoncDocument } from './jsonc-document'
import { editFileSafely } from './safe-write'

export interface ClientConfigsOptions {
  /** MCP Tray's data dir: written into each entry as `MCP_TRAY_HOME`, and home of backups and the ledger. */
  readonly dataDir: string
  readonly launch: ProxyLaunch
  readonly host?: HostEnvironment
  /** Paths chosen in settings, per client. */
  readonly pathOverrides?: PathOverrides
  readonly backupsToKeep?: number
  readonly now?: () => Date
  readonly probe?: PathProbe
}

/** One entry of a client's file; `server` is set when the entry is one of ours. */
export interface ClientEntry {
  readonly key: string
  readonly server: string | undefined
  readonly value: unknown
}

export interface EntryChange {
  readonly client: ClientId
  readonly file: string
  readonly key: string
  readonly changed: boolean
  readonly created: boolean
  readonly backup: string | undefined
}

export interface InstallOptions {
  /** The entry's name in the client's file; the server's name when not given. */
  readonly key?: string
  /** Allows replacing an entry that is not ours (migration from mcp-remote). */
  readonly replace?: (existing: unknown) => boolean
}

/**
 * The entries MCP Tray keeps in MCP clients' config files: add, remove, list, and put back the
 * ones a client dropped. Files are changed only through `editFileSafely` and `JsoncDocument`.
 */
export class ClientConfigs {
  readonly #dataDir: string
  readonly #launch: ProxyLaunch
  readonly #host: HostEnvironment
  readonly #overrides: PathOverrides
  readonly #keep: number
  readonly #now: () => Date
  readonly #probe: PathProbe
  readonly ledger: EntryLedger

  constructor(options: ClientConfigsOptions) {
    this.#dataDir = resolve(options.dataDir)
    this.#launch = options.launch
    this.#host = options.host ?? { env: process.env, platform: process.platform, home: homedir() }
    this.#overrides = options.pathOverrides ?? {}
    this.#keep = options.backupsToKeep ?? 10
    this.#now = options.now ?? (() => new Date())
    this.#probe = options.probe ?? probePath
    this.ledger = new EntryLedger(this.#dataDir, this.#now)
  }

  locate(client: ClientId): Promise<ConfigLocation> {
    return locateConfig(clientKinds[client], this.#host, this.#overrides, this.#probe)
  }

  /** Where the copies of a client's file go: the data dir, which only its owner can enter. */
  backupPolicy(client: ClientId, file: string): BackupPolicy {
    return { dir: join(this.#dataDir, 'backups', client), label: basename(file), keep: this.#keep }
  }

  /** The entries of a client's file (none when it does not exist). */
  async entries(client: ClientId): Promise<{ location: ConfigLocation; exists: boolean; entries: ClientEntry[] }> {
    const location = await this.locate(client)
    const text = await readIfExists(location.file)
    const servers = parseDocument(clientKinds[client], location.file, text ?? '').servers(clientKinds[client].serversKey)
    const entries = [...servers].map(([key, value]) => ({ key, server: proxiedServer(value), value }))
    return { location, exists: text !== undefined, entries }
  }

  /** Writes (or refreshes) the entry that launches our proxy for `server`. */
  async install(client: ClientId, server: string, options: InstallOptions = {}): Promise<EntryChange> {
    const kind = clientKinds[client]
    const key = options.key ?? server
    const { file } = await this.locate(client)
    const entry = buildProxyEntry(kind, this.#launch, server, this.#dataDir)
    const outcome = await editFileSafely(
      file,
      (current) => {
        const document = parseDocument(kind, file, current ?? '')
        const existing = document.servers(kind.serversKey).get(key)
        if (existing !== undefined && proxiedServer(existing) === undefined && !options.replace?.(existing)) {
          throw entryTaken(kind, key, file, 'install under another name')
        }
        if (isDeepStrictEqual(existing, entry)) return undefined
        return document.withServer(kind.serversKey, key, entry).text
      },
      { backup: this.backupPolicy(client, file), now: this.#now },
    )
    await this.ledger.record({ client, file: outcome.file, key, server, state: 'installed' })
    return { client, key, ...outcome }
  }

  /**
   * Removes our entry `key` and remembers that the person removed it, so the guard never puts it
   * back. An entry MCP Tray did not write is left alone.
   */
  async uninstall(client: ClientId, key: string): Promise<EntryChange> {
    const kind = clientKinds[client]
    const { file } = await this.locate(client)
    const existing = parseDocument(kind, file, (await readIfExists(file)) ?? '').servers(kind.serversKey).get(key)
    if (existing !== undefined && proxiedServer(existing) === undefined) throw notOurs(kind, key, file)
    await this.ledger.record({ client, file, key, server: proxiedServer(existing) ?? key, state: 'removed' })
    const outcome = await editFileSafely(
      file,
      (current) => {
        if (current === undefined) return undefined
        const document = parseDocument(kind, file, current)
        const now = document.servers(kind.serversKey).get(key)
        if (now === undefined) return undefined
        if (proxiedServer(now) === undefined) throw notOurs(kind, key, file)
        return document.withoutServer(kind.serversKey, key).text
      },
      { backup: this.backupPolicy(client, file), now: this.#now },
    )
    return { client, key, ...outcome }
  }

  /**
   * Makes our entry `key` start `server` under the name `newKey`, in one write: a renamed server's
   * entries follow it, and no moment leaves the file with both entries or with neither.
   */
  async move(client: ClientId, key: string, newKey: string, server: string): Promise<EntryChange> {
    const kind = clientKinds[client]
    const { file } = await this.locate(client)
    const entry = buildProxyEntry(kind, this.#launch, server, this.#dataDir)
    const outcome = await editFileSafely(
      file,
      (current) => {
        const document = parseDocument(kind, file, current ?? '')
        const servers = document.servers(kind.serversKey)
        const existing = servers.get(key)
        if (existing === undefined || proxiedServer(existing) === undefined) return undefined
        const taken = servers.get(newKey)
        if (newKey !== key && taken !== undefined && proxiedServer(taken) === undefined) {
          throw entryTaken(kind, newKey, file, 'choose another name')
        }
        const without = newKey === key ? document : document.withoutServer(kind.serversKey, key)
        return without.withServer(kind.serversKey, newKey, entry).text
      },
      { backup: this.backupPolicy(client, file), now: this.#now },
    )
    if (newKey !== key) await this.ledger.record({ client, file: outcome.file, key, server, state: 'removed' })
    await this.ledger.record({ client, file: outcome.file, key: newKey, server, state: 'installed' })
    return { client, key: newKey, ...outcome }
  }

  /**
   * Puts back every entry MCP Tray installed that is missing from the client's file, except the
   * ones the person removed through MCP Tray. Entries someone else put under the same name stay.
   */
  async restore(client: ClientId): Promise<{ file: string; restored: string[] }> {
    const kind = clientKinds[client]
    const { file } = await this.locate(client)
    const installed = (await this.ledger.records(client, file)).filter((r) => r.state === 'installed')
    const restored: string[] = []
    if (installed.length === 0) return { file, restored }
    await editFileSafely(
      file,
      (current) => {
        let document = parseDocument(kind, file, current ?? '')
        const present = document.servers(kind.serversKey)
        restored.length = 0
        for (const record of installed) {
          if (present.has(record.key)) continue
          document = document.withServer(kind.serversKey, record.key, buildProxyEntry(kind, this.#launch, record.server, this.#dataDir))
          restored.push(record.key)
        }
        return restored.length === 0 ? undefined : document.text
      },
      { backup: this.backupPolicy(client, file), now: this.#now },
    )
    return { file, restored }
  }
}

function parseDocument(kind: ClientKind, file: string, text: string): JsoncDocument {
  return JsoncDocument.parse(text, { file, label: `${kind.displayName}'s config file` })
}

/** `instead` is what else the person can do, e.g. "choose another name". */
function entryTaken(kind: ClientKind, key: string, file: string, instead: string): TrayError {
  return new TrayError('client_entry_taken', `${kind.displayName} already has an entry "${key}" that MCP Tray did not write; nothing was changed.`, {
    hint: `Remove or rename that entry in ${file}, or ${instead}.`,
  })
}

function notOurs(kind: ClientKind, key: string, file: string): TrayError {
  return new TrayError('client_entry_not_ours', `The ${kind.displayName} entry "${key}" was not written by MCP Tray; it was left as it is.`, {
    hint: `Remove it by editing ${file} if you no longer want it.`,
  })
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
