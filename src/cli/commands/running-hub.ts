import { hubAddressFor } from '../../core/hub/hub-address'
import { connectToHub, type HubConnection } from '../../core/hub/hub-client'
import { TrayError } from '../../shared/tray-error'

/**
 * The hub running for this data folder (the app, or `mcp-tray serve`), or undefined when none runs;
 * never starts one. A hub that runs but refuses the secret, or is too busy to answer, is an error
 * with its hint: going around it would run a second OAuth engine beside it.
 */
export async function runningHub(dataDir: string): Promise<HubConnection | undefined> {
  try {
    return await connectToHub(hubAddressFor(dataDir), 'cli', { timeoutMs: 2_000 })
  } catch (error) {
    if (error instanceof TrayError && error.code === 'hub_unavailable') return undefined
    if (error instanceof TrayError && error.code === 'hub_timeout') {
      throw new TrayError('hub_busy', 'MCP Tray is running but did not answer within 2 s.', {
        hint: 'It may be waiting for the keychain or busy starting: try again in a moment, or quit and restart MCP Tray.',
        cause: error,
      })
    }
    throw error
  }
}

/** A hub from before this method existed: the caller does the work itself, as it did then. */
export function isUnknownMethod(error: unknown): boolean {
  return error instanceof TrayError && error.code === 'hub_unknown_method'
}
