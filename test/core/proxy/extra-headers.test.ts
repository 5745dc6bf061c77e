import { describe, expect, it } from 'vitest'
import { assertHeader, withExtraHeaders } from '../../../src/core/proxy/extra-headers'

describe('extra headers', () => {
  it('refuses a value HTTP cannot carry, naming the header and never the value', () => {
    expect(() => assertHeader('X-Api-Key', 'key-\u0000-4711', 'keyed')).toThrow(expect.objectContaining({ code: 'header_invalid' }))
    try {
      assertHeader('X-Api-Key', 'key-\u0000-4711', 'keyed')
    } catch (error) {
      expect(String(error)).toContain('X-Api-Key')
      expect(String(error)).not.toContain('4711')
    }
    expect(() => assertHeader('X-Api-Key', 'key-4711', 'keyed')).not.toThrow()
  })

  it('goes under what the request carries: the bearer from sign-in wins over a configured Authorization', async () => {
    const seen: Headers[] = []
    const fetch = withExtraHeaders(async (_url, init) => (seen.push(new Headers(init?.headers)), new Response('ok')), {
      Authorization: 'Bearer configured',
      'X-Team': 'blue',
    })
    await fetch('http://x/mcp', { headers: { authorization: 'Bearer signed-in' } })
    await fetch('http://x/mcp')
    expect(seen.map((h) => [h.get('authorization'), h.get('x-team')])).toEqual([
      ['Bearer signed-in', 'blue'],
      ['Bearer configured', 'blue'],
    ])
  })
})
