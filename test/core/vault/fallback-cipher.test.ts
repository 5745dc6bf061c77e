import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import type { Cipher } from '../../../src/core/vault/cipher'
import { FallbackCipher } from '../../../src/core/vault/fallback-cipher'
import { Vault } from '../../../src/core/vault/vault'

/** Stands in for the OS keychain: its sealed values start with `v10`, as Electron's safeStorage's do. */
const keychain: Cipher = {
  label: 'keychain',
  weak: false,
  encrypt: async (plain) => Buffer.concat([Buffer.from('v10'), Buffer.from(plain).reverse()]),
  decrypt: async (data) => {
    if (data.subarray(0, 3).toString() !== 'v10') throw new Error('not a keychain value')
    return Buffer.from(data.subarray(3)).reverse().toString()
  },
}

describe('FallbackCipher', () => {
  it('reads what the key file sealed, seals anew with the keychain, and moves entries over as they are written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-'))
    expect(await AesGcmFileCipher.openExisting(dir)).toBeUndefined()
    // The app starts before the command line has made a key file, and is handed its entries later.
    const vault = new Vault(dir, new FallbackCipher(keychain, { open: () => AesGcmFileCipher.openExisting(dir), sealed: AesGcmFileCipher.sealed }))
    await new Vault(dir, await AesGcmFileCipher.open(dir)).set('server:a', { token: 'from-the-cli' })

    const older = await AesGcmFileCipher.openExisting(dir)
    expect(await vault.get('server:a')).toEqual({ token: 'from-the-cli' })
    await vault.set('server:a', { token: 'refreshed' })
    await vault.set('server:b', { token: 'new' })
    expect(await vault.get('server:a')).toEqual({ token: 'refreshed' })
    expect(await new Vault(dir, keychain).get('server:b')).toEqual({ token: 'new' })
    expect(await new Vault(dir, keychain).get('server:a')).toEqual({ token: 'refreshed' })
    // The command line meets an entry only the app can open, and says so.
    await expect(new Vault(dir, older!).get('server:b')).rejects.toMatchObject({ code: 'vault_keychain_entry' })
  })
})
