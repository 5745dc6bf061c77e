import { TrayError } from '../../shared/tray-error'
import type { Cipher } from './cipher'

/** A cipher that can still read entries sealed the old way, and what tells them apart. */
export interface OlderCipher {
  /** The cipher, once it can be had (its key may appear later); undefined while it cannot. */
  readonly open: () => Promise<Cipher | undefined>
  readonly sealed: (data: Buffer) => boolean
}

/**
 * Seals with `primary` and opens what `older` sealed too: the app keeps its secrets with the OS
 * keychain but must still read what the command line stored with the key file, before or while
 * the app runs. Each entry moves to `primary` the next time it is written (a refresh, a sign-in).
 */
export class FallbackCipher implements Cipher {
  readonly label: string
  readonly weak: boolean
  readonly #primary: Cipher
  readonly #older: OlderCipher
  #opened: Cipher | undefined

  constructor(primary: Cipher, older: OlderCipher) {
    this.#primary = primary
    this.#older = older
    this.label = primary.label
    this.weak = primary.weak
  }

  encrypt(plain: string): Promise<Buffer> {
    return this.#primary.encrypt(plain)
  }

  async decrypt(data: Buffer): Promise<string> {
    if (!this.#older.sealed(data)) return this.#primary.decrypt(data)
    this.#opened ??= await this.#older.open()
    if (!this.#opened) {
      throw new TrayError('vault_corrupt', 'A vault entry was sealed with a key file that is not there any more.', {
        hint: 'Sign in to this server again.',
      })
    }
    return this.#opened.decrypt(data)
  }
}
