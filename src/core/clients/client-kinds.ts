import { posix, win32 } from 'node:path'
import { clientIds, type ClientId } from '../../shared/client-ids'
import type { DataDirEnvironment } from '../data/data-dir'

export { clientIds, type ClientId }

/** The platform facts a client's file location depends on (the same ones the data dir uses). */
export type HostEnvironment = DataDirEnvironment

/** Where a client may keep its file, most specific first, and where to create it when none exists. */
export interface ClientPaths {
  readonly candidates: readonly string[]
  readonly fallback: string
}

/** One MCP client: its config file, the shape of that file, and how it picks up a change. */
export interface ClientKind {
  readonly id: ClientId
  readonly displayName: string
  /** The top-level object whose keys are the client's server names. */
  readonly serversKey: 'mcpServers' | 'servers'
  /** Clients whose schema tells stdio from HTTP servers by a `type` field. */
  readonly stdioType: boolean
  /** What a person must do after the file changed for the client to load it. */
  readonly reloadAdvice: string
  paths(host: HostEnvironment): ClientPaths
}

function joinFor(platform: NodeJS.Platform): (...parts: string[]) => string {
  return platform === 'win32' ? win32.join : posix.join
}

/** The per-user application data folder the platform's desktop apps use (Electron's `appData`). */
function appDataDir({ env, platform, home }: HostEnvironment): string {
  const join = joinFor(platform)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming')
  return env.XDG_CONFIG_HOME ?? join(home, '.config')
}

/** Clients that keep one file at a fixed place below a folder (the home folder, the app data folder…). */
function singleFile(folder: (host: HostEnvironment) => string, ...parts: string[]): (host: HostEnvironment) => ClientPaths {
  return (host) => {
    const file = joinFor(host.platform)(folder(host), ...parts)
    return { candidates: [file], fallback: file }
  }
}

const homeDir = (host: HostEnvironment): string => host.home

const claudeDesktop: ClientKind = {
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  serversKey: 'mcpServers',
  stdioType: false,
  reloadAdvice:
    'Quit Claude Desktop fully (Claude → Quit on macOS, Quit from the tray icon on Windows; closing the window is not enough) and start it again to load the change.',
  paths(host) {
    const join = joinFor(host.platform)
    const standard = join(appDataDir(host), 'Claude', 'claude_desktop_config.json')
    if (host.platform !== 'win32') return { candidates: [standard], fallback: standard }
    // The Microsoft Store build runs in an MSIX container whose Roaming folder is redirected here.
    const localAppData = host.env.LOCALAPPDATA ?? join(host.home, 'AppData', 'Local')
    const store = join(localAppData, 'Packages', 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json')
    return { candidates: [store, standard], fallback: standard }
  },
}

const cursor: ClientKind = {
  id: 'cursor',
  displayName: 'Cursor',
  serversKey: 'mcpServers',
  stdioType: false,
  reloadAdvice: 'Cursor reads the change on its own; if the server does not appear, turn it on in Cursor Settings → MCP.',
  paths: singleFile(homeDir, '.cursor', 'mcp.json'),
}

const windsurf: ClientKind = {
  id: 'windsurf',
  displayName: 'Windsurf',
  serversKey: 'mcpServers',
  stdioType: false,
  reloadAdvice: 'Press refresh in Windsurf’s MCP servers panel to load the change.',
  paths: singleFile(homeDir, '.codeium', 'windsurf', 'mcp_config.json'),
}

const vscode: ClientKind = {
  id: 'vscode',
  displayName: 'VS Code',
  serversKey: 'servers',
  stdioType: true,
  reloadAdvice: 'VS Code reads the change on its own; start the server from the “MCP: List Servers” command if it does not start.',
  paths: singleFile(appDataDir, 'Code', 'User', 'mcp.json'),
}

const claudeCode: ClientKind = {
  id: 'claude-code',
  displayName: 'Claude Code',
  serversKey: 'mcpServers',
  stdioType: true,
  reloadAdvice: 'Claude Code reads the change when a session starts: start a new `claude` session.',
  paths: singleFile((host) => host.env.CLAUDE_CONFIG_DIR ?? host.home, '.claude.json'),
}

export const clientKinds: Readonly<Record<ClientId, ClientKind>> = {
  'claude-desktop': claudeDesktop,
  cursor,
  vscode,
  windsurf,
  'claude-code': claudeCode,
}

export function isClientId(value: string): value is ClientId {
  return (clientIds as readonly string[]).includes(value)
}

/** The environment variable that points a client's file elsewhere, e.g. `MCP_TRAY_CLAUDE_DESKTOP_CONFIG`. */
export function overrideVariable(id: ClientId): string {
  return `MCP_TRAY_${id.toUpperCase().replaceAll('-', '_')}_CONFIG`
}
