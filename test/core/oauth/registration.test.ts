import { describe, expect, it } from 'vitest'
import { chooseAuthMethod, planRegistration, processRegistrationResponse } from '../../../src/core/oauth/registration'
import type { AuthorizationServerMetadata } from '../../../src/core/oauth/server-metadata'

const as: AuthorizationServerMetadata = {
  issuer: 'https://as.example',
  registration_endpoint: 'https://as.example/register',
  client_id_metadata_document_supported: true,
  token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
}
const cimd = 'https://tray.example/client.json'

describe('registration priority (MCP AZ client registration approaches)', () => {
  it('prefers pre-registered credentials, then a Client ID Metadata Document, then dynamic registration', () => {
    expect(planRegistration(as, { clientId: 'pre', clientSecret: 's', clientMetadataUrl: cimd })).toMatchObject({
      kind: 'pre-registered',
      registration: { clientId: 'pre', clientSecret: 's', tokenEndpointAuthMethod: 'client_secret_post' },
    })
    expect(planRegistration(as, { clientMetadataUrl: cimd })).toMatchObject({
      kind: 'client-id-metadata-document',
      registration: { clientId: cimd, tokenEndpointAuthMethod: 'none' },
    })
    expect(planRegistration({ ...as, client_id_metadata_document_supported: false }, { clientMetadataUrl: cimd })).toEqual({
      kind: 'dynamic',
      registrationEndpoint: 'https://as.example/register',
    })
    expect(planRegistration(as, {})).toMatchObject({ kind: 'dynamic' })
  })

  it('tells the person what to enter when nothing else works', () => {
    expect(() => planRegistration({ issuer: 'https://as.example' }, {})).toThrow(
      expect.objectContaining({ code: 'registration_unavailable', hint: expect.stringMatching(/--client-id/) }),
    )
  })

  it('authenticates with the method the server advertises', () => {
    expect(chooseAuthMethod({ issuer: 'x' }, false)).toBe('none')
    expect(chooseAuthMethod({ issuer: 'x' }, true)).toBe('client_secret_basic')
    expect(chooseAuthMethod({ issuer: 'x', token_endpoint_auth_methods_supported: ['client_secret_post'] }, true)).toBe('client_secret_post')
    expect(chooseAuthMethod({ issuer: 'x', token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'] }, true)).toBe(
      'client_secret_basic',
    )
  })

  it('processes a registration response (RFC 7591 §3.2) and refuses an error', async () => {
    const ok = new Response(JSON.stringify({ client_id: 'c1', redirect_uris: ['http://127.0.0.1:3334/oauth/callback'], token_endpoint_auth_method: 'none' }), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    })
    expect(await processRegistrationResponse(as, 'http://127.0.0.1:3334/oauth/callback', ok)).toEqual({
      kind: 'dynamic',
      issuer: 'https://as.example',
      clientId: 'c1',
      tokenEndpointAuthMethod: 'none',
      redirectUris: ['http://127.0.0.1:3334/oauth/callback'],
    })
    const refused = Response.json({ error: 'invalid_redirect_uri' }, { status: 400 })
    await expect(processRegistrationResponse(as, 'x', refused)).rejects.toMatchObject({
      code: 'registration_failed',
      message: expect.stringContaining('invalid_redirect_uri'),
    })
    await expect(processRegistrationResponse(as, 'x', Response.json({ client_secret: 's' }, { status: 201 }))).rejects.toThrow(/no client_id/)
  })

  it('accepts a secret without client_secret_expires_at (lenient servers, conformance mock)', async () => {
    const lenient = Response.json({ client_id: 'c2', client_secret: 'sec', redirect_uris: ['x'] }, { status: 201 })
    expect(await processRegistrationResponse(as, 'x', lenient)).toMatchObject({
      clientId: 'c2',
      clientSecret: 'sec',
      tokenEndpointAuthMethod: 'client_secret_post',
    })
  })
})
