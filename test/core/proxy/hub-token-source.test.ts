import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hubAddressFor, type HubAddress } from '../../../src/core/hub/hub-address'
import { connectToHub } from '../../../src/core/hub/hub-client'
import { startHubServer, type HubHandler, type HubServer } from '../../../src/core/hub/hub-server'
import { HubTokenSource } from '../../../src/core/proxy/hub-token-source'

describe('HubTokenSource', () => {
  let dir: string
  let address: HubAddress
  let hub: HubServer | undefined
  const calls: string[] = []

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-tokens-'))
    address = hubAddressFor(dir)
    calls.length = 0
  })
  afterEach(async () => {
    await hub?.close()
    hub = undefined
    await rm(dir, { recursive: true, force: true })
  })

  function source(): HubTokenSource {
    const connect = () => connectToHub(address, 'proxy')
    return new HubTokenSource({ server: 'demo', connect, connectOrStart: connect, refreshTimeoutMs: 1_000 })
  }

  it('asks the hub once, not on every request, when it has no token (a server without sign-in)', async () => {
    const handlers = new Map<string, HubHandler>([
      ['token', async () => (calls.push('token'), { token: null })],
      ['refresh', async () => (calls.push('refresh'), { token: 'fresh' })],
    ])
    hub = await startHubServer(address, handlers)
    const tokens = source()
    for (let i = 0; i < 5; i += 1) expect(await tokens.getToken()).toBeUndefined()
    expect(calls).toEqual(['token'])
    expect(await tokens.refresh('')).toBe('fresh')
    expect(await tokens.getToken()).toBe('fresh')
    expect(calls).toEqual(['token', 'refresh'])
    tokens.close()
  })

  it('sends no token, and does not keep looking, when no hub runs', async () => {
    const tokens = source()
    expect(await tokens.getToken()).toBeUndefined()
    hub = await startHubServer(address, new Map([['token', async () => (calls.push('token'), { token: 'late' })]]))
    expect(await tokens.getToken()).toBeUndefined()
    expect(calls).toEqual([])
  })
})

describe('HubTokenSource once closed', () => {
  it('neither starts a hub nor asks one for a refresh or step-up (the proxy is exiting)', async () => {
    let starts = 0
    const source = new HubTokenSource({
      server: 'demo',
      connect: async () => Promise.reject(new Error('no hub')),
      connectOrStart: async () => Promise.reject(new Error(`started a hub (${++starts})`)),
      refreshTimeoutMs: 1_000,
    })
    source.close()
    expect(await source.refresh('stale')).toBeUndefined()
    expect(await source.stepUp('stale', { scope: 'admin' })).toBeUndefined()
    expect(starts).toBe(0)
  })
})
