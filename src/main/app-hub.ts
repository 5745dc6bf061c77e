import { shell } from 'electron'
import Store from 'electron-store'
import type { ProxyLaunch } from '../core/clients/entry-builder'
import { hubAddressFor } from '../core/hub/hub-address'
import { askHubToYield } from '../core/hub/hub-takeover'
import { startTrayHub, type TrayHub } from '../core/hub/tray-hub'
import { ensureDataDir } from '../core/data/data-dir'
import { ExternalShellOpener } from '../core/oauth/browser-opener'
import { createOAuthEngine } from '../core/oauth/oauth-engine'
import { ServerRegistry } from '../core/registry/server-registry'
import { AesGcmFileCipher } from '../core/vault/aes-gcm-file-cipher'
import type { Cipher } from '../core/vault/cipher'
import { FallbackCipher } from '../core/vault/fallback-cipher'
import { TrayError } from '../shared/tray-error'
import type { LoginItem } from './login-item'
import { SafeStorageCipher } from './safe-storage-cipher'

export interface AppHubOptions {
  /** How client apps start the proxy: this executable run as Node, with the built CLI. */
  readonly proxyLaunch?: ProxyLaunch
  /** Start at login, for the Settings view; none where the app cannot set it. */
  readonly loginItem?: LoginItem | undefined
  readonly onProgress?: (message: string) => void
}

/**
 * The composition root of the app's hub: the registry in electron-store, secrets sealed with the
 * OS keychain (still reading what the command line sealed with its key file), sign-in in the
 * default browser. A headless hub already running for the data folder (started by a proxy while
 * the app was not) is asked to step aside first. Call once the app is ready (safeStorage needs it).
 */
export async function startAppHub(dataDir: string, options: AppHubOptions = {}): Promise<TrayHub> {
  await ensureDataDir(dataDir)
  const store = new Store<Record<string, unknown>>({ cwd: dataDir, name: 'registry', configFileMode: 0o600 })
  const registry = new ServerRegistry({ get: (key) => store.get(key), set: (key, value) => store.set(key, value) })
  const engine = createOAuthEngine({
    dataDir,
    cipher: appCipher(dataDir),
    browser: new ExternalShellOpener((url) => shell.openExternal(url)),
    settings: registry.settings(),
  })
  if (options.onProgress) engine.signIn.onProgress(options.onProgress)
  // A proxy may start another headless hub between the yield and the start: ask again, a few times.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startTrayHub({
        dataDir,
        shell: 'electron',
        registry,
        engine,
        ...(options.proxyLaunch ? { proxyLaunch: options.proxyLaunch } : {}),
        ...(options.loginItem ? { shellSettings: { startAtLogin: options.loginItem } } : {}),
      })
    } catch (error) {
      if (!(error instanceof TrayError) || error.code !== 'hub_already_running' || attempt === 3) throw error
      await askHubToYield(hubAddressFor(dataDir))
    }
  }
}

function appCipher(dataDir: string): Cipher {
  // The command line may create the key file while the app runs: it is looked for when needed.
  return new FallbackCipher(new SafeStorageCipher(), { open: () => AesGcmFileCipher.openExisting(dataDir), sealed: AesGcmFileCipher.sealed })
}
