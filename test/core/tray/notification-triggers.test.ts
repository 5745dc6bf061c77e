import { afterEach, describe, expect, it } from 'vitest'
import type { AppNotification } from '../../../src/shared/dashboard-events'
import type { LogEvent } from '../../../src/shared/log-model'
import { PendingSignIns } from '../../../src/core/dashboard/pending-sign-ins'
import type { HubPeer } from '../../../src/core/hub/hub-server'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'
import { NotificationCenter } from '../../../src/core/tray/notification-center'
import { NotificationTriggers } from '../../../src/core/tray/notification-triggers'

const peer = (pid: number): HubPeer => ({ role: 'proxy', pid, send: () => {} })
const answer = (server: string, outcome: LogEvent['outcome'], preview?: string): LogEvent => ({
  time: new Date().toISOString(),
  server,
  direction: 'to-client',
  kind: outcome === 'ok' ? 'response' : 'error',
  method: 'tools/call',
  outcome,
  ...(preview ? { preview } : {}),
})

/** The real status board, the real pending sign-ins, and a center on a clock the test moves. */
function setUp(options: { failures?: { count: number; windowMs: number } } = {}) {
  const clock = { now: 1_000_000 }
  const board = new ServerStatusBoard({ knownServers: () => [], coalesceMs: 1 })
  const signIns = new PendingSignIns()
  const center = new NotificationCenter({ intervalMs: () => 5 * 60_000, now: () => clock.now })
  const told: AppNotification[] = []
  center.onNotification((notification) => told.push(notification))
  const triggers = new NotificationTriggers(center, { status: board, signIns, now: () => clock.now, ...options })
  /** Lets the board's coalesced change reach the triggers. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10))
  return { clock, board, signIns, triggers, told, settle, close: () => (triggers.close(), board.close()) }
}

describe('NotificationTriggers', () => {
  let close: (() => void) | undefined
  afterEach(() => close?.())

  it('asks for a sign-in when a server comes to need one (click: sign in), once', async () => {
    const hub = setUp()
    close = hub.close
    hub.board.attach('linear', peer(1))
    hub.board.signInNeeded('linear', 'The authorization server refused refresh_token=abc123 as expired.')
    await hub.settle()
    expect(hub.told).toEqual([
      expect.objectContaining({
        cause: 'sign-in-needed',
        server: 'linear',
        title: 'Sign in to linear again',
        body: 'The authorization server refused refresh_token=[redacted] as expired.',
        action: { kind: 'sign-in', server: 'linear' },
      }),
    ])
    // Still needed, and needed again soon after a sign-in: the quiet time holds.
    hub.board.record('linear', [answer('linear', 'failed', 'Sign-in needed for linear')])
    await hub.settle()
    hub.board.signedIn('linear')
    await hub.settle()
    hub.board.signInNeeded('linear', 'Revoked again.')
    await hub.settle()
    expect(hub.told).toHaveLength(1)
    // Past the quiet time, a new need is told.
    hub.board.signedIn('linear')
    await hub.settle()
    hub.clock.now += 5 * 60_000
    hub.board.signInNeeded('linear', 'Revoked once more.')
    await hub.settle()
    expect(hub.told.map((n) => n.body)).toEqual(['The authorization server refused refresh_token=[redacted] as expired.', 'Revoked once more.'])
  })

  it('says where a sign-in waits in the browser (click: open the address), without a notification for its other news', async () => {
    const hub = setUp()
    close = hub.close
    const url = 'https://auth.example.com/authorize?client_id=abc&state=xyz'
    hub.board.signingIn('github')
    hub.signIns.progress('github', `Opening the browser to sign in to github at https://auth.example.com. If no browser opens, visit:\n${url}`, url)
    hub.signIns.progress('github', 'Could not open a browser (no display); open the address above yourself.')
    hub.signIns.finished('github', 'signed-in', 'Signed in.')
    hub.board.signedIn('github')
    await hub.settle()
    expect(hub.told).toEqual([
      expect.objectContaining({ cause: 'sign-in-waiting', server: 'github', title: 'Sign in to github in your browser', action: { kind: 'open-url', url } }),
    ])
  })

  it('tells of a server that keeps failing (click: its log) once the failures reach the count within the window', async () => {
    const hub = setUp({ failures: { count: 3, windowMs: 60_000 } })
    close = hub.close
    hub.board.attach('slow', peer(7))
    hub.board.record('slow', [answer('slow', 'timeout', 'slow did not answer tools/call within 60 s')])
    await hub.settle()
    hub.clock.now += 61_000
    // The first failure is out of the window by now: two more are not yet "repeated".
    hub.board.record('slow', [answer('slow', 'timeout', 'again'), answer('slow', 'timeout', 'again')])
    await hub.settle()
    expect(hub.told).toEqual([])
    hub.board.record('slow', [answer('slow', 'timeout', 'slow did not answer tools/call within 60 s')])
    await hub.settle()
    expect(hub.told).toEqual([
      expect.objectContaining({
        cause: 'repeated-failures',
        server: 'slow',
        title: 'slow keeps failing',
        body: '3 requests failed in the last minute. Last: tools/call: slow did not answer tools/call within 60 s',
        action: { kind: 'open-log', server: 'slow' },
      }),
    ])
    // More failures within the quiet time are not told again.
    hub.board.record('slow', [answer('slow', 'timeout'), answer('slow', 'timeout'), answer('slow', 'timeout')])
    await hub.settle()
    expect(hub.told).toHaveLength(1)
  })

  it('does not count the server answering with errors as the server failing', async () => {
    const hub = setUp({ failures: { count: 2, windowMs: 60_000 } })
    close = hub.close
    hub.board.attach('s', peer(1))
    hub.board.record('s', [answer('s', 'error', 'Invalid params'), answer('s', 'error', 'Invalid params'), answer('s', 'error', 'Invalid params')])
    await hub.settle()
    expect(hub.board.get('s').errors).toBe(3)
    expect(hub.told).toEqual([])
  })

  it('asks for a restart of Claude Desktop when a change needs one (click: restart it), and only for it', () => {
    const hub = setUp()
    close = hub.close
    hub.triggers.clientsChanged('linear', [
      { client: 'cursor', restartNeeded: true },
      { client: 'claude-desktop', restartNeeded: false },
    ])
    expect(hub.told).toEqual([])
    hub.triggers.clientsChanged('linear', [{ client: 'claude-desktop', restartNeeded: true }])
    expect(hub.told).toEqual([
      expect.objectContaining({ cause: 'restart-client', server: 'linear', title: 'Restart Claude Desktop to load the change', action: { kind: 'restart-client' } }),
    ])
  })

  it('says which entries were put back in a client file', () => {
    const hub = setUp()
    close = hub.close
    hub.triggers.configRestored({ client: 'claude-desktop', keys: ['linear'] })
    hub.triggers.configRestored({ client: 'claude-desktop', keys: [] })
    hub.clock.now += 5 * 60_000
    hub.triggers.configRestored({ client: 'claude-desktop', keys: ['linear', 'notion'] })
    expect(hub.told).toEqual([
      expect.objectContaining({
        cause: 'config-restored',
        server: 'linear',
        body: 'Claude Desktop rewrote its config file without the entry for linear; MCP Tray put it back. Restart Claude Desktop to load it.',
        action: { kind: 'restart-client' },
      }),
      expect.objectContaining({
        cause: 'config-restored',
        body: 'Claude Desktop rewrote its config file without 2 entries (linear, notion); MCP Tray put them back. Restart Claude Desktop to load them.',
      }),
    ])
    expect(hub.told[1]).not.toHaveProperty('server')
  })

  it('stops listening when closed', async () => {
    const hub = setUp()
    hub.triggers.close()
    hub.board.attach('a', peer(1))
    hub.board.signInNeeded('a', 'gone')
    await hub.settle()
    expect(hub.told).toEqual([])
    hub.board.close()
  })
})
