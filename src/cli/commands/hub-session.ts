import { realpathSync } from 'node:fs'
import { resolveDataDir } from '../../core/data/data-dir'
import { hubAddressFor } from '../../core/hub/hub-address'
import type { HubConnection } from '../../core/hub/hub-client'
import { connectOrStartHub } from '../../core/hub/hub-launcher'
import { TrayError } from '../../shared/tray-error'

/**
 * The hub for a command that changes something (connect, remove, rename, set, settings, login):
 * the running one, or one started in the background as a proxy would start it (`serve --quiet`,
 * or the app itself when this CLI runs inside the app). Only the hub reads the vault, runs OAuth
 * and binds the callback port, so two commands at once share one sign-in instead of fighting.
 */
export async function hubForCommand(): Promise<HubConnection> {
  const script = process.argv[1]
  const launch = {
    executable: process.execPath,
    cliScript: script ? realpathSync(script) : '',
    env: process.env,
    insideApp: process.versions.electron !== undefined,
  }
  try {
    return await connectOrStartHub(hubAddressFor(resolveDataDir()), 'cli', launch)
  } catch (error) {
    if (error instanceof TrayError && error.code === 'hub_timeout') {
      throw new TrayError('hub_busy', 'MCP Tray is running but did not answer within 2 s.', {
        hint: 'It may be waiting for the keychain or busy starting: try again in a moment, or quit and restart MCP Tray.',
        cause: error,
      })
    }
    throw error
  }
}

/** Runs `work` with the hub, and lets go of the connection after. */
export async function withHub<T>(work: (hub: HubConnection) => Promise<T>): Promise<T> {
  const hub = await hubForCommand()
  try {
    return await work(hub)
  } finally {
    hub.close()
  }
}
