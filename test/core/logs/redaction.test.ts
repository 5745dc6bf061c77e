import { describe, expect, it } from 'vitest'
import { redactedPreview, redactText } from '../../../src/core/logs/redaction'

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

  it('keeps previews short even for huge messages', () => {
    const preview = redactedPreview({ text: 'x'.repeat(32 * 1024 * 1024) }, { maxLength: 100 })
    expect(preview.length).toBeLessThanOrEqual(100)
    expect(preview.startsWith('{"text":"xxx')).toBe(true)
  })
})
