import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../bench/report'
import { runBench } from '../../bench/run'

/** Runs the whole bench with tiny counts so that it cannot rot; speed is the bench's business, not this test's. */
describe('npm run bench', () => {
  it('measures every figure for all three contenders in one run', async () => {
    const results = await runBench({
      spawns: 1,
      warmupCalls: 2,
      latencyCalls: 10,
      throughputCalls: 16,
      inFlight: 4,
      bigBytes: 200_000,
      bigRepeats: 1,
      rounds: 2,
      hostileEventBytes: 2_000_000,
      dashboardEvents: 2_000,
    })
    expect(results.contenders.map((figures) => figures.id)).toEqual(['direct', 'mcp-tray', 'mcp-remote'])
    expect(results.bareNode.startMs).toBeGreaterThan(0)
    for (const figures of results.contenders) {
      for (const value of [figures.echoP50Ms, figures.echoP99Ms, figures.callsPerSecond, figures.bigMs]) {
        expect(Number.isFinite(value) && value > 0).toBe(true)
      }
      if (figures.id === 'direct') continue
      expect(figures.startMs).toBeGreaterThan(0)
      if (process.platform === 'linux') expect(figures.peakRssBytes).toBeGreaterThan(0)
    }
    expect(renderMarkdown(results)).toContain('| echo tools/call p50 (10 sequential) |')
    const line = results.hostile.find((row) => row.scenario === 'endless-line')?.contenders[0]
    expect(line).toMatchObject({ id: 'mcp-tray', answer: 'error', answeredNext: true })
    expect(results.dashboard).toMatchObject({ events: 2_000, delivered: 2_000 })
    expect(results.dashboard!.scrollFrameP95Ms).toBeGreaterThan(0)
    expect(renderMarkdown(results)).toContain('| hub ingest, 2,000 log events, Live log open in Chromium |')
  }, 45_000)
})
