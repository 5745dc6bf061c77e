import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { busyWhile, watchIdle, type IdleStopReason } from '../../../src/core/hub/idle-stop'

describe('watchIdle', () => {
  it('stops once nothing has needed the hub for the idle time, counted from the last time something did', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idle-'))
    try {
      let busy = true
      const stopped: IdleStopReason[] = []
      const startedAt = Date.now()
      const watch = watchIdle({ busy: () => busy, idleMinutes: () => 0.5 / 60, mustExist: [dir], onStop: (reason) => stopped.push(reason), checkEveryMs: 50 })
      await new Promise((resolve) => setTimeout(resolve, 700))
      expect(stopped).toEqual([])
      busy = false
      await vi.waitFor(() => expect(stopped).toEqual(['idle']), { timeout: 2_000, interval: 20 })
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_150)
      watch.stop()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('stops at once when its data folder is deleted, busy or not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idle-'))
    const stopped: IdleStopReason[] = []
    watchIdle({ busy: () => true, idleMinutes: () => 5, mustExist: [dir], onStop: (reason) => stopped.push(reason), checkEveryMs: 50 })
    await rm(dir, { recursive: true, force: true })
    await vi.waitFor(() => expect(stopped).toEqual(['data-folder-gone']), { timeout: 2_000, interval: 20 })
  })

  it('counts as busy any client, any work, any dashboard', () => {
    const needs = { peers: 0, working: false, dashboards: 0 }
    const busy = busyWhile({ peers: () => needs.peers, working: () => needs.working, dashboardClients: () => needs.dashboards })
    expect(busy()).toBe(false)
    for (const change of [{ peers: 1 }, { working: true }, { dashboards: 2 }]) {
      Object.assign(needs, { peers: 0, working: false, dashboards: 0 }, change)
      expect(busy()).toBe(true)
    }
  })
})
