import { describe, expect, it } from 'vitest'
import type { ServerAuthRecord } from '../../../src/core/oauth/server-auth-record'
import { serverEntry, testEngine, useFixtureServers } from './engine-harness'

const fixture = useFixtureServers()

/** SEP-2352: a server whose protected-resource metadata names another authorization server than the saved sign-in's. */
describe('TokenService.movedAuthorizationServer', () => {
  it('names the new issuer only when the metadata no longer lists the saved one', async () => {
    const server = await fixture()
    const engine = await testEngine()
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const record = (await engine.vault.get<ServerAuthRecord>('server:fixture'))!
    expect(await engine.tokens.movedAuthorizationServer('fixture')).toBeUndefined()
    // The same issuer written differently (a trailing slash) is not a move.
    await engine.vault.set('server:fixture', { ...record, issuer: `${new URL(record.issuer).href}` })
    expect(await engine.tokens.movedAuthorizationServer('fixture')).toBeUndefined()
    await engine.vault.set('server:fixture', { ...record, issuer: 'https://old-issuer.example' })
    expect(await engine.tokens.movedAuthorizationServer('fixture')).toBe(record.issuer)
    expect(await engine.tokens.movedAuthorizationServer('never-signed-in')).toBeUndefined()
  })
})
