import { createHash } from 'node:crypto'
import { isAbsolute, posix, win32 } from 'node:path'
import type { RedirectHost, RedirectSettings } from '../../shared/server-view'

/**
 * Reading the launch of `mcp-remote` (github.com/geelen/mcp-remote, 0.1.x) out of a client's
 * entry: which entries run it, and what of its arguments MCP Tray can take over.
 */

/** What an `mcp-remote` entry connects to, as far as MCP Tray can carry it over. */
export interface McpRemoteSettings {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly clientId: string | undefined
  readonly clientSecret: string | undefined
  /** The scope `--static-oauth-client-metadata` asked for. */
  readonly scope: string | undefined
  /**
   * The redirect URI the entry signed in with, when it is not MCP Tray's default: a static client
   * was registered for exactly that address, so it is kept (host, port, path).
   */
  readonly redirect: RedirectSettings | undefined
  /** How the redirect port was found, when the entry did not give it: mcp-remote derives one from the URL. */
  readonly derivedPort: number | undefined
  /** Options MCP Tray handles by itself (timeouts, transports, logging…). */
  readonly dropped: readonly string[]
  /** Why the entry cannot be taken over as it is; empty when it can. */
  readonly blockers: readonly string[]
}

/** Reads a file's text; injectable for tests. */
export type ReadText = (path: string) => Promise<string>

const packageRunners = new Set(['npx', 'pnpx', 'bunx'])
const packageManagers: Readonly<Record<string, readonly string[]>> = { npm: ['exec', 'x'], pnpm: ['dlx', 'exec'], yarn: ['dlx'] }
const runnerOptionsWithValue = new Set(['-p', '--package', '--prefix', '--registry', '--cache', '--userconfig'])

/** Options MCP Tray does not need: it has its own transports, timeouts, proxy settings and logs. */
const droppedFlags = new Set(['--debug', '--silent', '--allow-http', '--enable-proxy', '--keep-alive', '--ipv4', '--disable-cookies'])
const droppedWithValue = new Set([
  '--transport', '--protocol', '--auth-success-url', '--auth-timeout',
  '--connect-timeout', '--headers-timeout', '--body-timeout', '--ping-interval',
])
/** Options that change who signs in or what the server grants; taking over without them would change access. */
const blockingFlags = new Set(['--client-credentials', '--device-code', '--use-id-token', '--disable-resource-parameter'])
const blockingWithValue = new Set(['--token-endpoint', '--resource', '--authorize-param', '--client-metadata-url', '--ignore-tool'])

/** The arguments given to `mcp-remote` when the entry launches it (through npx, npm exec, cmd /c, node or directly). */
export function mcpRemoteArguments(entry: unknown): string[] | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined
  const { command, args } = entry as Record<string, unknown>
  if (typeof command !== 'string') return undefined
  const list = Array.isArray(args) && args.every((a) => typeof a === 'string') ? (args as string[]) : []
  return fromCommand(command, list)
}

function fromCommand(command: string, args: readonly string[]): string[] | undefined {
  const program = programName(command)
  if (program === 'mcp-remote') return [...args]
  if (program === 'cmd' && /^\/c$/i.test(args[0] ?? '') && args[1]) return fromCommand(args[1], args.slice(2))
  if (program === 'node' && args[0] && /[\\/]mcp-remote[\\/].*\.[cm]?js$/.test(args[0])) return args.slice(1)
  const subcommands = packageManagers[program]
  if (subcommands?.includes(args[0] ?? '')) return fromPackageRunner(args.slice(1))
  if (packageRunners.has(program)) return fromPackageRunner(args)
  return undefined
}

/** npx-style arguments: runner options, then the package (`mcp-remote`, `mcp-remote@1.2.3`), then its arguments. */
function fromPackageRunner(args: readonly string[]): string[] | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!
    if (runnerOptionsWithValue.has(arg)) {
      i += 1
      continue
    }
    if (arg === '--' || arg.startsWith('-')) continue
    return /^mcp-remote(@[^/\s]+)?$/.test(arg) ? args.slice(i + 1) : undefined
  }
  return undefined
}

