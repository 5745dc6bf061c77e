import { posix, win32 } from 'node:path'
import { TrayError } from '../../shared/tray-error'
import type { ClientKind } from './client-kinds'

/**
 * How to start `mcp-tray proxy`: the Electron main passes its own executable (run as Node), a
 * plain install passes `node` and the bundled CLI script.
 */
export interface ProxyLaunch {
  /** Absolute path of the program to run: the app's executable or `node`. */
  readonly executable: string
  /** Absolute path of the bundled CLI, `out/cli/index.js`. */
  readonly cliScript: string
  /** True for the packaged app: its executable behaves as Node only with `ELECTRON_RUN_AS_NODE=1`. */
  readonly runAsNode: boolean
}

/** A stdio server entry as clients' config files hold it. */
export interface StdioEntry {
  readonly type?: 'stdio'
  readonly command: string
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string>>
}

/**
 * The entry that makes a client launch our proxy for `server`. Every path is absolute and each
 * is its own array element, never joined into a command line, so spaces need no quoting (clients
 * spawn `command` with `args` as an argument vector; the SDK uses cross-spawn on Windows).
 * No key outside the client's schema is added: the entry is recognised by its shape instead
 * (see `proxiedServer`).
 */
export function buildProxyEntry(kind: ClientKind, launch: ProxyLaunch, server: string, dataDir: string): StdioEntry {
  for (const [what, path] of [['executable', launch.executable], ['CLI script', launch.cliScript], ['data folder', dataDir]] as const) {
    if (!posix.isAbsolute(path) && !win32.isAbsolute(path)) {
      throw new TrayError('proxy_launch_not_absolute', `The proxy's ${what} path "${path}" is not absolute.`, {
        hint: 'Clients start the proxy from their own working folder; pass absolute paths.',
      })
    }
  }
  return {
    ...(kind.stdioType ? { type: 'stdio' as const } : {}),
    command: launch.executable,
    args: [launch.cliScript, 'proxy', server],
    env: { ...(launch.runAsNode ? { ELECTRON_RUN_AS_NODE: '1' } : {}), MCP_TRAY_HOME: dataDir },
  }
}

/**
 * The server an entry proxies when the entry is one of ours, else undefined. Ours: args are
 * `[<script>, "proxy", <server>]` and env sets `MCP_TRAY_HOME`. That variable is specific to
 * MCP Tray, and the shape survives the app moving (the guard rewrites paths on restore).
 */
export function proxiedServer(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined
  const { command, args, env } = entry as Record<string, unknown>
  if (typeof command !== 'string' || !Array.isArray(args) || args.length !== 3) return undefined
  if (typeof env !== 'object' || env === null || typeof (env as Record<string, unknown>).MCP_TRAY_HOME !== 'string') return undefined
  const [script, verb, server] = args as unknown[]
  return typeof script === 'string' && verb === 'proxy' && typeof server === 'string' ? server : undefined
}

/** The facts about a running Node (or Electron-as-Node) process that decide its launch. */
export interface NodeProcessFacts {
  readonly execPath: string
  /** The CLI script the process runs, symbolic links resolved (a global install links `bin`). */
  readonly scriptPath: string
  readonly versions: NodeJS.ProcessVersions
}

/** The launch of the process that runs the CLI now: `node` in a plain install, the app's executable in the app. */
export function launchOfProcess(facts: NodeProcessFacts): ProxyLaunch {
  return { executable: facts.execPath, cliScript: facts.scriptPath, runAsNode: facts.versions.electron !== undefined }
}
