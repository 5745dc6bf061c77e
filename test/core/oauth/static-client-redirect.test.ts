import { afterEach, describe, expect, it } from 'vitest'
import { startQuirkyServer, type QuirkyServer } from '../../fixtures/quirky-as/quirky-server'
import { freePort, recordingBrowser, serverEntry, testEngine } from './engine-harness'

const servers: QuirkyServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** Follows the authorization server's redirect (without waiting for the callback's page); keeps error pages. */
function browser(pages: string[] = []) {
  return recordingBrowser(async (url) => {
    const response = await fetch(url, { redirect: 'manual' })
    const location = response.headers.get('location')
    if (location) void fetch(location).catch(() => undefined)
    else pages.push(await response.text())
  })
}

describe('a static client registered only for http://localhost:<port>/oauth/callback', () => {
  it('signs in with that redirect URI: host localhost, its port, its path', async () => {
    const port = await freePort()
    const registered = `http://localhost:${port}/oauth/callback`
    const server = await startQuirkyServer({ clients: [{ clientId: 'admin-registered', redirectUris: [registered] }], registration: false })
    servers.push(server)
    const engine = await testEngine({ browser: browser() })
    const entry = serverEntry(server.mcpUrl, { clientId: 'admin-registered', redirect: { host: 'localhost', port } })
    const result = await engine.signIn.run(entry)
    expect(result).toMatchObject({ status: { state: 'signed-in' }, redirectUri: registered })
    expect(server.authorizeRequests[0]?.get('redirect_uri')).toBe(registered)
    expect(server.tokenRequests[0]?.get('redirect_uri')).toBe(registered)
    expect(server.accepts(await engine.tokens.getAccessToken('fixture'))).toBe(true)

    const custom = await freePort()
    const withPath = `http://localhost:${custom}/auth/done`
    const other = await startQuirkyServer({ clients: [{ clientId: 'c2', redirectUris: [withPath] }], registration: false })
    servers.push(other)
    const second = await engine.signIn.run({ name: 'other', url: other.mcpUrl, clientId: 'c2', redirect: { host: 'localhost', port: custom, path: '/auth/done' } })
    expect(second.redirectUri).toBe(withPath)
  })

  it('while the authorization server shows its error page instead of redirecting, says what the page means and what to do', async () => {
    const port = await freePort()
    const server = await startQuirkyServer({ clients: [{ clientId: 'admin-registered', redirectUris: [`http://localhost:${port}/oauth/callback`] }], registration: false })
    servers.push(server)
    const pages: string[] = []
    const engine = await testEngine({ browser: browser(pages), redirectAdviceAfterMs: 100 })
    const details: (string | undefined)[] = []
    engine.signIn.onProgress((_message, _server, detail) => details.push(detail.url))
    const controller = new AbortController()
    // Registered for localhost, but this entry says nothing: MCP Tray sends http://127.0.0.1:<port>/oauth/callback.
    const running = engine.signIn.run(serverEntry(server.mcpUrl, { clientId: 'admin-registered', redirect: { host: '127.0.0.1', port } }), { signal: controller.signal })
    const advice = await waitFor(() => engine.progress.find((m) => m.startsWith('Still waiting for the browser')))
    controller.abort()
    await expect(running).rejects.toMatchObject({ code: 'sign_in_cancelled' })
    expect(pages[0]).toContain('is not registered for this client')
    expect(advice).toContain(`Still waiting for the browser to come back to http://127.0.0.1:${port}/oauth/callback.`)
    expect(advice).toContain('If the browser shows an error about the redirect URI')
    expect(advice).toContain('for the client id admin-registered')
    expect(advice).toContain('`mcp-tray set fixture --redirect-uri <uri>`')
    // The address to open is still the authorization request, not the redirect URI the advice names.
    expect(details.at(-1)).toMatch(new RegExp(`^${server.issuer}/authorize\\?`))
  })
})

async function waitFor<T>(find: () => T | undefined, ms = 5_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
