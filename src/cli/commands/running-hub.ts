import { hubAddressFor } from '../../core/hub/hub-address'
import { connectToHub, type HubConnection } from '../../core/hub/hub-client'
import { TrayError } from '../../shared/tray-error'

/**
 * The hub running for this data folder (the app, or `mcp-tray serve`), when one answers within a
 * second; never starts one. A hub that runs but refuses the secret is an error with its hint: going
 * around it would run a second OAuth engine beside it.
 */
export async function runningHub(dataDir: string): Promise<HubConnection | undefined> {
  try {
    return await connectToHub(hubAddressFor(dataDir), 'cli', { timeoutMs: 1_000 })
  } catch (error) {
    if (error instanceof TrayError && error.code === 'hub_unauthorized') throw error
    return undefined
  }
}

/** A hub from before this method existed: the caller does the work itself, as it did then. */
export function isUnknownMethod(error: unknown): boolean {
  return error instanceof TrayError && error.code === 'hub_unknown_method'
}
