import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { clientSecretKey } from '../../../src/core/oauth/server-auth-record'
import { followSignIn } from '../../fixtures/remote-server/sign-in'
import { signInWithChromium } from '../../fixtures/remote-server/sign-in-chromium'
import { freePort, initializeWith, recordingBrowser, recordingFetch, serverEntry, testEngine, useFixtureServers } from './engine-harness'

const fixture = useFixtureServers()

describe('the requests a sign-in makes', () => {
  it('registers as a native app, sends S256, state, resource and scopes, and resource again at the token endpoint', async () => {
    const server = await fixture()
    const recorder = recordingFetch()
    let authorizationUrl: URL | undefined
    const engine = await testEngine({
      fetch: recorder.fetch,
      browser: recordingBrowser(async (url) => {
        authorizationUrl = new URL(url)
        await followSignIn(url)
      }),
    })
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const registration = recorder.calls.find((c) => c.url.endsWith('/reg'))
    expect(JSON.parse(registration!.body)).toMatchObject({
      application_type: 'native',
      redirect_uris: [expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/)],
      grant_types: ['authorization_code', 'refresh_token'],
    })
    const q = authorizationUrl!.searchParams
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(q.get('state')).toMatch(/^[\w-]{20,}$/)
    expect(q.get('resource')).toBe(server.mcpUrl) // the PRM resource exactly, no trailing slash
    expect(q.get('scope')?.split(' ')).toEqual(['mcp:tools', 'offline_access']) // the challenge's scope
    const token = recorder.calls.find((c) => c.url.endsWith('/token'))
    const form = new URLSearchParams(token!.body)
    expect(form.get('grant_type')).toBe('authorization_code')
    expect(form.get('resource')).toBe(server.mcpUrl)
    expect(form.get('code_verifier')).toMatch(/^[\w-]{43,128}$/)
    expect(recorder.calls.every((c) => !/access_token=/.test(c.url))).toBe(true)
  })

  it('reuses the registration stored for the issuer, and registers anew with a new issuer', async () => {
    const first = await fixture()
    // a fixed callback port: a different redirect URI would (rightly) need a new registration
    const engine = await testEngine({ settings: { callbackPort: await freePort(), signInTimeoutMs: 20_000 } })
    await engine.signIn.run(serverEntry(first.mcpUrl))
    await engine.signIn.run(serverEntry(first.mcpUrl))
    expect(first.knobs.authRequests.filter((r) => r.route === 'registration')).toHaveLength(1)
    const moved = await fixture()
    await engine.signIn.run(serverEntry(moved.mcpUrl))
    expect(moved.knobs.authRequests.filter((r) => r.route === 'registration')).toHaveLength(1)
    expect((await engine.vault.keys()).filter((k) => k.startsWith('issuer:')).sort()).toEqual(
      [`issuer:${first.issuer}`, `issuer:${moved.issuer}`].sort(),
    )
  })

  it('registers again once when the token endpoint says invalid_client', async () => {
    const server = await fixture()
    let refuse = 1
    const recorder = recordingFetch((call) =>
      call.url.endsWith('/token') && refuse-- > 0
        ? Response.json({ error: 'invalid_client', error_description: 'client gone' }, { status: 401 })
        : undefined,
    )
    const engine = await testEngine({ fetch: recorder.fetch })
    const result = await engine.signIn.run(serverEntry(server.mcpUrl))
    expect(result.status.state).toBe('signed-in')
    expect(server.knobs.authRequests.filter((r) => r.route === 'registration')).toHaveLength(2)
    expect(engine.progress.join('\n')).toMatch(/registering again/)
  })

  it('uses a pre-registered confidential client and pins its redirect port', async () => {
    const port = await freePort()
    const redirectUri = `http://127.0.0.1:${port}/oauth/callback`
    const server = await fixture({
      clients: [{ client_id: 'tray-pre', client_secret: 'pre-secret-value', redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code', 'refresh_token'] }],
    })
    const recorder = recordingFetch()
    const engine = await testEngine({ fetch: recorder.fetch, settings: { callbackPort: port, signInTimeoutMs: 20_000 } })
    await engine.vault.set(clientSecretKey('fixture'), { clientSecret: 'pre-secret-value' })
    const result = await engine.signIn.run(serverEntry(server.mcpUrl, { clientId: 'tray-pre' }))
    expect(result.redirectUri).toBe(redirectUri)
    expect(server.knobs.authRequests.filter((r) => r.route === 'registration')).toHaveLength(0)
    const token = recorder.calls.find((c) => c.url.endsWith('/token'))!
    expect(token.headers.get('authorization')).toMatch(/^Basic /)
    await engine.tokens.refresh('fixture', await engine.tokens.getAccessToken('fixture'))

    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve))
    try {
      await expect(engine.signIn.run(serverEntry(server.mcpUrl, { clientId: 'tray-pre' }))).rejects.toMatchObject({
        code: 'callback_port_taken',
        message: expect.stringMatching(new RegExp(`Port ${port} .*pid ${process.pid}`)),
      })
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })

  it('falls back to client_secret_post when the server refuses client_secret_basic, and refreshes with it', async () => {
    const port = await freePort()
    const server = await fixture({
      clients: [{ client_id: 'tray-post', client_secret: 'post-secret-value', redirect_uris: [`http://127.0.0.1:${port}/oauth/callback`], token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code', 'refresh_token'] }],
    })
    // oidc-provider accepts either method; a stricter server answers invalid_client to Basic
    const recorder = recordingFetch((call) =>
      call.url.endsWith('/token') && call.headers.get('authorization')
        ? Response.json({ error: 'invalid_client', error_description: 'use client_secret_post' }, { status: 401 })
        : undefined,
    )
    const engine = await testEngine({ fetch: recorder.fetch, settings: { callbackPort: port, signInTimeoutMs: 20_000 } })
    await engine.vault.set(clientSecretKey('fixture'), { clientSecret: 'post-secret-value' })
    expect((await engine.signIn.run(serverEntry(server.mcpUrl, { clientId: 'tray-post' }))).status.state).toBe('signed-in')
    const tokenCalls = recorder.calls.filter((c) => c.url.endsWith('/token'))
    expect(tokenCalls.map((c) => (c.headers.get('authorization') ? 'basic' : new URLSearchParams(c.body).has('client_secret') ? 'post' : 'none'))).toEqual(['basic', 'post'])
    const stale = await engine.tokens.getAccessToken('fixture')
    expect(await engine.tokens.refresh('fixture', stale)).not.toBe(stale)
    const refresh = new URLSearchParams(recorder.calls.filter((c) => c.url.endsWith('/token')).at(-1)!.body)
    expect(refresh.get('grant_type')).toBe('refresh_token')
    expect(refresh.get('client_secret')).toBe('post-secret-value')
    expect(refresh.get('resource')).toBe(server.mcpUrl) // RFC 8707 on refresh too
  })

  it('moves a dynamic client to the next free port when the configured one is taken, and says which', async () => {
    const server = await fixture()
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const taken = (holder.address() as AddressInfo).port
    try {
      const engine = await testEngine({ settings: { callbackPort: taken, signInTimeoutMs: 20_000 } })
      const result = await engine.signIn.run(serverEntry(server.mcpUrl))
      expect(result.movedFrom).toBe(taken)
      expect(result.redirectUri).not.toContain(`:${taken}/`)
      expect(engine.progress.join('\n')).toContain(`Port ${taken} is in use; using ${result.redirectUri}`)
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })

  it('signs in with an issuer that has a path (/tenant1)', async () => {
    const server = await fixture({ issuerPath: '/tenant1' })
    const engine = await testEngine()
    const result = await engine.signIn.run(serverEntry(server.mcpUrl))
    expect(result.status).toMatchObject({ state: 'signed-in', issuer: server.issuer })
  })

  it('gets a refresh token from a server that issues them only with offline_access', async () => {
    const server = await fixture({ refreshTokens: 'offline_access' })
    const engine = await testEngine()
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const stale = await engine.tokens.getAccessToken('fixture')
    expect(await engine.tokens.refresh('fixture', stale)).not.toBe(stale)
  })

  it('aborts before opening a browser when the PRM resource does not match', async () => {
    const server = await fixture()
    server.knobs.advertisedResource = 'http://127.0.0.1:9/else'
    let opened = false
    const engine = await testEngine({ browser: recordingBrowser(() => void (opened = true)) })
    await expect(engine.signIn.run(serverEntry(server.mcpUrl))).rejects.toMatchObject({ code: 'resource_mismatch' })
    expect(opened).toBe(false)
  })

  it('runs at most one interactive flow per server at once', async () => {
    const server = await fixture()
    const engine = await testEngine()
    const results = await Promise.all([1, 2, 3].map(() => engine.signIn.run(serverEntry(server.mcpUrl))))
    expect(new Set(results).size).toBe(1)
    expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
  })

  it('signs in through the real login and consent pages in Chromium', async () => {
    const server = await fixture()
    let pageText: string | undefined
    const engine = await testEngine({
      browser: recordingBrowser(async (url) => {
        void signInWithChromium(url).then((r) => (pageText = r.pageText))
      }),
    })
    const result = await engine.signIn.run(serverEntry(server.mcpUrl))
    expect(result.status.state).toBe('signed-in')
    expect((await initializeWith(server.mcpUrl, await engine.tokens.getAccessToken('fixture'))).status).toBe(200)
    await expect.poll(() => pageText, { timeout: 15_000 }).toContain('You are signed in to fixture')
  }, 60_000)
})
