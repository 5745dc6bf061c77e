import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import lockfile from 'proper-lockfile'
import { replaceFileAtomically } from '../data/atomic-file'
import { ensureDataDir } from '../data/data-dir'
import { SecretValues } from '../logs/secret-values'
import type { Cipher } from './cipher'

/** Where a secret belongs: one server (its tokens, its pre-registered client secret) or one issuer. */
export type VaultKey = `server:${string}` | `issuer:${string}`

const fileName = 'vault.json'

/**
 * Secrets at rest: a JSON file (mode 0600) mapping each key to its value encrypted with the
 * `Cipher`; only the keys (server names, issuer URLs) are readable. Writes are atomic, serialised
 * within the process and locked across processes (the hub and a CLI `login` may run at once), so a
 * rotated refresh token written by one is never overwritten by another's stale copy.
 */
export class Vault {
  readonly #path: string
  readonly #cipher: Cipher
  #queue: Promise<unknown> = Promise.resolve()
  /**
   * The credentials this process has read from or written to the vault, so that whatever it
   * emits (a status, a log preview, stderr) can be scrubbed of them wherever a server echoes one.
   */
  readonly secrets: SecretValues

  constructor(dataDir: string, cipher: Cipher, secrets: SecretValues = new SecretValues()) {
    this.#path = join(dataDir, fileName)
    this.#cipher = cipher
    this.secrets = secrets
  }

  get cipher(): Cipher {
    return this.#cipher
  }

  async get<T>(key: VaultKey): Promise<T | undefined> {
    const sealed = (await this.#read())[key]
    if (sealed === undefined) return undefined
    const value = JSON.parse(await this.#cipher.decrypt(Buffer.from(sealed, 'base64'))) as T
    this.secrets.addFieldsOf(value)
    return value
  }

  set(key: VaultKey, value: unknown): Promise<void> {
    this.secrets.addFieldsOf(value)
    return this.#update(async (entries) => {
      entries[key] = (await this.#cipher.encrypt(JSON.stringify(value))).toString('base64')
    })
  }

  delete(key: VaultKey): Promise<void> {
    return this.#update(async (entries) => {
      delete entries[key]
    })
  }

  async keys(): Promise<VaultKey[]> {
    return Object.keys(await this.#read()) as VaultKey[]
  }

  #update(change: (entries: Record<string, string>) => Promise<void>): Promise<void> {
    const next = this.#queue.then(async () => {
      await ensureDataDir(dirname(this.#path))
      const release = await lockfile.lock(this.#path, {
        realpath: false,
        stale: 10_000,
        retries: { retries: 50, minTimeout: 10, maxTimeout: 200 },
      })
      try {
        const entries = await this.#read()
        await change(entries)
        await replaceFileAtomically(this.#path, JSON.stringify(entries, null, 2), 0o600)
      } finally {
        await release()
      }
    })
    this.#queue = next.catch(() => undefined)
    return next
  }

  async #read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.#path, 'utf8')) as Record<string, string>
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw error
    }
  }
}
