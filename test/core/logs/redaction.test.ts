import { describe, expect, it } from 'vitest'
import { redactedPreview, redactText } from '../../../src/core/logs/redaction'
import { SecretValues } from '../../../src/core/logs/secret-values'

describe('redaction', () => {
  it('masks bearer tokens, JWTs and encoded credentials in text', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'
    const text = redactText(`Authorization: Bearer abc.def-123 and ${jwt} and code=xyz&state=s access_token=t1`)
    expect(text).not.toMatch(/abc\.def|eyJhbGci|xyz|t1/)
    expect(text).toContain('Bearer [redacted]')
    expect(text).toContain('state=s')
  })

  it('replaces credential fields but keeps numeric error codes', () => {
    const preview = redactedPreview({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32001, message: 'nope' },
      result: { access_token: 'at', refresh_token: 'rt', client_secret: 'cs', code: 'c0de', nested: { Authorization: 'Bearer q' } },
    })
    expect(preview).toContain('-32001')
    expect(preview).not.toMatch(/"at"|"rt"|"cs"|c0de|Bearer q/)
    expect(preview.match(/\[redacted\]/g)).toHaveLength(5)
  })

  it('costs little for a message of thousands of long strings: what lies past the preview is not scrubbed', () => {
    const tools = Array.from({ length: 2000 }, (_, i) => ({ name: `tool${i}`, description: 'word '.repeat(500), schema: { a: 'x'.repeat(300) } }))
    const started = performance.now()
    const preview = redactedPreview({ jsonrpc: '2.0', id: 1, result: { tools } })
    expect(performance.now() - started).toBeLessThan(100)
    expect(preview).toMatch(/^\{"jsonrpc":"2\.0","id":1,"result":\{"tools":\[\{"name":"tool0","description":"word word/)
    expect(preview.length).toBeLessThanOrEqual(240)
  })

  it('keeps previews short even for huge messages', () => {
    const preview = redactedPreview({ text: 'x'.repeat(32 * 1024 * 1024) }, { maxLength: 100 })
    expect(preview.length).toBeLessThanOrEqual(100)
    expect(preview.startsWith('{"text":"xxx')).toBe(true)
  })
})

describe('redaction of API keys and of the values a process holds', () => {
  it('masks common API-key shapes in free text and in previews', () => {
    const text = redactText(
      [
        'api_key=sk-live-4f9a8b7c6d5e4f3a2b1c',
        'apikey: 0a1b2c3d4e5f6a7b8c9d',
        'X-Api-Key: k3y-v4lue-123456',
        '"x-api-key": "quoted-key-value-9"',
        'GET https://maps.example/v1?key=AIzaSyD-1234567890abcdefghijklmnopqrstu&q=x',
        'use sk-proj-abcdefghijklmnopqrstuvwx here',
        'stripe sk_live_51H8abcdefghijklmno',
        'Authorization: Basic YWxpY2U6c2VjcmV0',
      ].join('\n'),
    )
    expect(text).not.toMatch(/4f9a8b7c|0a1b2c3d|k3y-v4lue|quoted-key|AIzaSy|abcdefghijklmnopqrstuvwx|51H8abc|YWxpY2U6/)
    expect(text).toContain('api_key=[redacted]')
    expect(text).toContain('apikey: [redacted]')
    expect(text).toContain('X-Api-Key: [redacted]')
    expect(text).toContain('?key=[redacted]&q=x')
    expect(text).toContain('Authorization: Basic [redacted]')
    expect(redactedPreview({ headers: { 'X-API-Key': 'abc123abc123', accept: 'json' }, api_key: 'zzz' })).toBe(
      '{"headers":{"X-API-Key":"[redacted]","accept":"json"},"api_key":"[redacted]"}',
    )
  })

  it('masks the values a process was given, whatever their shape, also when URL-encoded or past the cut of a long string', () => {
    const secrets = new SecretValues()
    const token = 'opaque/token+value=='
    secrets.add(token)
    secrets.addHeaderValue('Token plainheadervalue')
    secrets.add('short')
    const text = redactText(`server said: invalid ${token} (${encodeURIComponent(token)}); header plainheadervalue; short stays`, secrets)
    expect(text).toBe('server said: invalid [redacted] ([redacted]); header [redacted]; short stays')
    const preview = redactedPreview({ error: { message: `${'x'.repeat(110)}${token}${'y'.repeat(500)}` } }, { secrets })
    expect(preview).not.toContain('opaque')
    expect(preview).toContain('x[redacted]')
  })

  it('makes outside text safe to show as it masks it', () => {
    expect(redactText('\x1b]0;evil\x07\x1b[31mdenied\x1b[0m')).toBe('denied')
  })

  it('forgets the oldest values past its bound', () => {
    const secrets = new SecretValues({ maxValues: 3 })
    for (const value of ['first-secret', 'second-secret', 'third-secret', 'fourth-secret']) secrets.add(value)
    expect(secrets.size).toBe(3)
    expect(secrets.mask('first-secret fourth-secret')).toBe('first-secret [redacted]')
  })
})
