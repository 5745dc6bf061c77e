import { createServer } from 'node:net'
import * as client from 'openid-client'
import { describe, expect, it } from 'vitest'
import { describeFailure, failureError, wordsForFailure } from '../../../src/core/doctor/failure-words'
import { TrayError } from '../../../src/shared/tray-error'

/** A real `fetch failed` to a port nothing listens on. */
async function refusedFetch(): Promise<{ error: unknown; url: string }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  const url = `http://127.0.0.1:${port}/mcp`
  const error = await fetch(url).catch((e: unknown) => e)
  return { error, url }
}

function systemError(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) })
}

describe('one place turns a failure into words', () => {
  it('says a down server is down, instead of "fetch failed", and names the doctor', async () => {
    const { error, url } = await refusedFetch()
    const words = wordsForFailure(error, { server: 'work', url })
    expect(words).toMatchObject({ code: 'connection_refused', diagnosis: 'connection-refused' })
    expect(words.message).toContain(new URL(url).host)
    expect(words.message).not.toContain('fetch failed')
    expect(describeFailure(error, { server: 'work', url })).toContain('mcp-tray doctor work')
  })

  it('names DNS, connect timeouts and certificates from an unknown authority', () => {
    expect(wordsForFailure(systemError('ENOTFOUND'), { url: 'https://mcp.example.com/mcp' })).toMatchObject({ diagnosis: 'dns-failed' })
    expect(wordsForFailure(systemError('UND_ERR_CONNECT_TIMEOUT')).diagnosis).toBe('connect-timeout')
    const tls = wordsForFailure(systemError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), { url: 'https://mcp.example.com/mcp' })
    expect(tls.diagnosis).toBe('tls-unknown-ca')
    expect(tls.hint).toMatch(/system certificate store/)
    expect(wordsForFailure(systemError('CERT_HAS_EXPIRED')).diagnosis).toBe('tls-expired')
  })

  it('names invalid_client from the token endpoint as a registration the server forgot', () => {
    const response = new Response(null, { status: 401 })
    const refused = new client.ResponseBodyError('server responded with an error in the response body', {
      cause: { error: 'invalid_client', error_description: 'client authentication failed' },
      response,
    })
    const error = new TrayError('invalid_client', 'Refreshing the access token failed. The server said: client authentication failed.', { cause: refused })
    const words = wordsForFailure(error, { server: 'work' })
    expect(words.diagnosis).toBe('invalid-client')
    expect(words.hint).toContain('mcp-tray login work')
  })

  it('names Entra’s AADSTS9010010 as the resource parameter refused', () => {
    const error = new TrayError('token_request_failed', 'Exchanging the sign-in code for tokens failed. The server said: AADSTS9010010: The resource parameter provided in the request doesn’t match with the requested scopes.')
    expect(wordsForFailure(error).diagnosis).toBe('resource-rejected')
    const refused = new client.ResponseBodyError('x', { cause: { error: 'invalid_target' }, response: new Response(null, { status: 400 }) })
    expect(wordsForFailure(refused).diagnosis).toBe('resource-rejected')
  })

  it('tells a refused redirect URI from a refused registration', () => {
    const redirect = new TrayError('registration_failed', 'Registering MCP Tray with https://as.example failed: invalid_redirect_uri (loopback not allowed).')
    expect(wordsForFailure(redirect).diagnosis).toBe('redirect-uri-rejected')
    const refused = new TrayError('registration_failed', 'Registering MCP Tray with https://as.example failed: HTTP 403.', { hint: 'ask for a client id' })
    expect(wordsForFailure(refused)).toMatchObject({ diagnosis: 'registration-refused', hint: 'ask for a client id' })
  })

  it('keeps other TrayErrors’ own words, and adds the doctor only where it has a diagnosis', () => {
    const plain = new TrayError('invalid_grant', 'The sign-in expired.', { hint: 'Sign in again.' })
    expect(describeFailure(plain, { server: 'work' })).toBe('The sign-in expired. Sign in again.')
    const asError = failureError(new TrayError('upstream_not_mcp', 'No MCP endpoint here.', { hint: 'Check the URL.' }), { server: 'work' })
    expect(asError.hint).toBe('Check the URL. For a step-by-step diagnosis, run `mcp-tray doctor work`.')
  })

  it('keeps escape sequences from a server out of the words', () => {
    const words = wordsForFailure(new TrayError('x', 'The server said: \u001b[31mred\u001b[0m'))
    expect(words.message).toBe('The server said: red')
  })
})