function programName(command: string): string {
  const base = command.includes('\\') ? win32.basename(command) : posix.basename(command)
  return base.toLowerCase().replace(/\.(cmd|exe|bat|ps1)$/, '')
}

/**
 * Reads `mcp-remote`'s arguments the way it does: the first positional is the server URL, the
 * second the callback port; `--header "Name: value"` and `--header-file` give headers,
 * `--static-oauth-client-info` (JSON or `@file`) the pre-registered client and
 * `--static-oauth-client-metadata` its scope; `--host` and `--callback-path` the rest of the
 * redirect URI. `${VAR}` placeholders are filled from the entry's own `env`, as mcp-remote fills
 * them from the environment the client gives it.
 */
export async function readMcpRemoteSettings(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  readText: ReadText,
  platform: NodeJS.Platform = process.platform,
): Promise<McpRemoteSettings> {
  const headers: Record<string, string> = {}
  /** Headers as written, before `${VAR}` is filled: mcp-remote derives its callback port from these. */
  const rawHeaders: Record<string, string> = {}
  const dropped: string[] = []
  const blockers: string[] = []
  const positionals: string[] = []
  let clientInfo: Record<string, unknown> = {}
  let clientMetadata: Record<string, unknown> = {}
  let host: string | undefined
  let callbackPath: string | undefined
  const expand = (value: string, what: string): string =>
    value.replace(/\$\{([^}]+)}/g, (match, name: string) => {
      if (Object.hasOwn(env, name)) return env[name]!
      blockers.push(`${what} uses \${${name}}, which the entry's env does not set`)
      return match
    })

  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!
    const value = args[i + 1]
    if (arg === '--header' && value !== undefined) {
      i += 1
      const header = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(value)
      if (header) {
        rawHeaders[header[1]!] = header[2]!
        headers[header[1]!] = expand(header[2]!, `header ${header[1]}`)
      } else dropped.push(`--header "${value.split(':')[0]}" (not in Name: value form)`)
    } else if (arg === '--header-file' && value !== undefined) {
      i += 1
      const text = await readReferenced(value, 'header file', readText, blockers)
      for (const line of text?.split(/\r?\n/) ?? []) {
        const header = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(line.trim())
        if (header && !line.trim().startsWith('#')) {
          rawHeaders[header[1]!] = header[2]!
          headers[header[1]!] = expand(header[2]!, `header ${header[1]}`)
        }
      }
    } else if (arg === '--static-oauth-client-info' && value !== undefined) {
      i += 1
      const raw = value.startsWith('@') ? await readReferenced(value.slice(1), 'client info file', readText, blockers) : value
      clientInfo = raw === undefined ? {} : parseJsonObject(expand(raw, '--static-oauth-client-info'), '--static-oauth-client-info', blockers)
    } else if (arg === '--static-oauth-client-metadata' && value !== undefined) {
      i += 1
      const raw = value.startsWith('@') ? await readReferenced(value.slice(1), 'client metadata file', readText, blockers) : value
      clientMetadata = raw === undefined ? {} : parseJsonObject(raw, '--static-oauth-client-metadata', blockers)
      const unused = Object.keys(clientMetadata).filter((key) => key !== 'scope')
      if (unused.length > 0) dropped.push(`client metadata ${unused.join(', ')} (MCP Tray registers itself)`)
    } else if (arg === '--host' && value !== undefined) {
      i += 1
      host = value
    } else if (arg === '--callback-path' && value !== undefined) {
      i += 1
      callbackPath = value
    } else if (droppedFlags.has(arg)) {
      dropped.push(arg)
    } else if (droppedWithValue.has(arg)) {
      i += 1
      dropped.push(`${arg} ${value ?? ''}`.trim())
    } else if (blockingFlags.has(arg)) {
      blockers.push(`${arg} is not supported by MCP Tray`)
    } else if (blockingWithValue.has(arg)) {
      i += 1
      blockers.push(`${arg} is not supported by MCP Tray`)
    } else if (arg.startsWith('-')) {
      blockers.push(`${arg} is an option MCP Tray does not know`)
    } else {
      positionals.push(arg)
    }
  }

  const [url, port, ...extra] = positionals
  let givenPort: number | undefined
  if (port !== undefined) {
    if (/^\d+$/.test(port) && Number(port) > 0 && Number(port) < 65536) givenPort = Number(port)
    else blockers.push(`unexpected argument "${port}"`)
  }
  if (extra.length > 0) blockers.push(`unexpected arguments ${extra.map((e) => `"${e}"`).join(' ')}`)
  if (url === undefined || !isHttpUrl(url)) blockers.push(url === undefined ? 'no server URL' : `"${url}" is not an http(s) URL`)
  const clientId = typeof clientInfo.client_id === 'string' ? clientInfo.client_id : undefined
  const redirectHost = loopbackHost(host ?? (platform === 'win32' ? '127.0.0.1' : 'localhost'))
  if (!redirectHost) blockers.push(`--host ${host}: MCP Tray receives the sign-in redirect on this computer only (127.0.0.1, localhost or [::1])`)
  const path = callbackPath && callbackPath.startsWith('/') && !/[?#\s]/.test(callbackPath) ? callbackPath : undefined
  if (callbackPath !== undefined && path === undefined) dropped.push(`--callback-path ${callbackPath} (mcp-remote ignores a path that does not start with /)`)
  // A static client was registered for the exact redirect URI mcp-remote sent; without a port
  // given, that is the one it derives from the URL and headers.
  const derivedPort = clientId !== undefined && givenPort === undefined && url !== undefined ? mcpRemoteDefaultPort(url, rawHeaders) : undefined
  const redirectPort = givenPort ?? derivedPort
  const redirect: RedirectSettings | undefined =
    redirectHost && (redirectHost !== '127.0.0.1' || redirectPort !== undefined || path !== undefined)
      ? { host: redirectHost, ...(redirectPort !== undefined ? { port: redirectPort } : {}), ...(path !== undefined ? { path } : {}) }
      : undefined
  return {
    url: url ?? '',
    headers,
    clientId,
    clientSecret: typeof clientInfo.client_secret === 'string' ? clientInfo.client_secret : undefined,
    scope: typeof clientMetadata.scope === 'string' && clientMetadata.scope.trim() ? clientMetadata.scope.trim() : undefined,
    redirect,
    derivedPort,
    dropped,
    blockers,
  }
}

