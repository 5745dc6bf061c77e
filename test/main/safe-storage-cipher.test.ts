import { afterEach, describe, expect, it, vi } from 'vitest'
import { safeStorage } from 'electron'
import { SafeStorageCipher } from '../../src/main/safe-storage-cipher'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('SafeStorageCipher (electron mocked)', () => {
  it('round-trips through safeStorage and reports a keyring backend as strong', async () => {
    const cipher = new SafeStorageCipher()
    expect(await cipher.decrypt(await cipher.encrypt('token-value'))).toBe('token-value')
    if (process.platform === 'linux') expect(cipher.weak).toBe(false)
  })

  it.runIf(process.platform === 'linux')('reports the basic_text backend as weak', () => {
    vi.spyOn(safeStorage, 'getSelectedStorageBackend').mockReturnValue('basic_text')
    const cipher = new SafeStorageCipher()
    expect(cipher.weak).toBe(true)
    expect(cipher.label).toMatch(/basic_text/)
  })

  it('refuses to start when encryption is unavailable', () => {
    vi.spyOn(safeStorage, 'isEncryptionAvailable').mockReturnValue(false)
    expect(() => new SafeStorageCipher()).toThrow(expect.objectContaining({ code: 'keychain_unavailable' }))
  })
})
