import { setTimeout as sleep } from 'node:timers/promises'
import { TrayError } from '../../shared/tray-error'
import type { HubAddress } from './hub-address'
import { connectToHub } from './hub-client'
import type { YieldRequester } from './lifecycle-handlers'

/**
 * Asks the hub running for this data folder (a headless one, which a proxy may have started) to
 * step aside, and waits until its socket no longer answers, for at most `timeoutMs`. The app
 * calls this when it finds the socket taken: there is one hub per user, and the app's is the one
 * with the OS keychain and the tray. `mcp-tray serve` calls it `as: 'serve'`: only a hub a proxy
 * started in the background steps aside for it.
 */
export async function askHubToYield(address: HubAddress, options: { timeoutMs?: number; as?: YieldRequester } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000)
  const hub = await connectToHub(address, 'cli').catch((error: unknown) => {
    // Gone between the caller's look and this one: nothing to ask.
    if (error instanceof TrayError && error.code === 'hub_unavailable') return undefined
    throw error
  })
  if (!hub) return
  try {
    await hub.call('yield', { from: options.as ?? 'app' }, { timeoutMs: 2_000 })
  } catch (cause) {
    // A hub a person started in a terminal keeps running for `serve`: it says why, with its own hint.
    if (cause instanceof TrayError && cause.code === 'hub_in_use') throw cause
    throw new TrayError('hub_would_not_yield', 'Another MCP Tray hub runs for this data folder and would not stop.', {
      hint: `Stop it (its process id is ${hub.hubPid}), then start MCP Tray again.`,
      cause,
    })
  } finally {
    hub.close()
  }
  while (Date.now() < deadline) {
    const still = await connectToHub(address, 'cli', { timeoutMs: 500 }).then(
      (connection) => (connection.close(), true),
      () => false,
    )
    if (!still) return
    await sleep(50)
  }
  throw new TrayError('hub_would_not_yield', 'Another MCP Tray hub runs for this data folder and did not stop in time.', {
    hint: `Stop it (its process id is ${hub.hubPid}), then start MCP Tray again.`,
  })
}
