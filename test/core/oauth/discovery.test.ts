import { afterEach, describe, expect, it } from 'vitest'
import {
  checkResourceMatch,
  discoverProtectedResource,
  processProtectedResourceResponse,
  protectedResourceMetadataUrls,
} from '../../../src/core/oauth/protected-resource'
import {
  authorizationServerMetadataUrls,
  discoverAuthorizationServer,
  processAuthorizationServerMetadataResponse,
  requirePkceS256,
} from '../../../src/core/oauth/server-metadata'
import { startRemoteServer } from '../../fixtures/remote-server'
import { json, startCannedServer } from './canned-server'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

describe('protected-resource metadata (RFC 9728)', () => {
  it('tries resource_metadata, then the path-inserted, then the root well-known URL', () => {
    const urls = protectedResourceMetadataUrls(new URL('https://h.example/a/mcp'), { resourceMetadata: 'https://h.example/meta' })
    expect(urls.map(String)).toEqual([
      'https://h.example/meta',
      'https://h.example/.well-known/oauth-protected-resource/a/mcp',
      'https://h.example/.well-known/oauth-protected-resource',
    ])
    expect(protectedResourceMetadataUrls(new URL('https://h.example/')).map(String)).toEqual([
      'https://h.example/.well-known/oauth-protected-resource',
    ])
  })

  it('falls back to the root document when the path-inserted one is missing', async () => {
    const canned = await startCannedServer({
      'GET /.well-known/oauth-protected-resource': json((o) => ({ resource: `${o}/mcp`, authorization_servers: [o] })),
    })
    closers.push(canned.close)
    const metadata = await discoverProtectedResource(new URL(`${canned.origin}/mcp`), {})
    expect(metadata?.resource).toBe(`${canned.origin}/mcp`)
    expect(canned.hits).toEqual(['GET /.well-known/oauth-protected-resource/mcp', 'GET /.well-known/oauth-protected-resource'])
  })

  it('prefers the challenge resource_metadata over well-known locations', async () => {
    const canned = await startCannedServer({
      'GET /custom-prm': json((o) => ({ resource: `${o}/mcp`, authorization_servers: [`${o}/as`] })),
      'GET /.well-known/oauth-protected-resource/mcp': json((o) => ({ resource: `${o}/mcp`, authorization_servers: ['wrong'] })),
    })
    closers.push(canned.close)
    const metadata = await discoverProtectedResource(new URL(`${canned.origin}/mcp`), { resourceMetadata: `${canned.origin}/custom-prm` })
    expect(metadata?.authorization_servers).toEqual([`${canned.origin}/as`])
  })

  it('returns undefined for a legacy server without metadata', async () => {
    const canned = await startCannedServer({})
    closers.push(canned.close)
    expect(await discoverProtectedResource(new URL(`${canned.origin}/mcp`), {})).toBeUndefined()
  })

  it('aborts when the resource does not match the server (fixture advertisedResource)', async () => {
    const server = await startRemoteServer()
    closers.push(() => server.close())
    server.knobs.advertisedResource = 'http://127.0.0.1:1/elsewhere'
    await expect(discoverProtectedResource(new URL(server.mcpUrl), {})).rejects.toMatchObject({ code: 'resource_mismatch' })
  })

  it('matches exactly or by same-origin path prefix', () => {
    const url = new URL('https://h.example/api/mcp')
    expect(() => checkResourceMatch({ resource: 'https://h.example/api/mcp' }, url)).not.toThrow()
    expect(() => checkResourceMatch({ resource: 'https://h.example/' }, url)).not.toThrow()
    expect(() => checkResourceMatch({ resource: 'https://h.example/ap' }, url)).toThrow(/different resource/)
    expect(() => checkResourceMatch({ resource: 'https://evil.example/api/mcp' }, url)).toThrow(/different resource/)
  })

  it('processes canned responses: 404 and non-JSON are skipped, a document without resource is an error', async () => {
    expect(await processProtectedResourceResponse(new Response('nope', { status: 404 }))).toBeUndefined()
    expect(await processProtectedResourceResponse(new Response('<html>', { status: 200 }))).toBeUndefined()
    await expect(processProtectedResourceResponse(Response.json({ authorization_servers: [] }))).rejects.toMatchObject({
      code: 'resource_metadata_invalid',
    })
  })
})

