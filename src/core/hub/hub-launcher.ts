import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { TrayError } from '../../shared/tray-error'
import type { HubAddress } from './hub-address'
import { connectToHub, type HubConnection } from './hub-client'
import type { HelloParams } from './hub-protocol'

/** How to start the hub when none answers: the same executable and CLI script the proxy runs from. */
export interface HubLaunch {
  readonly executable: string
  readonly cliScript: string
  readonly env: NodeJS.ProcessEnv
  /**
   * Whether the proxy runs inside the app's own executable (Electron as Node), which the process
   * itself knows (`process.versions.electron`); an inherited ELECTRON_RUN_AS_NODE does not say it,
   * since Electron-based clients may pass it to a plain `node`.
   */
  readonly insideApp: boolean
}

/** The argument that starts the app with its hub and tray but no window. */
export const backgroundFlag = '--background'

/**
 * What starts the hub. A proxy that runs inside the app's own executable (ELECTRON_RUN_AS_NODE,
 * as the entries of the packaged app launch it) starts the app itself, in the background: its hub
 * keeps secrets with the OS keychain and shows the tray. Otherwise, `mcp-tray serve --quiet`.
 */
export function hubCommand(launch: HubLaunch): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (launch.insideApp) {
    const env = { ...launch.env }
    delete env.ELECTRON_RUN_AS_NODE
    return { command: launch.executable, args: [backgroundFlag], env }
  }
  return { command: launch.executable, args: [launch.cliScript, 'serve', '--quiet'], env: launch.env }
}

/**
 * Connects to the hub, starting it (detached, so it outlives the caller) when none answers, and
 * waits for its socket for at most `startTimeoutMs`.
 */
export async function connectOrStartHub(
  address: HubAddress,
  role: HelloParams['role'],
  launch: HubLaunch,
  options: { startTimeoutMs?: number } = {},
): Promise<HubConnection> {
  try {
    return await connectToHub(address, role)
  } catch (error) {
    if (!(error instanceof TrayError) || error.code !== 'hub_unavailable') throw error
  }
  const { command, args, env } = hubCommand(launch)
  const child = spawn(command, args, { detached: true, stdio: 'ignore', env, windowsHide: true })
  child.unref()
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000)
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      return await connectToHub(address, role, { timeoutMs: 1_000 })
    } catch (error) {
      if (error instanceof TrayError && (error.code === 'hub_unauthorized' || error.code === 'hub_socket_untrusted')) throw error
      lastError = error
      await sleep(50)
    }
  }
  throw new TrayError('hub_start_failed', 'MCP Tray could not be started in the background.', {
    hint: 'Start MCP Tray yourself (or run `mcp-tray serve` to see why it stops).',
    cause: lastError,
  })
}
