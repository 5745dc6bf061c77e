import { beforeEach, describe, expect, it } from 'vitest'
import { NotificationCenter } from '../../src/core/tray/notification-center'
import type { NotificationAction } from '../../src/shared/dashboard-events'
import { AppNotifier } from '../../src/main/app-notifier'
import { electronMock } from '../mocks/electron'

describe('AppNotifier (electron mocked)', () => {
  beforeEach(() => electronMock.reset())

  it('shows the hub’s notifications and performs the action of the one clicked', () => {
    const performed: NotificationAction[] = []
    const center = new NotificationCenter()
    center.attach(new AppNotifier({ perform: (action) => performed.push(action), icon: '/app/icon.png' }))
    center.raise({ cause: 'sign-in-needed', server: 'linear', title: 'Sign in to linear again', body: 'Revoked.', action: { kind: 'sign-in', server: 'linear' } })
    center.raise({ cause: 'repeated-failures', server: 'slow', title: 'slow keeps failing', body: '3 requests failed.', action: { kind: 'open-log', server: 'slow' } })

    expect(electronMock.notifications.map((n) => [n.options, n.shown])).toEqual([
      [{ title: 'Sign in to linear again', body: 'Revoked.', icon: '/app/icon.png' }, true],
      [{ title: 'slow keeps failing', body: '3 requests failed.', icon: '/app/icon.png' }, true],
    ])
    electronMock.notifications[1]!.emit('click')
    expect(performed).toEqual([{ kind: 'open-log', server: 'slow' }])
    electronMock.notifications[0]!.emit('click')
    expect(performed).toEqual([{ kind: 'open-log', server: 'slow' }, { kind: 'sign-in', server: 'linear' }])
  })

  it('tells how a tray action went, with nothing to perform on click', () => {
    const performed: NotificationAction[] = []
    new AppNotifier({ perform: (action) => performed.push(action) }).tell('Could not sign in to notion', 'Cancelled in the browser.')
    expect(electronMock.notifications[0]?.options).toEqual({ title: 'Could not sign in to notion', body: 'Cancelled in the browser.' })
    electronMock.notifications[0]!.emit('click')
    expect(performed).toEqual([])
  })

  it('shows nothing where the desktop has no notifications', () => {
    electronMock.notificationsSupported = false
    new AppNotifier({ perform: () => {} }).tell('t', 'b')
    expect(electronMock.notifications).toEqual([])
  })
})
