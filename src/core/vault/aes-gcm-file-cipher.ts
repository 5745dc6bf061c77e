import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TrayError } from '../../shared/tray-error'
import { ensureDataDir } from '../data/data-dir'
import type { Cipher } from './cipher'

const keyFileName = 'vault.key'
const version = 1
const ivBytes = 12
const tagBytes = 16

/**
 * The headless cipher: AES-256-GCM with a random 32-byte key kept in `vault.key` (mode 0600) in
 * the 0700 data dir. Weaker than an OS keychain: anyone who can read the data dir as this user
 * can decrypt. Layout of a sealed value: version byte, 12-byte IV, 16-byte tag, ciphertext.
 */
export class AesGcmFileCipher implements Cipher {
  readonly label = 'AES-256-GCM with a key file (weaker than the OS keychain)'
  readonly weak = true
  readonly #key: Buffer

  private constructor(key: Buffer) {
    this.#key = key
  }

  /**
   * Whether `data` was sealed by this cipher (its layout, not its key): the app tells these
   * entries from its keychain's, which start with a `v1x` prefix, to read what the command line
   * stored before it.
   */
  static sealed(data: Buffer): boolean {
    return data.length >= 1 + ivBytes + tagBytes && data[0] === version
  }

  /** The key file's cipher when `dataDir/vault.key` exists, without creating one. */
  static async openExisting(dataDir: string): Promise<AesGcmFileCipher | undefined> {
    return existsSync(join(dataDir, keyFileName)) ? AesGcmFileCipher.open(dataDir) : undefined
  }

  /** Loads the key from `dataDir/vault.key`, creating it (0600) on first use. */
  static async open(dataDir: string): Promise<AesGcmFileCipher> {
    await ensureDataDir(dataDir)
    const path = join(dataDir, keyFileName)
    let key: Buffer
    try {
      key = await readFile(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      try {
        await writeFile(path, randomBytes(32), { mode: 0o600, flag: 'wx' })
      } catch (raced) {
        if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced
      }
      key = await readFile(path)
    }
    if (process.platform !== 'win32') await chmod(path, 0o600)
    if (key.length !== 32) {
      throw new TrayError('vault_key_invalid', `The vault key file ${path} is damaged.`, {
        hint: 'Move it away and sign in to your servers again.',
      })
    }
    return new AesGcmFileCipher(key)
  }

  async encrypt(plain: string): Promise<Buffer> {
    const iv = randomBytes(ivBytes)
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return Buffer.concat([Buffer.of(version), iv, cipher.getAuthTag(), body])
  }

  async decrypt(data: Buffer): Promise<string> {
    // Electron's safeStorage prefixes what it seals with `v10`/`v11`: the app's keychain entries.
    if (/^v1\d/.test(data.subarray(0, 3).toString('latin1'))) {
      throw new TrayError('vault_keychain_entry', 'This secret is sealed with the OS keychain by the MCP Tray app, which the command line cannot open.', {
        hint: 'Use the app for this server, or sign in again from the command line (`mcp-tray login <name>`).',
      })
    }
    if (!AesGcmFileCipher.sealed(data)) {
      throw new TrayError('vault_corrupt', 'A vault entry is not in a format this version can read.')
    }
    const iv = data.subarray(1, 1 + ivBytes)
    const tag = data.subarray(1 + ivBytes, 1 + ivBytes + tagBytes)
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv)
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(data.subarray(1 + ivBytes + tagBytes)), decipher.final()]).toString('utf8')
    } catch (cause) {
      throw new TrayError('vault_corrupt', 'A vault entry could not be decrypted with this key.', {
        hint: 'The key file may have been replaced; sign in again.',
        cause,
      })
    }
  }
}