/** mcp-remote's `--host`, as a redirect host MCP Tray can listen on; `undefined` when it is not loopback. */
function loopbackHost(host: string): RedirectHost | undefined {
  const lower = host.toLowerCase()
  if (lower === 'localhost' || lower === '127.0.0.1') return lower
  if (lower === '::1' || lower === '[::1]') return '[::1]'
  return undefined
}

/**
 * The callback port mcp-remote (0.1.x–0.15.x) uses when none is given: 3335 plus the first 16
 * bits of an MD5 of the server URL and the headers as written, modulo 45816 (its
 * `calculateDefaultPort(getServerUrlHash(…))`; the other parts of that hash come from options
 * MCP Tray does not import).
 */
export function mcpRemoteDefaultPort(serverUrl: string, rawHeaders: Readonly<Record<string, string>>): number {
  const parts = [serverUrl]
  const names = Object.keys(rawHeaders).sort()
  if (names.length > 0) parts.push(JSON.stringify(rawHeaders, names))
  const hash = createHash('md5').update(parts.join('|')).digest('hex')
  return 3335 + (parseInt(hash.slice(0, 4), 16) % 45816)
}

async function readReferenced(path: string, what: string, readText: ReadText, blockers: string[]): Promise<string | undefined> {
  // The client's working folder is unknown, so a relative path cannot be resolved reliably.
  if (!isAbsolute(path) && !win32.isAbsolute(path)) {
    blockers.push(`the ${what} "${path}" is a relative path`)
    return undefined
  }
  try {
    return await readText(path)
  } catch {
    blockers.push(`the ${what} ${path} cannot be read`)
    return undefined
  }
}

function parseJsonObject(raw: string, option: string, blockers: string[]): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // reported below
  }
  blockers.push(`${option} is not a JSON object`)
  return {}
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}
