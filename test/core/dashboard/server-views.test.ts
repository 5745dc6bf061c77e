import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DashboardEventBus } from '../../../src/core/dashboard/dashboard-event-bus'
import { PendingSignIns } from '../../../src/core/dashboard/pending-sign-ins'
import { ServerViews } from '../../../src/core/dashboard/server-views'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'
import { LogStore } from '../../../src/core/logs/log-store'
import type { DashboardEvent } from '../../../src/shared/dashboard-events'

describe('ServerViews', () => {
  let dir: string
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('shows the revision a proxy found a server speaking, and pushes the list when it changes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-views-'))
    const logs = new LogStore({ dir })
    const events = new DashboardEventBus()
    const pushed: DashboardEvent[] = []
    events.onEvent(({ event }) => pushed.push(event))
    const views = new ServerViews({
      registry: { list: () => [{ name: 'modern', url: 'https://modern.example/mcp' }] },
      status: new ServerStatusBoard({ knownServers: () => ['modern'] }),
      signInStatus: async () => ({ state: 'signed-out' }),
      clients: async () => [],
      recentLatencies: () => [12, 15],
      pendingSignIns: new PendingSignIns(),
      logs,
      events,
      coalesceMs: 10,
    })
    try {
      expect((await views.get('modern'))?.revision).toBeUndefined()
      logs.append([
        { time: new Date().toISOString(), server: 'modern', direction: 'to-server', kind: 'proxy', method: 'revision', revision: '2026-07-28', outcome: 'ok', preview: 'The server speaks MCP 2026-07-28 (found by server/discover).' },
      ])
      expect(await views.get('modern')).toMatchObject({ url: 'https://modern.example/mcp', revision: '2026-07-28', recentLatencyMs: [12, 15], signIn: { state: 'signed-out' } })
      await expect.poll(() => pushed.find((event) => event.type === 'servers')).toMatchObject({ servers: [{ server: 'modern', revision: '2026-07-28' }] })
    } finally {
      views.close()
      await logs.close()
    }
  })
})
