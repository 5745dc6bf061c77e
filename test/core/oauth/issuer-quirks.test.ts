import { afterEach, describe, expect, it } from 'vitest'
import { knownIssuerBehaviours, quirksKey, type IssuerBehaviour } from '../../../src/core/oauth/issuer-quirks'
import type { ServerAuthRecord } from '../../../src/core/oauth/server-auth-record'
import { startQuirkyServer, type QuirkyServer, type QuirkyServerOptions } from '../../fixtures/quirky-as/quirky-server'
import { recordingBrowser, serverEntry, testEngine } from './engine-harness'

const servers: QuirkyServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function quirky(options: QuirkyServerOptions): Promise<QuirkyServer> {
  const server = await startQuirkyServer(options)
  servers.push(server)
  return server
}

/**
 * A browser that follows the authorization server's redirect to the loopback callback without
 * waiting for the callback's page (which waits for the code exchange, as a browser tab does).
 */
const redirectingBrowser = recordingBrowser(async (url) => {
  const response = await fetch(url, { redirect: 'manual' })
  const location = response.headers.get('location')
  if (location) void fetch(location).catch(() => undefined)
})

/** Google's entry of the table, pointed at the fixture's issuer. */
function asGoogle(server: QuirkyServer): IssuerBehaviour[] {
  const google = knownIssuerBehaviours.find((b) => b.name === 'Google')!
  return [{ ...google, matches: (issuer) => issuer.origin === server.issuer }]
}

describe('authorization-server quirks, handled automatically', () => {
  it('signs in again without `resource` when the issuer refuses it through the browser (Entra ID, AADSTS9010010), remembers, and says so once', async () => {
    const server = await quirky({ quirks: { rejectResource: 'authorize' } })
    const engine = await testEngine({ browser: redirectingBrowser })
    const result = await engine.signIn.run(serverEntry(server.mcpUrl))
    expect(result.status.state).toBe('signed-in')
    expect(server.authorizeRequests.map((q) => q.get('resource'))).toEqual([server.mcpUrl, null])
    expect(server.tokenRequests.map((f) => f.get('resource'))).toEqual([null])
    const said = engine.progress.filter((m) => m.includes('does not accept the resource parameter'))
    expect(said).toEqual([expect.stringContaining('AADSTS9010010')])
    expect(said[0]).toContain('leaves it out for this authorization server from now on')
    expect(await engine.vault.get(quirksKey(server.issuer))).toEqual({ omitResource: true })
    expect(server.accepts(await engine.tokens.getAccessToken('fixture'))).toBe(true)

    // Remembered: the next sign-in leaves it out at once, silently; refreshes leave it out too.
    engine.progress.length = 0
    await engine.signIn.run(serverEntry(server.mcpUrl))
    expect(server.authorizeRequests.map((q) => q.get('resource'))).toEqual([server.mcpUrl, null, null])
    expect(engine.progress.some((m) => m.includes('resource parameter'))).toBe(false)
    const record = await engine.vault.get<ServerAuthRecord>('server:fixture')
    expect(record).toMatchObject({ resource: server.mcpUrl, resourceOmitted: true })
    await engine.tokens.refresh('fixture', record!.tokens!.accessToken)
    expect(server.tokenRequests.at(-1)?.get('grant_type')).toBe('refresh_token')
    expect(server.tokenRequests.at(-1)?.has('resource')).toBe(false)
  })

  it('exchanges the same code again without `resource` when the token endpoint refuses it, with no second trip to the browser', async () => {
    const server = await quirky({ quirks: { rejectResource: 'token' } })
    const engine = await testEngine({ browser: redirectingBrowser })
    expect((await engine.signIn.run(serverEntry(server.mcpUrl))).status.state).toBe('signed-in')
    expect(server.authorizeRequests).toHaveLength(1)
    expect(server.tokenRequests.map((f) => [f.get('code'), f.get('resource')])).toEqual([
      [server.tokenRequests[0]!.get('code'), server.mcpUrl],
      [server.tokenRequests[0]!.get('code'), null],
    ])
    expect(engine.progress.filter((m) => m.includes('does not accept the resource parameter'))).toHaveLength(1)
    expect(server.accepts(await engine.tokens.getAccessToken('fixture'))).toBe(true)
  })

  it('asks Google-like issuers for offline access with access_type=offline and prompt=consent, so a refresh token comes', async () => {
    const server = await quirky({ quirks: { offlineOnlyWithAccessType: true } })
    const plain = await testEngine({ browser: redirectingBrowser })
    await plain.signIn.run(serverEntry(server.mcpUrl))
    expect((await plain.vault.get<ServerAuthRecord>('server:fixture'))?.tokens?.refreshToken).toBeUndefined()

    const engine = await testEngine({ browser: redirectingBrowser, behaviours: asGoogle(server) })
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const asked = server.authorizeRequests.at(-1)!
    expect([asked.get('access_type'), asked.get('prompt')]).toEqual(['offline', 'consent'])
    const record = await engine.vault.get<ServerAuthRecord>('server:fixture')
    expect(record?.tokens?.refreshToken).toBeTruthy()
    const fresh = await engine.tokens.refresh('fixture', record!.tokens!.accessToken)
    expect(server.accepts(fresh)).toBe(true)
  })

  it('sends the server’s audience setting (Auth0), without which the token is not for the API', async () => {
    const server = await quirky({ quirks: { audience: 'https://api.example.com' } })
    const without = await testEngine({ browser: redirectingBrowser })
    await without.signIn.run(serverEntry(server.mcpUrl))
    expect(server.accepts(await without.tokens.getAccessToken('fixture'))).toBe(false)

    const engine = await testEngine({ browser: redirectingBrowser })
    await engine.signIn.run(serverEntry(server.mcpUrl, { audience: 'https://api.example.com' }))
    expect(server.authorizeRequests.at(-1)?.get('audience')).toBe('https://api.example.com')
    expect(server.accepts(await engine.tokens.getAccessToken('fixture'))).toBe(true)
  })

  it('lists Google and Auth0 by issuer', () => {
    const find = (issuer: string) => knownIssuerBehaviours.find((b) => b.matches(new URL(issuer)))?.name
    expect(find('https://accounts.google.com')).toBe('Google')
    expect(find('https://tenant.eu.auth0.com/')).toBe('Auth0')
    expect(find('https://login.microsoftonline.com/tenant/v2.0')).toBeUndefined()
  })
})
