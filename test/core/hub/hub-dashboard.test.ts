import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogEvent, ServerStatus } from '../../../src/shared/dashboard-api'
import { startHub, type RunningHub } from '../../../src/core/hub/hub-runtime'
import { hubAddressFor } from '../../../src/core/hub/hub-address'
import { connectToHub } from '../../../src/core/hub/hub-client'

function event(server: string, id: number, time: string): LogEvent {
  return { time, server, direction: 'to-server', kind: 'request', method: 'tools/call', id, outcome: 'sent' }
}

describe('the dashboard API of a headless hub', () => {
  let home: string
  let hub: RunningHub
  let call: (method: string, args: unknown[]) => Promise<{ status: number; body: unknown }>

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-hubdash-'))
    const rendererDir = join(home, 'renderer')
    await mkdir(rendererDir)
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html>')
    hub = await startHub({ dataDir: home, rendererDir })
    const origin = new URL(hub.dashboard!.url).origin
    call = async (method, args) => {
      const response = await fetch(`${origin}/api/${method}`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(args) })
      return { status: response.status, body: await response.json() }
    }
  })
  afterEach(async () => {
    await hub.close()
    await rm(home, { recursive: true, force: true })
  })

  it('lists servers with their status and their recent logs, fed by proxies', async () => {
    const proxy = await connectToHub(hubAddressFor(home), 'proxy')
    await proxy.call('logs', { server: 'b', events: [event('b', 1, '2026-01-01T00:00:02.000Z')] })
    await proxy.call('logs', { server: 'a', events: [event('a', 1, '2026-01-01T00:00:01.000Z'), event('a', 2, '2026-01-01T00:00:03.000Z')] })

    const servers = (await call('listServers', [])).body as ServerStatus[]
    expect(servers.map((s) => [s.server, s.state, s.proxies, s.requests])).toEqual([['a', 'connected', 1, 2], ['b', 'connected', 1, 1]])
    expect(((await call('recentLogs', [])).body as LogEvent[]).map((e) => `${e.server}${e.id}`)).toEqual(['a1', 'b1', 'a2'])
    expect(((await call('recentLogs', ['a', 1])).body as LogEvent[]).map((e) => e.id)).toEqual([2])
    expect((await call('recentLogs', ['nobody'])).body).toEqual([])
    proxy.close()
  })

  it.each([[[{ server: 'a' }]], [['a', 1e9]], [['a', 'ten']], [['a', 0]], [['x'.repeat(500)]]])(
    'refuses recentLogs(%j) with a 400 that says what it takes',
    async (args) => {
      expect(await call('recentLogs', args)).toMatchObject({ status: 400, body: { code: 'dashboard_bad_request', message: expect.stringContaining('recentLogs takes') } })
    },
  )
})
