import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeText } from '../../src/shared/safe-text'

const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/

describe('safeText', () => {
  it('removes what an authorization server could use to retitle, recolour or rewrite a terminal', () => {
    const description = 'bad\x1b]0;evil\x07\x1b[31m request\x1b[0m\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\\x1bc\x9b2J\rover\x00'
    expect(safeText(description)).toBe('bad requestlinkover')
  })

  it('keeps newlines and tabs unless asked for one line, and folds CRLF', () => {
    expect(safeText('a\tb\r\nc\nd')).toBe('a\tb\nc\nd')
    expect(safeText('a\tb\r\nc\n\nd', { singleLine: true })).toBe('a b c d')
  })

  it('removes bidirectional overrides that reorder what a reader sees', () => {
    expect(safeText('access \u202eeurt\u202c = admin')).toBe('access eurt = admin')
  })

  it('leaves ordinary text, accents and emoji alone', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).filter((s) => !unsafe.test(s) && !s.includes('\r')), (text) => {
        expect(safeText(text)).toBe(text)
      }),
    )
  })

  it('never lets a control character or escape through, and is idempotent, whatever it is given', () => {
    const pieces = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('\x1b', '\x1b[', '\x1b]', '\x1b]0;', '\x07', '\x1b\\', '\x9b', '\x9d', '\x9c', '\x1bP', '[31m', ';', '\r', '\n'),
    )
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const cleaned = safeText(parts.join(''))
        expect(cleaned).not.toMatch(unsafe)
        expect(safeText(cleaned)).toBe(cleaned)
      }),
      { numRuns: 500 },
    )
  })

  it('takes linear time on a flood of unterminated sequences', () => {
    const started = performance.now()
    safeText('\x1b]'.repeat(200_000) + '\x1b['.repeat(200_000))
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('describeError', () => {
  it('gives the words of an error without the escape sequences a server put in them', async () => {
    const { describeError, TrayError } = await import('../../src/shared/tray-error')
    expect(describeError(new TrayError('authorization_invalid_scope', 'The server refused the sign-in: \x1b]0;evil\x07\x1b[31mno\x1b[0m.', { hint: 'Try again.' }))).toBe(
      'The server refused the sign-in: no. Try again.',
    )
    expect(describeError(new Error('plain \x9b31m'))).toBe('plain ')
  })
})
