import { describe, expect, it } from 'vitest'
import { parseRoute, routeHash } from '../../src/renderer/src/app/hash-route'
import { countWords, sizeWords } from '../../src/renderer/src/words/size-words'
import { durationWords, expiryWords, relativeWords, spanWords } from '../../src/renderer/src/words/time-words'

const now = Date.parse('2026-03-04T10:00:00Z')
const minute = 60_000

describe('time words', () => {
  it('says when a sign-in expires, or how long ago it expired, never "expires in 0 min"', () => {
    expect(expiryWords(now + 42 * minute, now)).toBe('expires in 42 min')
    expect(expiryWords(now + 20_000, now)).toBe('expires in less than a minute')
    expect(expiryWords(now - 3 * minute, now)).toBe('expired 3 min ago')
    expect(expiryWords(now - 5_000, now)).toBe('expired just now')
    expect(expiryWords(now + 125 * minute, now)).toBe('expires in 2 h 5 min')
  })

  it('rounds spans to what matters', () => {
    expect(spanWords(42_000)).toBe('42 s')
    expect(spanWords(60 * minute)).toBe('1 h')
    expect(spanWords(119.7 * minute)).toBe('2 h')
    expect(spanWords(3 * 24 * 60 * minute)).toBe('3 days')
    expect(relativeWords(now - 5_000, now)).toBe('just now')
    expect(relativeWords(now - 3 * minute, now)).toBe('3 min ago')
    expect(durationWords(12.4)).toBe('12 ms')
    expect(durationWords(1234)).toBe('1.2 s')
    expect(durationWords(12_345)).toBe('12 s')
  })

  it('says sizes and counts as people read them', () => {
    expect(sizeWords(512)).toBe('512 B')
    expect(sizeWords(1536)).toBe('1.5 KB')
    expect(sizeWords(3 * 1024 * 1024)).toBe('3.0 MB')
    expect(countWords(100_000)).toBe('100,000')
  })
})

describe('the dashboard address', () => {
  it('reads and writes every view, with its server or URL', () => {
    for (const route of [{ name: 'servers' }, { name: 'add', url: 'https://example.com/mcp?x=1&y=2' }, { name: 'log', server: 'my server' }, { name: 'diagnostics', server: 'a' }, { name: 'doctor', url: 'https://e.com/mcp' }, { name: 'settings' }] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route)
    }
    expect(routeHash({ name: 'log', server: 'fixture' })).toBe('#/log?server=fixture')
  })

  it('reads anything else, such as the headless hub’s token fragment, as the server list', () => {
    expect(parseRoute('#token=abc')).toEqual({ name: 'servers' })
    expect(parseRoute('')).toEqual({ name: 'servers' })
    expect(parseRoute('#/nowhere')).toEqual({ name: 'servers' })
    expect(parseRoute('#/log?server=x&token=abc')).toEqual({ name: 'log', server: 'x' })
  })
})
