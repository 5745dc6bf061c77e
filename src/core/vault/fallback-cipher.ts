import type { Cipher } from './cipher'

/** A cipher that can still read entries sealed the old way, and what tells them apart. */
export interface OlderCipher {
  readonly cipher: Cipher
  readonly sealed: (data: Buffer) => boolean
}

/**
 * Seals with `primary` and opens what `older` sealed too: the app keeps its secrets with the OS
 * keychain but must still read what the command line stored with the key file before. Each entry
 * moves to `primary` the next time it is written (a refresh, a sign-in).
 */
export class FallbackCipher implements Cipher {
  readonly label: string
  readonly weak: boolean
  readonly #primary: Cipher
  readonly #older: OlderCipher

  constructor(primary: Cipher, older: OlderCipher) {
    this.#primary = primary
    this.#older = older
    this.label = primary.label
    this.weak = primary.weak
  }

  encrypt(plain: string): Promise<Buffer> {
    return this.#primary.encrypt(plain)
  }

  decrypt(data: Buffer): Promise<string> {
    return this.#older.sealed(data) ? this.#older.cipher.decrypt(data) : this.#primary.decrypt(data)
  }
}
