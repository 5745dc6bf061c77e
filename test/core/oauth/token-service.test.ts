import { describe, expect, it } from 'vitest'
import type { Clock } from '../../../src/core/oauth/token-refresher'
import type { ServerAuthRecord } from '../../../src/core/oauth/server-auth-record'
import { parseBearerChallenge } from '../../../src/core/oauth/www-authenticate'
import { initializeWith, serverEntry, testEngine, useFixtureServers } from './engine-harness'

class FakeClock implements Clock {
  constructor(public time = Date.now()) {}
  now(): number {
    return this.time
  }
}

const fixture = useFixtureServers()

async function refreshTokenOf(engine: Awaited<ReturnType<typeof testEngine>>): Promise<string | undefined> {
  return (await engine.vault.get<ServerAuthRecord>('server:fixture'))?.tokens?.refreshToken
}

describe('TokenService against the fixture', () => {
  it('refreshes ahead of expiry with resource, keeps the rotated refresh token', async () => {
    const server = await fixture({ accessTokenTtlSeconds: 300, rotateRefreshTokens: true })
    const clock = new FakeClock()
    const engine = await testEngine({ clock })
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const first = await engine.tokens.getAccessToken('fixture')
    const firstRefresh = await refreshTokenOf(engine)
    expect(await engine.tokens.getAccessToken('fixture')).toBe(first)
    clock.time += 241_000 // within 60 s of expiry
    const second = await engine.tokens.getAccessToken('fixture')
    expect(second).not.toBe(first)
    expect(await refreshTokenOf(engine)).not.toBe(firstRefresh)
    clock.time += 241_000
    const third = await engine.tokens.getAccessToken('fixture') // works only with the rotated refresh token
    expect(third).not.toBe(second)
    expect((await initializeWith(server.mcpUrl, third)).status).toBe(200)
    expect(server.knobs.tokenRequests('refresh_token')).toHaveLength(2)
    expect(server.knobs.tokenRequests('refresh_token').every((r) => r.status === 200)).toBe(true)
  })

  it('refreshes short-lived tokens a quarter of their life ahead, not on every use', async () => {
    const server = await fixture({ accessTokenTtlSeconds: 20 })
    const clock = new FakeClock()
    const engine = await testEngine({ clock })
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const first = await engine.tokens.getAccessToken('fixture')
    clock.time += 10_000
    expect(await engine.tokens.getAccessToken('fixture')).toBe(first)
    expect(server.knobs.tokenRequests('refresh_token')).toHaveLength(0)
    clock.time += 6_000 // 4 s left: within a quarter of the 20 s life
    expect(await engine.tokens.getAccessToken('fixture')).not.toBe(first)
    expect(server.knobs.tokenRequests('refresh_token')).toHaveLength(1)
  })

  it('makes one refresh for many callers holding the same stale token', async () => {
    const server = await fixture()
    const engine = await testEngine()
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const stale = await engine.tokens.getAccessToken('fixture')
    const fresh = await Promise.all(Array.from({ length: 8 }, () => engine.tokens.refresh('fixture', stale)))
    expect(new Set(fresh).size).toBe(1)
    expect(fresh[0]).not.toBe(stale)
    expect(await engine.tokens.refresh('fixture', stale)).toBe(fresh[0]) // late caller: already refreshed
    expect(server.knobs.tokenRequests('refresh_token')).toHaveLength(1)
  })

  it('turns invalid_grant into "sign-in needed" without retrying', async () => {
    const server = await fixture()
    const engine = await testEngine()
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const stale = await engine.tokens.getAccessToken('fixture')
    await server.knobs.revokeGrants()
    await expect(engine.tokens.refresh('fixture', stale)).rejects.toMatchObject({ code: 'sign_in_needed' })
    expect(await engine.tokens.status('fixture')).toMatchObject({ state: 'sign-in-needed' })
    await expect(engine.tokens.getAccessToken('fixture')).rejects.toMatchObject({ code: 'sign_in_needed' })
    await expect(engine.tokens.refresh('fixture', stale)).rejects.toMatchObject({ code: 'sign_in_needed' })
    expect(server.knobs.tokenRequests('refresh_token')).toHaveLength(1)
  })

  it('bounds token requests per server and minute', async () => {
    const server = await fixture()
    const clock = new FakeClock()
    const engine = await testEngine({ clock, budget: { perMinute: 3 } })
    await engine.signIn.run(serverEntry(server.mcpUrl)) // 1: code exchange
    await engine.tokens.refresh('fixture', await engine.tokens.getAccessToken('fixture')) // 2
    await engine.tokens.refresh('fixture', await engine.tokens.getAccessToken('fixture')) // 3
    await expect(engine.tokens.refresh('fixture', await engine.tokens.getAccessToken('fixture'))).rejects.toMatchObject({
      code: 'token_rate_limited',
    })
    clock.time += 61_000
    await expect(engine.tokens.refresh('fixture', await engine.tokens.getAccessToken('fixture'))).resolves.toBeTruthy()
  })

  it('signs out with RFC 7009 revocation and forgets locally', async () => {
    const server = await fixture()
    const engine = await testEngine()
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const token = await engine.tokens.getAccessToken('fixture')
    expect(await engine.tokens.signOut('fixture')).toEqual({ revoked: true })
    expect((await initializeWith(server.mcpUrl, token)).status).toBe(401)
    expect(await engine.tokens.status('fixture')).toEqual({ state: 'signed-out' })
    expect(server.knobs.authRequests.filter((r) => r.route === 'revocation').length).toBeGreaterThanOrEqual(1)
  })

  it('steps up on 403 insufficient_scope with the union of scopes, and stops when it cannot grow', async () => {
    const server = await fixture()
    server.knobs.requireScope('echo', 'mcp:admin')
    const engine = await testEngine()
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const callEcho = (token: string): Promise<Response> =>
      fetch(server.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }),
      })
    const denied = await callEcho(await engine.tokens.getAccessToken('fixture'))
    expect(denied.status).toBe(403)
    const challenge = parseBearerChallenge(denied.headers.get('www-authenticate'))!
    const stepped = await engine.signIn.run(serverEntry(server.mcpUrl), { challenge })
    expect(stepped.status.scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']))
    expect((await callEcho(await engine.tokens.getAccessToken('fixture'))).status).not.toBe(403)
    await expect(engine.signIn.run(serverEntry(server.mcpUrl), { challenge })).rejects.toMatchObject({ code: 'scope_step_up_limit' })
  })

  it('stops stepping up after three attempts in a row, even when each asks for something new', async () => {
    const server = await fixture()
    const engine = await testEngine()
    await engine.signIn.run(serverEntry(server.mcpUrl))
    for (const extra of ['mcp:admin', 'extra:1', 'extra:2']) {
      const challenge = { error: 'insufficient_scope', scope: `mcp:tools ${extra}` }
      await engine.signIn.run(serverEntry(server.mcpUrl), { challenge }).catch(() => undefined)
    }
    const before = server.knobs.authRequests.length
    await expect(
      engine.signIn.run(serverEntry(server.mcpUrl), { challenge: { error: 'insufficient_scope', scope: 'extra:3' } }),
    ).rejects.toMatchObject({ code: 'scope_step_up_limit' })
    expect(server.knobs.authRequests.length).toBe(before)
  })

  it('measures: token requests in a sign-in and in an hour of 5-minute tokens (fake clock, one call a minute)', async () => {
    const server = await fixture({ accessTokenTtlSeconds: 300 })
    const clock = new FakeClock()
    const engine = await testEngine({ clock })
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const signIn = server.knobs.tokenRequests().length
    for (let minute = 0; minute <= 60; minute += 1) {
      clock.time += 60_000
      await engine.tokens.getAccessToken('fixture')
    }
    const hour = server.knobs.tokenRequests().length - signIn
    console.info(`token requests: sign-in ${signIn}, one hour of 5-minute tokens ${hour}`)
    expect(signIn).toBe(1)
    expect(hour).toBe(15) // refreshed 60 s ahead: every 4 minutes
  })
})