describe('authorization-server metadata (RFC 8414, OIDC discovery)', () => {
  it('builds the three path forms in order, and the two root forms', () => {
    expect(authorizationServerMetadataUrls(new URL('https://as.example/t1')).map(String)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/t1',
      'https://as.example/.well-known/openid-configuration/t1',
      'https://as.example/t1/.well-known/openid-configuration',
    ])
    expect(authorizationServerMetadataUrls(new URL('https://as.example')).map(String)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server',
      'https://as.example/.well-known/openid-configuration',
    ])
  })

  for (const [variant, path] of [
    ['var1', '/.well-known/oauth-authorization-server/t1'],
    ['var2', '/.well-known/openid-configuration/t1'],
    ['var3', '/t1/.well-known/openid-configuration'],
  ] as const) {
    it(`finds metadata published only at the ${variant} location`, async () => {
      const canned = await startCannedServer({
        [`GET ${path}`]: json((o) => ({ issuer: `${o}/t1`, authorization_endpoint: `${o}/t1/auth`, token_endpoint: `${o}/t1/token` })),
      })
      closers.push(canned.close)
      const { metadata, source } = await discoverAuthorizationServer(`${canned.origin}/t1`)
      expect(source).toBe('metadata')
      expect(metadata.token_endpoint).toBe(`${canned.origin}/t1/token`)
    })
  }

  it('ignores a document whose issuer differs, and uses the next one', async () => {
    const canned = await startCannedServer({
      'GET /.well-known/oauth-authorization-server/t1': json({ issuer: 'https://evil.example/t1', token_endpoint: 'https://evil.example/token' }),
      'GET /t1/.well-known/openid-configuration': json((o) => ({ issuer: `${o}/t1`, token_endpoint: `${o}/good` })),
    })
    closers.push(canned.close)
    const { metadata } = await discoverAuthorizationServer(`${canned.origin}/t1`)
    expect(metadata.token_endpoint).toBe(`${canned.origin}/good`)
    const mismatch = Response.json({ issuer: 'https://other.example' })
    expect(await processAuthorizationServerMetadataResponse(new URL('https://as.example'), mismatch)).toBeUndefined()
  })

  it('fails when no document matches, unless legacy defaults apply', async () => {
    const canned = await startCannedServer({})
    closers.push(canned.close)
    await expect(discoverAuthorizationServer(canned.origin)).rejects.toMatchObject({ code: 'as_metadata_not_found' })
    const { metadata, source } = await discoverAuthorizationServer(canned.origin, { legacy: true })
    expect(source).toBe('legacy-defaults')
    expect(metadata).toMatchObject({
      authorization_endpoint: `${canned.origin}/authorize`,
      token_endpoint: `${canned.origin}/token`,
      registration_endpoint: `${canned.origin}/register`,
    })
  })

  it("finds the fixture's issuer with a path via RFC 8414 path insertion", async () => {
    const server = await startRemoteServer({ issuerPath: '/tenant1' })
    closers.push(() => server.close())
    expect(new URL(server.issuer).pathname).toBe('/tenant1')
    const { metadata } = await discoverAuthorizationServer(server.issuer)
    expect(metadata.issuer).toBe(server.issuer)
    expect(metadata.code_challenge_methods_supported).toContain('S256')
  })

  it('refuses servers that do not advertise PKCE S256', () => {
    expect(() => requirePkceS256({ issuer: 'https://as.example' })).toThrow(/PKCE with S256/)
    expect(() => requirePkceS256({ issuer: 'https://as.example', code_challenge_methods_supported: ['plain'] })).toThrow(/PKCE/)
    expect(() => requirePkceS256({ issuer: 'https://as.example', code_challenge_methods_supported: ['S256'] })).not.toThrow()
  })
})
