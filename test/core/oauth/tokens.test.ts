import { describe, expect, it } from 'vitest'
import { clientSecretBasic, processTokenResponse } from '../../../src/core/oauth/tokens'

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  it('form-urlencodes id and secret without escaping unreserved characters', () => {
    const headers = new Headers()
    clientSecretBasic('pre-registered.client_1~', 'se cret:+/')({ issuer: 'x' }, { client_id: 'x' }, new URLSearchParams(), headers)
    const decoded = Buffer.from(headers.get('authorization')!.slice(6), 'base64').toString()
    expect(decoded).toBe('pre-registered.client_1%7E:se+cret%3A%2B%2F')
  })
})

describe('processTokenResponse (RFC 6749 §5.1)', () => {
  it('keeps the old refresh token and scopes when the server sends none', () => {
    const previous = { accessToken: 'a1', refreshToken: 'r1', tokenType: 'bearer', scopes: ['s'] }
    expect(processTokenResponse({ access_token: 'a2', token_type: 'bearer', expires_in: 300 }, 1000, previous)).toEqual({
      accessToken: 'a2',
      tokenType: 'bearer',
      refreshToken: 'r1',
      expiresAt: 301_000,
      issuedAt: 1000,
      scopes: ['s'],
    })
    expect(processTokenResponse({ access_token: 'a3', token_type: 'bearer', refresh_token: 'r2', scope: 'x y' }, 0, previous)).toMatchObject({
      refreshToken: 'r2',
      scopes: ['x', 'y'],
    })
  })
})
