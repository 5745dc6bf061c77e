import Conf from 'conf'

/**
 * The small part of `conf` / `electron-store` the registry uses, so that the app can pass an
 * electron-store (same API) and tests a plain object.
 */
export interface RegistryStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
}

/** Headless storage: `registry.json` in the data dir, written atomically by `conf`. */
export function openConfStore(dataDir: string): RegistryStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'registry', configFileMode: 0o600 })
  return { get: (key) => conf.get(key), set: (key, value) => conf.set(key, value) }
}
