import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { json, startCannedServer, type CannedRoutes } from './canned-server'
import { recordingBrowser, serverEntry, testEngine } from './engine-harness'

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  let text = ''
  for await (const chunk of req) text += chunk
  return new URLSearchParams(text)
}

/**
 * A 2025-03-26 style server: a 401 without resource_metadata, no protected-resource metadata, the
 * authorization server at the same origin. `metadata` adds an RFC 8414 document; by default there
 * is none and the client must fall back to /authorize, /token and /register.
 */
async function startLegacyServer(
  options: { metadata?: (origin: string) => Record<string, unknown>; sendIss?: boolean; refreshTokens?: boolean } = {},
) {
  const challenges = new Map<string, string>()
  const routes: CannedRoutes = {
    'POST /mcp': (_req, res) => res.writeHead(401, { 'www-authenticate': 'Bearer realm="legacy"' }).end(),
    'POST /register': (_req, res, origin) => void json({ client_id: 'legacy-client', redirect_uris: [`${origin}/x`] }, 201)(_req, res, origin),
    'GET /authorize': (req, res, origin) => {
      const q = new URL(req.url ?? '/', origin).searchParams
      challenges.set('code-1', q.get('code_challenge') ?? '')
      const to = new URL(q.get('redirect_uri') ?? '')
      to.search = new URLSearchParams({ code: 'code-1', state: q.get('state') ?? '', ...(options.sendIss ? { iss: origin } : {}) }).toString()
      res.writeHead(302, { location: to.href }).end()
    },
    'POST /token': async (req, res, origin) => {
      const form = await body(req)
      const expected = challenges.get(form.get('code') ?? '')
      const actual = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url')
      if (form.get('grant_type') === 'authorization_code' && expected === actual) {
        json({ access_token: 'legacy-access', token_type: 'Bearer', expires_in: 3600, ...(options.refreshTokens === false ? {} : { refresh_token: 'legacy-refresh' }) })(
          req,
          res,
          origin,
        )
      } else {
        json({ error: 'invalid_grant' }, 400)(req, res, origin)
      }
    },
  }
  if (options.metadata) routes['GET /.well-known/oauth-authorization-server'] = json(options.metadata)
  return startCannedServer(routes)
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/**
 * A browser that follows the redirect to the loopback callback, as a person's would, without
 * making the sign-in wait for the callback's page (which waits for the code exchange).
 */
const followingBrowser = recordingBrowser(async (url) => {
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')
  if (location) void fetch(location).catch(() => undefined)
})

describe('legacy servers (2025-03-26, conformance backcompat)', () => {
  it('signs in with the default /authorize, /token and /register when nothing is published', async () => {
    const legacy = await startLegacyServer()
    closers.push(legacy.close)
    const engine = await testEngine({ browser: followingBrowser })
    const result = await engine.signIn.run(serverEntry(`${legacy.origin}/mcp`))
    expect(result.status).toMatchObject({ state: 'signed-in', issuer: legacy.origin })
    expect(await engine.tokens.getAccessToken('fixture')).toBe('legacy-access')
    expect(legacy.hits).toEqual(
      expect.arrayContaining(['GET /.well-known/oauth-protected-resource/mcp', 'GET /.well-known/oauth-authorization-server', 'POST /register', 'GET /authorize', 'POST /token']),
    )
  })

  it('forgets locally on sign-out when there is no revocation endpoint, and needs sign-in once a token without refresh expires', async () => {
    const legacy = await startLegacyServer({ refreshTokens: false })
    closers.push(legacy.close)
    const clock = { time: Date.now(), now() { return this.time } }
    const engine = await testEngine({ browser: followingBrowser, clock })
    await engine.signIn.run(serverEntry(`${legacy.origin}/mcp`))
    expect(await engine.tokens.getAccessToken('fixture')).toBe('legacy-access')
    clock.time += 3_601_000
    await expect(engine.tokens.getAccessToken('fixture')).rejects.toMatchObject({ code: 'sign_in_needed' })
    expect(await engine.tokens.status('fixture')).toMatchObject({ state: 'sign-in-needed' })
    expect(await engine.tokens.signOut('fixture')).toEqual({ revoked: false })
    expect(await engine.tokens.status('fixture')).toEqual({ state: 'signed-out' })
  })

  it("uses the origin's authorization-server metadata when there is some", async () => {
    const legacy = await startLegacyServer({
      metadata: (o) => ({ issuer: o, authorization_endpoint: `${o}/authorize`, token_endpoint: `${o}/token`, registration_endpoint: `${o}/register`, code_challenge_methods_supported: ['S256'] }),
    })
    closers.push(legacy.close)
    const engine = await testEngine({ browser: followingBrowser })
    expect((await engine.signIn.run(serverEntry(`${legacy.origin}/mcp`))).status.state).toBe('signed-in')
  })

  it('refuses to sign in when the metadata does not advertise S256, before any browser opens', async () => {
    const legacy = await startLegacyServer({
      metadata: (o) => ({ issuer: o, authorization_endpoint: `${o}/authorize`, token_endpoint: `${o}/token`, registration_endpoint: `${o}/register` }),
    })
    closers.push(legacy.close)
    let opened = false
    const engine = await testEngine({ browser: recordingBrowser(() => void (opened = true)) })
    await expect(engine.signIn.run(serverEntry(`${legacy.origin}/mcp`))).rejects.toMatchObject({ code: 'pkce_s256_unsupported' })
    expect(opened).toBe(false)
  })

  it('requires iss when the server advertises RFC 9207 support', async () => {
    const metadata = (o: string) => ({
      issuer: o,
      authorization_endpoint: `${o}/authorize`,
      token_endpoint: `${o}/token`,
      registration_endpoint: `${o}/register`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    })
    const without = await startLegacyServer({ metadata, sendIss: false })
    closers.push(without.close)
    const engine = await testEngine({ browser: followingBrowser })
    await expect(engine.signIn.run(serverEntry(`${without.origin}/mcp`))).rejects.toMatchObject({ code: 'issuer_mismatch' })
    expect(without.hits).not.toContain('POST /token')
    const withIss = await startLegacyServer({ metadata, sendIss: true })
    closers.push(withIss.close)
    expect((await engine.signIn.run(serverEntry(`${withIss.origin}/mcp`, { name: 'second' }))).status.state).toBe('signed-in')
  })
})
