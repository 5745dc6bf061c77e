import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TrayError } from '../../shared/tray-error'
import { ensureDataDir } from '../data/data-dir'
import { isClientId, type ClientId } from './client-kinds'
import { editFileSafely } from './safe-write'

/** What MCP Tray last did with one entry of one client's file. */
export interface LedgerRecord {
  readonly client: ClientId
  readonly file: string
  /** The entry's name in the client's file. */
  readonly key: string
  /** The registry server the entry proxies (usually the same as `key`). */
  readonly server: string
  /** `removed` means the person removed it through MCP Tray: the guard never puts it back. */
  readonly state: 'installed' | 'removed'
  readonly at: string
}

const fileName = 'client-entries.json'
const version = 1

/**
 * The entries MCP Tray wrote into client files and the ones the person removed through it, kept
 * in the data dir and changed under the same lock-and-rename as client files, so that several
 * processes (the app, CLI commands) can record at once.
 */
export class EntryLedger {
  readonly #dataDir: string
  readonly #now: () => Date

  constructor(dataDir: string, now: () => Date = () => new Date()) {
    this.#dataDir = dataDir
    this.#now = now
  }

  get path(): string {
    return join(this.#dataDir, fileName)
  }

  async record(change: Omit<LedgerRecord, 'at'>): Promise<void> {
    await ensureDataDir(this.#dataDir)
    const record: LedgerRecord = { ...change, at: this.#now().toISOString() }
    await editFileSafely(this.path, (current) => {
      const others = parseLedger(current, this.path).filter((r) => !(r.client === change.client && r.file === change.file && r.key === change.key))
      return `${JSON.stringify({ version, entries: [...others, record] }, null, 2)}\n`
    })
  }

  async records(client: ClientId, file: string): Promise<LedgerRecord[]> {
    let text: string | undefined
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    return parseLedger(text, this.path).filter((r) => r.client === client && r.file === file)
  }
}

function parseLedger(text: string | undefined, path: string): LedgerRecord[] {
  if (text === undefined) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new TrayError('client_ledger_unreadable', `MCP Tray's record of client entries ${path} is damaged; nothing was changed.`, {
      hint: 'Delete the file: MCP Tray then forgets which entries it wrote and which you removed, and nothing else.',
      cause,
    })
  }
  const entries = (parsed as { entries?: unknown }).entries
  return Array.isArray(entries) ? entries.filter(isRecord) : []
}

function isRecord(value: unknown): value is LedgerRecord {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return (
    typeof r.client === 'string' &&
    isClientId(r.client) &&
    typeof r.file === 'string' &&
    typeof r.key === 'string' &&
    typeof r.server === 'string' &&
    (r.state === 'installed' || r.state === 'removed') &&
    typeof r.at === 'string'
  )
}
