import { describe, expect, it } from 'vitest'
import type { AppNotification } from '../../../src/shared/dashboard-events'
import { NotificationCenter, type NotificationDraft } from '../../../src/core/tray/notification-center'
import { NotificationLimiter } from '../../../src/core/tray/notification-limiter'
import { notificationLine } from '../../../src/core/tray/notification-line'

const minute = 60_000

describe('NotificationLimiter', () => {
  it('lets one notification per server and cause through per interval, by an injected clock', () => {
    let now = 1_000_000
    const limiter = new NotificationLimiter({ intervalMs: () => 5 * minute, now: () => now })
    expect(limiter.allow('sign-in-needed', 'linear')).toBe(true)
    expect(limiter.allow('sign-in-needed', 'linear')).toBe(false)
    // Another server, another cause, the app as a whole: each has its own quiet time.
    expect(limiter.allow('sign-in-needed', 'notion')).toBe(true)
    expect(limiter.allow('repeated-failures', 'linear')).toBe(true)
    expect(limiter.allow('config-restored', undefined)).toBe(true)
    expect(limiter.allow('config-restored', undefined)).toBe(false)
    now += 5 * minute - 1
    expect(limiter.allow('sign-in-needed', 'linear')).toBe(false)
    now += 1
    expect(limiter.allow('sign-in-needed', 'linear')).toBe(true)
    expect(limiter.allow('sign-in-needed', 'linear')).toBe(false)
  })

  it('does not count what it held back: the quiet time runs from the last notification shown', () => {
    let now = 0
    const limiter = new NotificationLimiter({ intervalMs: () => 10_000, now: () => now })
    expect(limiter.allow('repeated-failures', 's')).toBe(true)
    now = 9_000
    expect(limiter.allow('repeated-failures', 's')).toBe(false)
    now = 10_000
    expect(limiter.allow('repeated-failures', 's')).toBe(true)
  })

  it('reads the interval at each call, so that a changed setting applies at once; zero lets everything through', () => {
    let now = 0
    let interval = 60_000
    const limiter = new NotificationLimiter({ intervalMs: () => interval, now: () => now })
    expect(limiter.allow('sign-in-needed', 's')).toBe(true)
    now = 2_000
    expect(limiter.allow('sign-in-needed', 's')).toBe(false)
    interval = 1_000
    expect(limiter.allow('sign-in-needed', 's')).toBe(true)
    interval = 0
    expect(limiter.allow('sign-in-needed', 's')).toBe(true)
    expect(limiter.allow('sign-in-needed', 's')).toBe(true)
  })
})

describe('NotificationCenter', () => {
  const draft: NotificationDraft = { cause: 'sign-in-needed', server: 'linear', title: 'Sign in to linear again', body: 'The refresh token was revoked.', action: { kind: 'sign-in', server: 'linear' } }

  it('tells every listener once, with an id and the time, and keeps repeats quiet', () => {
    let now = Date.parse('2026-03-01T12:00:00.000Z')
    let ids = 0
    const center = new NotificationCenter({ intervalMs: () => 5 * minute, now: () => now, newId: () => `n${++ids}` })
    const first: AppNotification[] = []
    const second: AppNotification[] = []
    center.onNotification((notification) => first.push(notification))
    const stop = center.attach({ notify: (notification) => second.push(notification) })

    expect(center.raise(draft)).toEqual({ id: 'n1', time: '2026-03-01T12:00:00.000Z', ...draft })
    expect(center.raise(draft)).toBeUndefined()
    now += 5 * minute
    stop()
    expect(center.raise(draft)).toMatchObject({ id: 'n2', time: '2026-03-01T12:05:00.000Z' })
    expect(first.map((n) => n.id)).toEqual(['n1', 'n2'])
    expect(second.map((n) => n.id)).toEqual(['n1'])
  })

  it('shows text from outside as plain single lines of bounded length', () => {
    const center = new NotificationCenter()
    const told = center.raise({ cause: 'repeated-failures', server: 's', title: 'Title\u001b]0;owned\u0007 here', body: `line one\nline two\u202e ${'x'.repeat(1000)}` })
    expect(told?.title).toBe('Title here')
    expect(told?.body.startsWith('line one line two x')).toBe(true)
    expect(told?.body.length).toBe(400)
    expect(told?.body.endsWith('…')).toBe(true)
  })

  it('keeps telling the others when one listener throws', () => {
    const center = new NotificationCenter()
    const told: string[] = []
    center.onNotification(() => {
      throw new Error('broken surface')
    })
    center.onNotification((notification) => told.push(notification.title))
    center.raise(draft)
    expect(told).toEqual(['Sign in to linear again'])
  })
})

describe('notificationLine', () => {
  const base = { id: '1', time: '2026-03-01T12:00:00.000Z' } as const
  const at = new Date(2026, 2, 1, 9, 5, 7)

  it('says what to run or open in the terminal instead of a click', () => {
    expect(notificationLine({ ...base, cause: 'sign-in-needed', server: 'linear', title: 'Sign in to linear again', body: 'Revoked.', action: { kind: 'sign-in', server: 'linear' } }, at)).toBe(
      '09:05:07  Sign in to linear again: Revoked. Run: mcp-tray login linear\n',
    )
    expect(notificationLine({ ...base, cause: 'sign-in-waiting', server: 'gh', title: 'Sign in to gh in your browser', body: 'A sign-in page waits for you.', action: { kind: 'open-url', url: 'https://auth.example.com/authorize?x=1' } }, at)).toBe(
      '09:05:07  Sign in to gh in your browser: A sign-in page waits for you. Open: https://auth.example.com/authorize?x=1\n',
    )
    expect(notificationLine({ ...base, cause: 'repeated-failures', server: 's', title: 's keeps failing', body: '3 failed.', action: { kind: 'open-log', server: 's' } }, at)).toBe(
      '09:05:07  s keeps failing: 3 failed. Run: mcp-tray logs s\n',
    )
    expect(notificationLine({ ...base, cause: 'restart-client', title: 'Restart Claude Desktop to load the change', body: 'It reads its servers when it starts.', action: { kind: 'restart-client' } }, at)).toBe(
      '09:05:07  Restart Claude Desktop to load the change: It reads its servers when it starts.\n',
    )
  })
})
