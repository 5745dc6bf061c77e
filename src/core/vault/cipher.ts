/**
 * Encrypts the vault's secrets. The app passes Electron's `safeStorage` (src/main); headless runs
 * use the AES-256-GCM key-file cipher, which is the weaker option (the key lies next to the data).
 */
export interface Cipher {
  /** A short name for status and diagnostics, e.g. `aes-256-gcm key file`. */
  readonly label: string
  /** True when the protection is weaker than an OS keychain; the UI warns about it. */
  readonly weak: boolean
  encrypt(plain: string): Promise<Buffer>
  decrypt(data: Buffer): Promise<string>
}
