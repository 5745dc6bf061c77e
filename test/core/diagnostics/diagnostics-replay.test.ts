import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startHub, type RunningHub } from '../../../src/core/hub/hub-runtime'
import type { LogEvent } from '../../../src/shared/log-model'

function call(ms: number, id: number, outcome: LogEvent['outcome']): LogEvent[] {
  const time = new Date(ms).toISOString()
  return [
    { time, server: 'fx', direction: 'to-server', kind: 'request', method: 'tools/call', tool: 'fail', id, outcome: 'sent' },
    { time, server: 'fx', direction: 'to-client', kind: 'response', method: 'tools/call', tool: 'fail', id, outcome, latencyMs: 20 + id },
  ]
}

describe('the hub’s diagnostics across a restart', () => {
  let home: string | undefined
  let hub: RunningHub | undefined
  afterEach(async () => {
    await hub?.close()
    hub = undefined
    if (home) await rm(home, { recursive: true, force: true })
  })

  it('count what the earlier run logged in the last day, once, next to what this run logs', async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-replay-'))
    const now = Date.now()
    hub = await startHub({ dataDir: home })
    hub.logs.append([...call(now - 30 * 3_600_000, 1, 'ok'), ...call(now - 10 * 60_000, 2, 'tool-error'), ...call(now - 5 * 60_000, 3, 'ok')])
    expect(hub.diagnostics.query({ server: 'fx' }).totals).toMatchObject({ requests: 2, toolErrors: 1 })
    await hub.close()

    hub = await startHub({ dataDir: home })
    hub.logs.append(call(now, 4, 'ok'))
    const { diagnostics } = hub
    await expect.poll(() => diagnostics.query({ server: 'fx' }).totals.requests, { timeout: 5_000 }).toBe(3)
    expect(diagnostics.query({ server: 'fx' }).totals).toMatchObject({ requests: 3, errors: 1, toolErrors: 1 })
    // The day-old call is past what the diagnostics keep.
    expect(diagnostics.query({ server: 'fx', windowMs: 24 * 3_600_000 }).totals.requests).toBe(3)
    expect(diagnostics.recentLatencies('fx')).toEqual([22, 23, 24])
  })
})
