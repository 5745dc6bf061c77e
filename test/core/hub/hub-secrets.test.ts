import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hubAddressFor } from '../../../src/core/hub/hub-address'
import { connectToHub } from '../../../src/core/hub/hub-client'
import { startHub, type RunningHub } from '../../../src/core/hub/hub-runtime'
import type { HubHandler } from '../../../src/core/hub/hub-server'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import { Vault } from '../../../src/core/vault/vault'
import { TrayError } from '../../../src/shared/tray-error'

describe('the hub keeps the secrets it holds out of what it says', () => {
  let home: string
  let hub: RunningHub | undefined

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-hubsecrets-'))
  })
  afterEach(async () => {
    await hub?.close()
    hub = undefined
    await rm(home, { recursive: true, force: true })
  })

  it('remembers every credential its vault reads or writes: tokens, client secrets, header values', async () => {
    const vault = new Vault(home, await AesGcmFileCipher.open(home))
    await vault.set('server:demo', { issuer: 'https://as.example', tokens: { accessToken: 'access-token-value-1', refreshToken: 'refresh-token-value-1', tokenType: 'Bearer' } })
    await vault.set('server:demo#client-secret', { clientSecret: 'client-secret-value-1' })
    await vault.set('server:demo#headers', { headers: { 'X-Api-Key': 'header-key-value-1', Authorization: 'Bearer header-bearer-value-1' } })
    const reader = new Vault(home, await AesGcmFileCipher.open(home))
    for (const key of ['server:demo', 'server:demo#client-secret', 'server:demo#headers'] as const) await reader.get(key)
    for (const secrets of [vault.secrets, reader.secrets]) {
      expect(
        secrets.mask('access-token-value-1 refresh-token-value-1 client-secret-value-1 header-key-value-1 header-bearer-value-1 https://as.example'),
      ).toBe('[redacted] [redacted] [redacted] [redacted] [redacted] https://as.example')
    }
  })

  it('masks them in the errors it answers and in the log previews it keeps', async () => {
    const vault = new Vault(home, await AesGcmFileCipher.open(home))
    await vault.set('server:demo', { tokens: { accessToken: 'opaque-held-token-42', tokenType: 'Bearer' } })
    const handlers = new Map<string, HubHandler>([
      [
        'refreshLike',
        async () => {
          throw new TrayError('token_request_failed', 'The server said: token opaque-held-token-42 is \x1b[31mexpired.', { hint: 'Retry with opaque-held-token-42.' })
        },
      ],
    ])
    hub = await startHub({ dataDir: home, handlers, secrets: vault.secrets })
    const connection = await connectToHub(hubAddressFor(home), 'proxy')
    const error = await connection.call('refreshLike').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'token_request_failed', message: 'The server said: token [redacted] is expired.', hint: 'Retry with [redacted].' })
    const event = { time: new Date().toISOString(), server: 'demo', direction: 'to-client', kind: 'error', outcome: 'error', preview: '{"error":{"message":"bad token opaque-held-token-42"}}' }
    await connection.call('logs', { server: 'demo', events: [event] })
    expect(hub.logs.recent('demo', 10).map((kept) => kept.preview)).toEqual(['{"error":{"message":"bad token [redacted]"}}'])
    connection.close()
  })
})
