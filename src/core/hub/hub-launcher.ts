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
  const child = spawn(launch.executable, [launch.cliScript, 'serve', '--quiet'], {
    detached: true,
    stdio: 'ignore',
    env: launch.env,
    windowsHide: true,
  })
  child.unref()
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000)
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      return await connectToHub(address, role, { timeoutMs: 1_000 })
    } catch (error) {
      lastError = error
      await sleep(50)
    }
  }
  throw new TrayError('hub_start_failed', 'MCP Tray could not be started in the background.', {
    hint: 'Start MCP Tray yourself (or run `mcp-tray serve` to see why it stops).',
    cause: lastError,
  })
}
