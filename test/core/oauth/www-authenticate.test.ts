import { describe, expect, it } from 'vitest'
import { parseBearerChallenge } from '../../../src/core/oauth/www-authenticate'

describe('parseBearerChallenge (RFC 6750 §3, RFC 9728 §5.1)', () => {
  it('reads resource_metadata, scope and error', () => {
    expect(
      parseBearerChallenge(
        'Bearer resource_metadata="http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"',
      ),
    ).toEqual({ resourceMetadata: 'http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp', scope: 'mcp:tools' })
    expect(
      parseBearerChallenge('Bearer error="insufficient_scope", scope="mcp:tools mcp:admin", error_description="needs \\"admin\\""'),
    ).toEqual({ error: 'insufficient_scope', scope: 'mcp:tools mcp:admin', errorDescription: 'needs "admin"' })
  })

  it('finds Bearer among several challenges, any case, with unquoted values', () => {
    expect(parseBearerChallenge('Basic realm="x", bearer error=invalid_token, realm="r"')).toEqual({ error: 'invalid_token' })
    expect(parseBearerChallenge('Negotiate abc123==, Bearer scope="a"')).toEqual({ scope: 'a' })
  })

  it('returns undefined without a Bearer challenge', () => {
    expect(parseBearerChallenge(null)).toBeUndefined()
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined()
    expect(parseBearerChallenge('Bearer')).toEqual({})
  })
})
