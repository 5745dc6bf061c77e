import { safeStorage } from 'electron'
import { TrayError } from '../shared/tray-error'
import type { Cipher } from '../core/vault/cipher'

/**
 * The app's vault cipher: Electron `safeStorage` (Keychain on macOS, DPAPI on Windows, the
 * Secret Service or KWallet on Linux). On Linux without a keyring Electron falls back to the
 * `basic_text` backend, a hard-coded key: we still use it but report it as weak so the UI warns.
 */
export class SafeStorageCipher implements Cipher {
  readonly label: string
  readonly weak: boolean

  constructor() {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new TrayError('keychain_unavailable', 'The system keychain is not available to encrypt sign-in tokens.', {
        hint: 'Unlock or install a keyring (e.g. GNOME Keyring), then restart MCP Tray.',
      })
    }
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
    this.weak = backend === 'basic_text'
    this.label = this.weak
      ? 'Electron safeStorage with the basic_text backend (weak: no keyring found)'
      : `Electron safeStorage (${backend === 'os' ? process.platform : backend})`
  }

  async encrypt(plain: string): Promise<Buffer> {
    return safeStorage.encryptString(plain)
  }

  async decrypt(data: Buffer): Promise<string> {
    return safeStorage.decryptString(data)
  }
}
