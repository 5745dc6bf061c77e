import { describe, expect, it } from 'vitest'
import { HubSignIns } from '../../../src/core/hub/hub-sign-ins'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'
import { tokenHandlers } from '../../../src/core/hub/token-handlers'
import { memoryRegistry } from '../../support/memory-registry'
import { testEngine } from '../oauth/engine-harness'

describe('tokenHandlers', () => {
  it('refuses a sign-in or step-up for a server nobody added, before the status model hears of it', async () => {
    const status = new ServerStatusBoard()
    const engine = await testEngine()
    const handlers = tokenHandlers(engine, memoryRegistry(), status, new HubSignIns(engine.signIn))
    const peer = { pid: 1, role: 'proxy' as const, send: () => {} }
    await expect(handlers.get('refresh')!({ server: 'made-up', stale: '' }, peer)).rejects.toMatchObject({ code: 'server_not_found' })
    await expect(handlers.get('step-up')!({ server: 'made-up-too', stale: 'x', scope: 'admin' }, peer)).rejects.toMatchObject({ code: 'server_not_found' })
    expect(status.list()).toEqual([])
    status.close()
  })
})
