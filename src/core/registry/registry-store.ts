import { join } from 'node:path'
import Conf from 'conf'
import { TrayError } from '../../shared/tray-error'

/**
 * The small part of `conf` / `electron-store` the registry uses, so that the app can pass an
 * electron-store (same API) and tests a plain object.
 */
export interface RegistryStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/**
 * Headless storage: `registry.json` in the data dir, written atomically by `conf`. A file that
 * does not parse is left as it is and reported.
 */
export function openConfStore(dataDir: string): RegistryStore {
  let conf: Conf<Record<string, unknown>>
  try {
    conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'registry', configFileMode: 0o600 })
  } catch (cause) {
    throw new TrayError('registry_unreadable', `MCP Tray's server list (${join(dataDir, 'registry.json')}) cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: 'It was left untouched: fix it, or move it away to start a new list.',
      cause,
    })
  }
  return { get: (key) => conf.get(key), set: (key, value) => conf.set(key, value) }
}
