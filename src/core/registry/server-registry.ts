import { TrayError } from '../../shared/tray-error'
import type { RegistryStore } from './registry-store'
import { serverEntrySchema, settingsSchema, type ServerEntry, type Settings } from './server-entry'

export interface AddServerInput {
  readonly url: string
  readonly name?: string
  /** Names only: the values are secrets, which the caller keeps in the vault. */
  readonly headerNames?: readonly string[]
  readonly clientId?: string
  readonly scope?: string
  readonly timeoutMs?: number
  readonly redirect?: ServerEntry['redirect']
  readonly audience?: string
}

/**
 * The list of remote servers and the app's settings. Names are unique; adding a URL that is
 * already listed returns the existing entry (updated with the options given) under its name.
 */
export class ServerRegistry {
  readonly #store: RegistryStore

  constructor(store: RegistryStore) {
    this.#store = store
  }

  list(): ServerEntry[] {
    const raw = this.#store.get('servers')
    if (!Array.isArray(raw)) return []
    return raw.flatMap((item) => {
      const parsed = serverEntrySchema.safeParse(item)
      return parsed.success ? [parsed.data] : []
    })
  }

  get(name: string): ServerEntry | undefined {
    return this.list().find((s) => s.name === name)
  }

  /** The server listed under this endpoint URL, compared in normalised form. */
  findByUrl(url: string): ServerEntry | undefined {
    const href = normaliseUrl(url)
    return this.list().find((s) => s.url === href)
  }

  /** Like `get`, but a missing server is an error a person can act on. */
  require(name: string): ServerEntry {
    const server = this.get(name)
    if (!server) {
      throw new TrayError('server_not_found', `No server named "${name}".`, {
        hint: 'Run `mcp-tray list` to see the names, or `mcp-tray add <url>` to add it.',
      })
    }
    return server
  }

  add(input: AddServerInput): { server: ServerEntry; created: boolean } {
    const servers = this.list()
    const url = normaliseUrl(input.url)
    const existing = servers.find((s) => s.url === url)
    if (input.name && servers.some((s) => s.name === input.name && s.url !== url)) {
      throw new TrayError('server_name_taken', `A different server is already named "${input.name}".`, {
        hint: 'Choose another --name, or remove the other server first.',
      })
    }
    const name = existing?.name ?? input.name ?? uniqueName(defaultName(url), servers)
    const parsed = serverEntrySchema.safeParse({
      ...existing,
      name,
      url,
      ...defined({ headerNames: input.headerNames && [...input.headerNames], clientId: input.clientId, scope: input.scope, timeoutMs: input.timeoutMs }),
      ...defined({ redirect: input.redirect, audience: input.audience }),
    })
    if (!parsed.success) {
      throw new TrayError('server_invalid', `The server entry is not valid: ${parsed.error.issues[0]?.message ?? 'unknown'}.`, {
        hint: 'Names use letters, digits, dot, dash and underscore; URLs must be http or https.',
      })
    }
    const next = existing ? servers.map((s) => (s.name === name ? parsed.data : s)) : [...servers, parsed.data]
    this.#store.set('servers', next)
    return { server: parsed.data, created: !existing }
  }

  /** The name `add` would give this URL when no name is given. */
  suggestName(url: string): string {
    return uniqueName(defaultName(normaliseUrl(url)), this.list())
  }

  remove(name: string): boolean {
    const servers = this.list()
    const next = servers.filter((s) => s.name !== name)
    this.#store.set('servers', next)
    return next.length !== servers.length
  }

  /**
   * Puts `next` where the entry named `name` is (a rename when its name differs), keeping its place
   * in the list. `next` is checked like any entry; a new name another server has is refused.
   */
  replace(name: string, next: ServerEntry): ServerEntry {
    const servers = this.list()
    if (!servers.some((s) => s.name === name)) this.require(name)
    if (next.name !== name && servers.some((s) => s.name === next.name)) {
      throw new TrayError('server_name_taken', `Another server is already named "${next.name}".`, {
        hint: 'Choose another name, or remove the other server first.',
      })
    }
    const parsed = serverEntrySchema.safeParse(next)
    if (!parsed.success) {
      throw new TrayError('server_invalid', `The server entry is not valid: ${parsed.error.issues[0]?.message ?? 'unknown'}.`, {
        hint: 'Names use letters, digits, dot, dash and underscore (at most 64); URLs must be http or https.',
      })
    }
    this.#store.set('servers', servers.map((s) => (s.name === name ? parsed.data : s)))
    return parsed.data
  }

  settings(): Settings {
    const parsed = settingsSchema.safeParse(this.#store.get('settings') ?? {})
    return parsed.success ? parsed.data : settingsSchema.parse({})
  }

  updateSettings(change: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...this.settings(), ...change })
    this.#store.set('settings', next)
    return next
  }
}

function normaliseUrl(url: string): string {
  try {
    return new URL(url).href
  } catch (cause) {
    throw new TrayError('server_url_invalid', `"${url}" is not a URL.`, { hint: 'Give the full https:// address of the MCP endpoint.', cause })
  }
}

/** `linear` for https://mcp.linear.app/sse; `127.0.0.1-8080` for an address, whose first label says nothing. */
function defaultName(url: string): string {
  const { hostname, port } = new URL(url)
  const isAddress = /^[\d.]+$/.test(hostname) || hostname.startsWith('[')
  const base = isAddress
    ? `${hostname.replace(/[[\]]/g, '').replace(/:/g, '-')}${port ? `-${port}` : ''}`
    : (hostname.replace(/^(www|mcp|api)\./, '').split('.')[0] ?? 'server')
  return base.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'server'
}

function uniqueName(base: string, servers: readonly ServerEntry[]): string {
  const taken = new Set(servers.map((s) => s.name))
  if (!taken.has(base)) return base
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>
}
