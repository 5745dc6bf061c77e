import type { RegistryStore } from '../../src/core/registry/registry-store'
import { ServerRegistry } from '../../src/core/registry/server-registry'
import type { Settings } from '../../src/core/registry/server-entry'

/** A registry kept in memory only: nothing is written to disk. */
export function memoryRegistry(): ServerRegistry {
  const values = new Map<string, unknown>()
  const store: RegistryStore = { get: (key) => values.get(key), set: (key, value) => void values.set(key, value) }
  return new ServerRegistry(store)
}

/** The settings of a registry nobody has changed. */
export const defaultSettings: Settings = {
  callbackPort: 3334,
  signInTimeoutMs: 300_000,
  defaultTimeoutMs: 60_000,
  enabledClients: [],
  dashboardPort: 3335,
  idleStopMinutes: 5,
  trustSystemCertificates: true,
  maxMessageBytes: 32 * 1024 * 1024,
  notificationMinutes: 5,
}
