import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HubSignIns } from '../../../src/core/hub/hub-sign-ins'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'
import { signInHandlers, type SignInReply, type SignOutReply } from '../../../src/core/hub/sign-in-handlers'
import { tokenHandlers, type TokenReply } from '../../../src/core/hub/token-handlers'
import { serverKey } from '../../../src/core/oauth/server-auth-record'
import { memoryRegistry } from '../../support/memory-registry'
import { testEngine, useFixtureServers } from '../oauth/engine-harness'

const fixture = useFixtureServers()
const dataDirs: string[] = []
afterEach(async () => {
  await Promise.all(dataDirs.splice(0).map((dir) => rm(dirname(dir), { recursive: true, force: true })))
})
const cli = { pid: 2, role: 'cli' as const, send: () => {} }
const proxy = { pid: 1, role: 'proxy' as const, send: () => {} }

/** The hub's handlers as tray-hub wires them: one shared sign-in, one status board. */
async function hubHandlers() {
  const engine = await testEngine()
  dataDirs.push(engine.dataDir)
  const registry = memoryRegistry()
  const status = new ServerStatusBoard()
  const signIns = new HubSignIns(engine.signIn)
  const handlers = new Map([...tokenHandlers(engine, registry, status, signIns), ...signInHandlers(engine, registry, status, signIns)])
  const call = <T>(method: string, params: unknown, peer: typeof cli | typeof proxy = cli) => handlers.get(method)!(params, peer) as Promise<T>
  return { engine, registry, status, call }
}

describe('signIn and signOut in the hub', () => {
  it('refuse a server nobody added, and a request naming none, before the status model hears of it', async () => {
    const { status, call } = await hubHandlers()
    await expect(call('signIn', { server: 'made-up' })).rejects.toMatchObject({ code: 'server_not_found', hint: expect.stringContaining('mcp-tray list') })
    await expect(call('signOut', { server: 'made-up' })).rejects.toMatchObject({ code: 'server_not_found' })
    await expect(call('signIn', {})).rejects.toMatchObject({ code: 'hub_bad_request' })
    await expect(call('signOut', undefined)).rejects.toMatchObject({ code: 'hub_bad_request' })
    expect(status.list()).toEqual([])
    status.close()
  })

  it('signs in once for a person and a proxy asking at the same moment, and reports it to the board; never replies with a token', async () => {
    const server = await fixture()
    const { engine, registry, status, call } = await hubHandlers()
    registry.add({ url: server.mcpUrl, name: 'fixture' })
    const seen: string[] = []
    status.onChange((statuses) => seen.push(...statuses.map((s) => s.state)))

    const [login, first, again] = await Promise.all([
      call<SignInReply>('signIn', { server: 'fixture', since: Date.now() }),
      call<TokenReply>('refresh', { server: 'fixture', stale: '' }, proxy),
      call<SignInReply>('signIn', { server: 'fixture' }),
    ])
    expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
    expect(login.status).toMatchObject({ state: 'signed-in', expiresAt: expect.any(Number), scopes: expect.arrayContaining(['mcp:tools']) })
    expect(again.status).toEqual(login.status)
    expect(first.token).toBe(await engine.tokens.getAccessToken('fixture'))
    expect(JSON.stringify([login, again])).not.toContain(first.token!)
    expect(status.get('fixture').state).toBe('idle')

    // A login asked for before that sign-in finished is answered by it; one asked for later signs in anew.
    const before = Date.now() - 60_000
    await call<SignInReply>('signIn', { server: 'fixture', since: before })
    expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
    await call<SignInReply>('signIn', { server: 'fixture', since: Date.now() + 1 })
    expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(2)
    status.close()
  }, 30_000)

  it('signs out: revokes, forgets the tokens, and the board shows the server at rest (no proxy is attached)', async () => {
    const server = await fixture()
    const { engine, registry, status, call } = await hubHandlers()
    registry.add({ url: server.mcpUrl, name: 'fixture' })
    const asked = Date.now()
    await call<SignInReply>('signIn', { server: 'fixture', since: asked })

    const reply = await call<SignOutReply>('signOut', { server: 'fixture' })
    expect(reply).toEqual({ revoked: true })
    expect(await engine.vault.get(serverKey('fixture'))).toBeUndefined()
    expect(status.get('fixture')).toMatchObject({ state: 'idle' })
    // A proxy still holding the old token is told to sign in; it does not open the browser.
    await expect(call('refresh', { server: 'fixture', stale: 'the-old-token' }, proxy)).rejects.toMatchObject({ code: 'sign_in_needed' })
    // The sign-in before the sign-out no longer counts for a login asked for before it.
    await call<SignInReply>('signIn', { server: 'fixture', since: asked })
    expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(2)
    expect(status.get('fixture').state).toBe('idle')
    status.close()
  }, 30_000)
})
