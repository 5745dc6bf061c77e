import { describe, expect, it } from 'vitest'
import type { LogEvent, ServerStatus } from '../../../src/shared/dashboard-api'
import type { HubPeer } from '../../../src/core/hub/hub-server'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'

const peer = (pid: number): HubPeer => ({ role: 'proxy', pid, send: () => {} })
const answer = (outcome: LogEvent['outcome'], preview?: string): LogEvent => ({
  time: new Date().toISOString(),
  server: 's',
  direction: 'to-client',
  kind: outcome === 'ok' ? 'response' : 'error',
  method: 'tools/call',
  outcome,
  ...(preview ? { preview } : {}),
})

describe('ServerStatusBoard', () => {
  it('lists registered servers as idle before any proxy shows up', () => {
    const board = new ServerStatusBoard({ knownServers: () => ['b', 'a'] })
    expect(board.list()).toEqual([
      { server: 'a', state: 'idle', proxies: 0, requests: 0, errors: 0 },
      { server: 'b', state: 'idle', proxies: 0, requests: 0, errors: 0 },
    ])
  })

  it('goes signing-in → connected → error → connected → sign-in-needed → connected as things happen', () => {
    const board = new ServerStatusBoard()
    const state = () => board.get('s').state
    board.attach('s', peer(1))
    expect(state()).toBe('connected')
    board.signingIn('s')
    expect(state()).toBe('signing-in')
    board.signedIn('s')
    expect(state()).toBe('connected')
    board.record('s', [answer('timeout', 's did not answer tools/call within 60 s')])
    expect(board.get('s')).toMatchObject({ state: 'error', errors: 1, lastError: 'tools/call: s did not answer tools/call within 60 s' })
    board.record('s', [answer('ok')])
    expect(state()).toBe('connected')
    board.signInNeeded('s', 'The server no longer accepts the saved sign-in: refresh_token=abc123 was refused.')
    board.record('s', [answer('failed', 'Sign-in needed for s')])
    expect(board.get('s')).toMatchObject({ state: 'sign-in-needed', errors: 2, lastError: 'The server no longer accepts the saved sign-in: refresh_token=[redacted] was refused.' })
    board.signedIn('s')
    expect(state()).toBe('connected')
    // Another connection of the same process closing leaves the process attached.
    board.detach(peer(1))
    expect(board.get('s')).toMatchObject({ proxies: 1 })
  })

  it('shows a signed-out server as needing a sign-in only while proxies are attached to it', () => {
    const board = new ServerStatusBoard({ knownServers: () => ['s', 't'] })
    board.signedOut('s', 'Signed out of s: sign in again to use it.')
    expect(board.get('s').state).toBe('idle')
    board.signingIn('s')
    board.signedOut('s', 'Signed out of s: sign in again to use it.')
    expect(board.get('s').state).toBe('signing-in')
    board.attach('t', peer(1))
    board.signedOut('t', 'Signed out of t: sign in again to use it.')
    expect(board.get('t')).toMatchObject({ state: 'sign-in-needed', lastError: 'Signed out of t: sign in again to use it.' })
  })

  it('counts a request that fails once, by the answer the client got', () => {
    const board = new ServerStatusBoard()
    const sent: LogEvent = { time: new Date().toISOString(), server: 's', direction: 'to-server', kind: 'request', method: 'tools/call', outcome: 'failed', preview: 'connection refused' }
    board.record('s', [sent, answer('failed', 'Could not connect to s: the connection was refused.')])
    board.record('s', [{ ...sent, kind: 'notification', method: 'notifications/initialized' }])
    expect(board.get('s')).toMatchObject({ state: 'error', requests: 1, errors: 2 })
    board.record('s', [{ ...sent, outcome: 'sent' }, answer('error', 'Unknown tool')])
    expect(board.get('s')).toMatchObject({ state: 'error', requests: 2, errors: 3, lastError: 'tools/call: Unknown tool' })
    board.record('s', [answer('ok')])
    expect(board.get('s').state).toBe('idle')
  })

  it('counts a tool error and a dropped stream as errors, as the log shows them, without calling the server failing', () => {
    const board = new ServerStatusBoard()
    board.attach('s', peer(1))
    const toolError: LogEvent = { ...answer('ok', '{"result":{"isError":true}}'), kind: 'response', tool: 'fail', outcome: 'tool-error' }
    board.record('s', [answer('timeout', 's did not answer'), toolError])
    // The tool error is the server answering: the timeout before it no longer makes the server failing.
    expect(board.get('s')).toMatchObject({ state: 'connected', errors: 2, lastError: 'tools/call fail: {"result":{"isError":true}}' })
    const streamLost: LogEvent = { time: new Date().toISOString(), server: 's', direction: 'to-server', kind: 'proxy', method: 'stream-lost', outcome: 'error', preview: "The server's event stream dropped" }
    const streamBack: LogEvent = { ...streamLost, method: 'stream-back', outcome: 'ok' }
    board.record('s', [streamLost, streamBack])
    expect(board.get('s')).toMatchObject({ state: 'connected', errors: 3, lastError: expect.stringContaining('stream-lost') })
  })

  it('keeps the failed request as the last error when the stream trouble it causes follows', () => {
    const board = new ServerStatusBoard()
    board.attach('s', peer(1))
    board.record('s', [answer('failed', 'The server went away while the tool ran: the tool may have run.')])
    const streamLost: LogEvent = { time: new Date().toISOString(), server: 's', direction: 'to-server', kind: 'proxy', method: 'stream-lost', outcome: 'error', preview: "The server's event stream dropped" }
    board.record('s', [streamLost])
    expect(board.get('s')).toMatchObject({ state: 'error', errors: 2, lastError: expect.stringContaining('went away') })
  })

  it('tells listeners which servers changed, once per burst', async () => {
    const board = new ServerStatusBoard({ coalesceMs: 20 })
    const heard: ServerStatus[][] = []
    board.onChange((statuses) => heard.push([...statuses]))
    const one = peer(1)
    board.attach('s', one)
    for (let i = 0; i < 100; i += 1) board.record('s', [answer('ok')])
    board.attach('t', one)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(heard.map((statuses) => statuses.map((s) => s.server))).toEqual([['s', 't']])
    board.detach(one)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(heard.at(-1)!.map((s) => [s.server, s.proxies])).toEqual([['s', 0], ['t', 0]])
    board.close()
  })
})
