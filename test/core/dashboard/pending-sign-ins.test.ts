import { describe, expect, it } from 'vitest'
import { PendingSignIns } from '../../../src/core/dashboard/pending-sign-ins'
import type { SignInEvent } from '../../../src/shared/dashboard-events'

describe('PendingSignIns', () => {
  it('keeps the address a sign-in waits at, tells each change, and forgets it when the sign-in ends', () => {
    const told: SignInEvent[] = []
    const pending = new PendingSignIns(() => new Date('2026-12-03T10:00:00.000Z'))
    pending.onChange((event) => told.push(event))
    pending.progress('linear', 'Opening your browser…', 'https://auth.example.com/authorize?x=1')
    pending.progress('linear', 'Still waiting\u001b[31m for the browser')
    expect(pending.get('linear')).toEqual({ message: 'Still waiting for the browser', since: '2026-12-03T10:00:00.000Z', url: 'https://auth.example.com/authorize?x=1' })
    pending.finished('linear', 'signed-in', 'Signed in.')
    pending.finished('linear', 'signed-in', 'Signed in.')
    expect(pending.has('linear')).toBe(false)
    expect(told.map((event) => event.state)).toEqual(['waiting', 'waiting', 'signed-in'])
  })

  it('takes the last address of a sentence without its punctuation when the flow gives none as data', () => {
    const pending = new PendingSignIns()
    pending.progress('a', 'Signing in to https://auth.example.com. If no browser opened, open https://auth.example.com/authorize?state=s.')
    expect(pending.get('a')?.url).toBe('https://auth.example.com/authorize?state=s')
  })
})
