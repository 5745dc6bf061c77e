import { describe, expect, it } from 'vitest'
import { HubSignIns } from '../../../src/core/hub/hub-sign-ins'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'
import { tokenHandlers } from '../../../src/core/hub/token-handlers'
import type { RegistryStore } from '../../../src/core/registry/registry-store'
import { ServerRegistry } from '../../../src/core/registry/server-registry'
import { testEngine } from '../oauth/engine-harness'

describe('tokenHandlers', () => {
  it('refuses a sign-in or step-up for a server nobody added, before the status model hears of it', async () => {
    const values = new Map<string, unknown>()
    const store: RegistryStore = { get: (key) => values.get(key), set: (key, value) => void values.set(key, value) }
    const status = new ServerStatusBoard()
    const engine = await testEngine()
    const handlers = tokenHandlers(engine, new ServerRegistry(store), status, new HubSignIns(engine.signIn))
    const peer = { pid: 1, role: 'proxy' as const, send: () => {} }
    await expect(handlers.get('refresh')!({ server: 'made-up', stale: '' }, peer)).rejects.toMatchObject({ code: 'server_not_found' })
    await expect(handlers.get('step-up')!({ server: 'made-up-too', stale: 'x', scope: 'admin' }, peer)).rejects.toMatchObject({ code: 'server_not_found' })
    expect(status.list()).toEqual([])
    status.close()
  })
})
