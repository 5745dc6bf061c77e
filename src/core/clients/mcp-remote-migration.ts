import { readFile } from 'node:fs/promises'
import type { RedirectSettings } from '../../shared/server-view'
import { describeError } from '../../shared/tray-error'
import { clientIds, type ClientId } from './client-kinds'
import type { ClientConfigs } from './client-configs'
import { mcpRemoteArguments, readMcpRemoteSettings, type ReadText } from './mcp-remote-args'
import type { ServerDirectory } from './server-directory'

/** One `mcp-remote` entry found in a client's file, and what taking it over would do. */
export interface MigrationCandidate {
  readonly client: ClientId
  readonly file: string
  /** The entry's name in the client's file; it keeps that name. */
  readonly key: string
  /** The name the server gets in MCP Tray (registry names allow fewer characters). */
  readonly server: string
  readonly url: string
  /** Header names only: values may be credentials. */
  readonly headerNames: readonly string[]
  readonly clientId: string | undefined
  readonly hasClientSecret: boolean
  readonly scope: string | undefined
  /** The sign-in redirect URI kept from the entry (see `McpRemoteSettings.redirect`). */
  readonly redirect: RedirectSettings | undefined
  /** Set when the redirect port is the one mcp-remote derived from the URL, not one the entry gave. */
  readonly derivedPort: number | undefined
  readonly dropped: readonly string[]
  /** Non-empty: the entry is left as it is, for these reasons. */
  readonly blockers: readonly string[]
}

export type MigrationOutcome =
  | { readonly candidate: MigrationCandidate; readonly status: 'migrated'; readonly server: string; readonly backup: string | undefined }
  | { readonly candidate: MigrationCandidate; readonly status: 'skipped' | 'failed'; readonly reason: string }

export interface MigrationReport {
  readonly candidates: readonly MigrationCandidate[]
  /** Empty on a dry run. */
  readonly outcomes: readonly MigrationOutcome[]
  /** Files that could not be read (a parse error names line and column); they are not touched. */
  readonly unreadable: readonly { readonly client: ClientId; readonly file: string; readonly problem: string }[]
}

export interface MigrationOptions {
  readonly dryRun?: boolean
  readonly clients?: readonly ClientId[]
  readonly readText?: ReadText
}

/**
 * Takes over the entries that launch `mcp-remote <url>`: adds the server (URL, headers, static
 * client with its scope and the redirect URI it was registered for) to MCP Tray, then replaces the entry, under the same name, with one that launches our
 * proxy. The replaced file is backed up first (see `ClientConfigs.install`). Entries whose
 * options MCP Tray cannot honour are reported and left alone.
 */
export async function migrateMcpRemote(configs: ClientConfigs, directory: ServerDirectory, options: MigrationOptions = {}): Promise<MigrationReport> {
  const { candidates, unreadable } = await findMcpRemoteEntries(configs, options)
  if (options.dryRun) return { candidates, outcomes: [], unreadable }
  const outcomes: MigrationOutcome[] = []
  for (const candidate of candidates) outcomes.push(await migrateOne(configs, directory, candidate, options.readText ?? readUtf8))
  return { candidates, outcomes, unreadable }
}

export async function findMcpRemoteEntries(
  configs: ClientConfigs,
  options: Pick<MigrationOptions, 'clients' | 'readText'> = {},
): Promise<Pick<MigrationReport, 'candidates' | 'unreadable'>> {
  const candidates: MigrationCandidate[] = []
  const unreadable: { client: ClientId; file: string; problem: string }[] = []
  for (const client of options.clients ?? clientIds) {
    let listing: Awaited<ReturnType<ClientConfigs['entries']>>
    try {
      listing = await configs.entries(client)
    } catch (error) {
      unreadable.push({ client, file: (await configs.locate(client)).file, problem: describeError(error) })
      continue
    }
    for (const entry of listing.entries) {
      const args = mcpRemoteArguments(entry.value)
      if (!args) continue
      const settings = await readMcpRemoteSettings(args, entryEnv(entry.value), options.readText ?? readUtf8)
      candidates.push({
        client,
        file: listing.location.file,
        key: entry.key,
        server: registryName(entry.key),
        url: settings.url,
        headerNames: Object.keys(settings.headers),
        clientId: settings.clientId,
        hasClientSecret: settings.clientSecret !== undefined,
        scope: settings.scope,
        redirect: settings.redirect,
        derivedPort: settings.derivedPort,
        dropped: settings.dropped,
        blockers: settings.blockers,
      })
    }
  }
  return { candidates, unreadable }
}

async function migrateOne(configs: ClientConfigs, directory: ServerDirectory, candidate: MigrationCandidate, readText: ReadText): Promise<MigrationOutcome> {
  if (candidate.blockers.length > 0) return { candidate, status: 'skipped', reason: candidate.blockers.join('; ') }
  try {
    // Read again: secrets are not kept in the candidate, and the file may have changed since.
    const current = (await configs.entries(candidate.client)).entries.find((e) => e.key === candidate.key)
    const args = current && mcpRemoteArguments(current.value)
    if (!current || !args) return { candidate, status: 'skipped', reason: 'the entry changed since it was read' }
    const settings = await readMcpRemoteSettings(args, entryEnv(current.value), readText)
    if (settings.blockers.length > 0) return { candidate, status: 'skipped', reason: settings.blockers.join('; ') }
    const { name } = await directory.add({
      name: await freeName(directory, candidate.server, settings.url),
      url: settings.url,
      headers: settings.headers,
      ...(settings.clientId === undefined ? {} : { clientId: settings.clientId }),
      ...(settings.clientSecret === undefined ? {} : { clientSecret: settings.clientSecret }),
      ...(settings.scope === undefined ? {} : { scope: settings.scope }),
      ...(settings.redirect === undefined ? {} : { redirect: settings.redirect }),
    })
    const change = await configs.install(candidate.client, name, { key: candidate.key, replace: (existing) => mcpRemoteArguments(existing) !== undefined })
    return { candidate, status: 'migrated', server: name, backup: change.backup }
  } catch (error) {
    return { candidate, status: 'failed', reason: describeError(error) }
  }
}

/** `name`, or `name-2`, `name-3`… when the directory lists a different server under it. */
async function freeName(directory: ServerDirectory, name: string, url: string): Promise<string> {
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? name : `${name.slice(0, 60)}-${n}`
    const listed = await directory.get(candidate)
    if (!listed || sameUrl(listed.url, url)) return candidate
  }
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href
  } catch {
    return a === b
  }
}

/** Registry names: a letter or digit, then letters, digits, `.`, `_`, `-`; at most 64. */
export function registryName(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64) || 'server'
}

function entryEnv(entry: unknown): Record<string, string> {
  const env = (entry as { env?: unknown }).env
  if (typeof env !== 'object' || env === null) return {}
  return Object.fromEntries(Object.entries(env).filter((pair): pair is [string, string] => typeof pair[1] === 'string'))
}

function readUtf8(path: string): Promise<string> {
  return readFile(path, 'utf8')
}
