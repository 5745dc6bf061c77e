import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import { Vault } from '../../../src/core/vault/vault'

async function freshDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'vault-')), 'data')
}

describe('AES-256-GCM key-file cipher', () => {
  it('creates a 0600 key in a 0700 data dir and round-trips values', async () => {
    const dir = await freshDir()
    const cipher = await AesGcmFileCipher.open(dir)
    expect(cipher.weak).toBe(true)
    expect((await stat(join(dir, 'vault.key'))).mode & 0o777).toBe(0o600)
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
    const sealed = await cipher.encrypt('secret-value')
    expect(sealed.toString('utf8')).not.toContain('secret-value')
    expect(await (await AesGcmFileCipher.open(dir)).decrypt(sealed)).toBe('secret-value')
  })

  it('refuses tampered data and a damaged key', async () => {
    const dir = await freshDir()
    const cipher = await AesGcmFileCipher.open(dir)
    const sealed = await cipher.encrypt('x')
    sealed[sealed.length - 1]! ^= 1
    await expect(cipher.decrypt(sealed)).rejects.toMatchObject({ code: 'vault_corrupt' })
    await writeFile(join(dir, 'vault.key'), 'short')
    await expect(AesGcmFileCipher.open(dir)).rejects.toMatchObject({ code: 'vault_key_invalid' })
  })
})

describe('Vault', () => {
  it('keeps values encrypted in a 0600 file and survives concurrent writes', async () => {
    const dir = await freshDir()
    const vault = new Vault(dir, await AesGcmFileCipher.open(dir))
    await Promise.all([
      vault.set('server:a', { token: 'plain-token-a' }),
      vault.set('server:b', { token: 'plain-token-b' }),
      vault.set('issuer:https://as.example', { clientId: 'c' }),
    ])
    expect(await vault.get('server:a')).toEqual({ token: 'plain-token-a' })
    expect((await vault.keys()).sort()).toEqual(['issuer:https://as.example', 'server:a', 'server:b'])
    const file = await readFile(join(dir, 'vault.json'), 'utf8')
    expect(file).not.toContain('plain-token')
    expect((await stat(join(dir, 'vault.json'))).mode & 0o777).toBe(0o600)
    await vault.delete('server:a')
    expect(await vault.get('server:a')).toBeUndefined()
  })
})

describe('Vault across processes', () => {
  it('loses no entry when two vault instances (two processes) write at once', async () => {
    const dir = await freshDir()
    const cipher = await AesGcmFileCipher.open(dir)
    const hub = new Vault(dir, cipher)
    const cli = new Vault(dir, cipher)
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? hub : cli).set(`server:s${i}`, { n: i })),
    )
    expect((await hub.keys()).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `server:s${i}`).sort())
  })
})
