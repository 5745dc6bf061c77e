import { describe, expect, it } from 'vitest'
import { parseBenchOptions, quickSettings } from '../../bench/options'
import { parseProcStatusKb } from '../../bench/process-memory'
import { figuresBehind, renderMarkdown, renderText, verdicts } from '../../bench/report'
import type { BenchResults, ContenderFigures } from '../../bench/results'
import { inTurn, slices } from '../../bench/run'
import { mean, median, percentile } from '../../bench/stats'

describe('bench statistics', () => {
  it('takes nearest-rank percentiles and medians without reordering the samples', () => {
    const samples = [5, 1, 4, 2, 3]
    expect(percentile(samples, 50)).toBe(3)
    expect(percentile(samples, 99)).toBe(5)
    expect(percentile(samples, 0)).toBe(1)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(mean(samples)).toBe(3)
    expect(samples).toEqual([5, 1, 4, 2, 3])
    expect(percentile(Array.from({ length: 1000 }, (_, i) => i + 1), 99)).toBe(990)
  })

  it('refuses to summarize nothing', () => {
    expect(() => median([])).toThrow()
    expect(() => percentile([1], 101)).toThrow(RangeError)
  })

  it('splits calls into rounds that add up', () => {
    expect(slices(2000, 4)).toEqual([500, 500, 500, 500])
    expect(slices(10, 3).reduce((a, b) => a + b)).toBe(10)
    expect(slices(2, 4)).toEqual([1, 1])
  })

  it('lets each contender go first in turn', () => {
    expect([0, 1, 2, 3].map((round) => inTurn(['a', 'b', 'c'], round).join(''))).toEqual(['abc', 'bca', 'cab', 'abc'])
  })

  it('reads the high-water mark from /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   51234 kB\nVmRSS:\t   40000 kB\n'
    expect(parseProcStatusKb(status, 'VmHWM')).toBe(51234)
    expect(parseProcStatusKb(status, 'VmSwap')).toBeUndefined()
  })
})

describe('bench options', () => {
  it('starts from the quick counts and takes overrides', () => {
    const options = parseBenchOptions(['--quick', '--spawns', '2', '--big-mb', '0.5', '--json', 'out.json'])
    expect(options.settings).toMatchObject({ ...quickSettings, spawns: 2, bigBytes: 500_000 })
    expect(options.jsonPath).toBe('out.json')
  })

  it('rejects counts that are not positive whole numbers', () => {
    expect(() => parseBenchOptions(['--calls', '0'])).toThrow(/--calls/)
    expect(() => parseBenchOptions(['--spawns', '1.5'])).toThrow(/--spawns/)
    expect(() => parseBenchOptions(['--unknown'])).toThrow()
  })
})

function figures(id: ContenderFigures['id'], overrides: Partial<ContenderFigures> = {}): ContenderFigures {
  return { id, label: id, echoP50Ms: 1, echoP99Ms: 2, echoMeanMs: 1.1, callsPerSecond: 1000, bigMs: 100, ...overrides }
}

const canned: BenchResults = {
  environment: {
    node: 'v20.20.2',
    platform: 'linux',
    arch: 'x64',
    cpuCount: 2,
    cpuModel: 'Test CPU',
    loadAverage: [0.5, 0.4, 0.3],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSeconds: 90,
  },
  settings: quickSettings,
  bareNode: { startMs: 40, peakRssBytes: 40_000_000 },
  directConnectMs: 3,
  contenders: [
    figures('direct'),
    figures('mcp-tray', { startMs: 55, firstStartMs: 90, echoP50Ms: 1.3, peakRssBytes: 70_000_000, callsPerSecond: 900 }),
    figures('mcp-remote', { startMs: 300, firstStartMs: 400, echoP50Ms: 1.2, echoP99Ms: 3, peakRssBytes: 90_000_000, bigMs: 150, callsPerSecond: 800 }),
  ],
  hostile: [
    {
      scenario: 'big-event',
      bytes: 100_000_000,
      contenders: [
        { id: 'mcp-tray', peakRssBytes: 130_000_000, answer: 'error', answeredNext: true },
        { id: 'mcp-remote', peakRssBytes: 730_000_000, answer: 'result', answeredNext: true },
      ],
    },
    { scenario: 'endless-line', bytes: 1_000_000_000, contenders: [{ id: 'mcp-tray', peakRssBytes: 128_000_000, answer: 'error', answeredNext: true }] },
  ],
}

describe('bench report', () => {
  it('judges each target from the figures of the same run', () => {
    const byTarget = Object.fromEntries(verdicts(canned).map((verdict) => [verdict.target, verdict]))
    expect(byTarget['start ≤ 1.5× bare node']?.met).toBe(true)
    expect(byTarget['p50 overhead ≤ 0.5 ms over direct']?.met).toBe(true)
    expect(byTarget['peak RSS ≤ 60 MB']).toMatchObject({ met: false, detail: '70.0 MB' })
    expect(byTarget['ahead of mcp-remote on every figure']).toMatchObject({ met: false, detail: 'behind on p50' })
    expect(byTarget['peak RSS ≤ 400 MB against a hostile server, next call answered']).toMatchObject({ met: true, detail: '130.0 MB at most; next call answered each time' })
  })

  it('counts a figure it could not read as not ahead', () => {
    const ours = figures('mcp-tray', { startMs: 50 })
    const theirs = figures('mcp-remote', { startMs: 60, peakRssBytes: 1 })
    expect(figuresBehind(ours, theirs)).toEqual(['p50', 'p99', 'throughput', 'large result', 'peak RSS'])
  })

  it('prints absolute figures with their comparison to the baseline', () => {
    const text = renderText(canned)
    expect(text).toContain('55.0 ms (1.38× node)')
    expect(text).toContain('1.30 ms (+0.30 ms)')
    expect(text).toContain('900 calls/s (0.90×)')
    expect(text).toContain('MISSED  peak RSS ≤ 60 MB')
    expect(text).toContain('proxy peak RSS: server sends one 100 MB event')
    expect(text).toContain('130.0 MB (answered with an error; next call answered)')
    expect(text).toContain('730.0 MB (relayed it; next call answered)')
    expect(text).toContain('not run: it reads a line without a limit')
  })

  it('renders a Markdown table with one row per figure', () => {
    const markdown = renderMarkdown(canned)
    const rows = markdown.split('\n').filter((line) => line.startsWith('| '))
    expect(rows[0]).toBe('| figure | baseline | mcp-tray | mcp-remote |')
    expect(rows).toHaveLength(2 + 11)
    expect(markdown).toContain('- **missed**: peak RSS ≤ 60 MB: 70.0 MB')
    expect(markdown).toContain(
      'The MCP Tray proxy met 3 of its 5 targets in this run; it missed: peak RSS ≤ 60 MB; ahead of mcp-remote on every figure.',
    )
  })
})
