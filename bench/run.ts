import { cpus, loadavg } from 'node:os'
import { connect, directContender, mcpRemoteContender, mcpTrayContender, type Contender, type ContenderId, type Session } from './contenders'
import { startFixtureProcess } from './fixture'
import { measureDashboard } from './dashboard'
import { measureHostileRows } from './hostile'
import {
  sampleEchoLatency,
  timeBareNode,
  timeBigResult,
  timeConcurrentEchoes,
  timeConnect,
  timeSpawnToInitialize,
} from './measure'
import type { BenchSettings } from './options'
import { bareNodePeakRss, probePeakRss, type PeakRssProbe } from './process-memory'
import type { BenchEnvironment, BenchResults, ContenderFigures } from './results'
import { mean, median, percentile } from './stats'

export type Progress = (line: string) => void

interface Live {
  readonly contender: Contender
  readonly session: Session
  readonly rss: PeakRssProbe | undefined
  readonly rssConnected: number | undefined
}

interface StartFigures {
  readonly bareNodeMs: number
  readonly directConnectMs: number
  readonly proxyMs: ReadonlyMap<ContenderId, { readonly median: number; readonly first: number }>
}

type CallFigures = Omit<ContenderFigures, 'id' | 'label' | 'startMs' | 'firstStartMs' | 'peakRssConnectedBytes'>

/** Splits `total` into `rounds` near-equal positive slices. */
export function slices(total: number, rounds: number): number[] {
  const count = Math.max(1, Math.min(rounds, total))
  return Array.from({ length: count }, (_, i) => Math.floor((total * (i + 1)) / count) - Math.floor((total * i) / count))
}

/** The items rotated by `round`, so that no contender always goes first (after another's garbage, say). */
export function inTurn<T>(items: readonly T[], round: number): T[] {
  const shift = items.length === 0 ? 0 : round % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}

function collector<T>(keys: readonly T[]): Map<T, number[]> {
  return new Map(keys.map((key) => [key, []]))
}

/** Bare node, a direct connect and each proxy in turn, `spawns` times. */
async function measureStarts(contenders: readonly Contender[], url: string, settings: BenchSettings, progress: Progress): Promise<StartFigures> {
  const bare: number[] = []
  const direct: number[] = []
  const proxies = contenders.filter((contender) => contender.launch !== undefined)
  const proxyMs = collector(proxies)
  for (let i = 0; i < settings.spawns; i += 1) {
    progress(`start: spawn ${i + 1} of ${settings.spawns}`)
    bare.push(await timeBareNode())
    for (const contender of inTurn(contenders, i)) {
      if (contender.launch) proxyMs.get(contender)!.push(await timeSpawnToInitialize(contender.launch))
      else direct.push(await timeConnect(contender, url))
    }
  }
  return {
    bareNodeMs: median(bare),
    directConnectMs: median(direct),
    proxyMs: new Map(
      proxies.map((contender) => {
        const samples = proxyMs.get(contender)!
        return [contender.id, { median: median(samples), first: samples[0]! }]
      }),
    ),
  }
}

/** Latency, throughput and large results over one long-lived session per contender, taking turns. */
async function measureCalls(live: readonly Live[], settings: BenchSettings, progress: Progress): Promise<Map<Live, CallFigures>> {
  progress('warm-up')
  for (const { session } of live) {
    await sampleEchoLatency(session.client, settings.warmupCalls)
    await timeBigResult(session.client, Math.min(settings.bigBytes, 1_000_000))
  }

  const latency = collector(live)
  for (const [round, calls] of slices(settings.latencyCalls, settings.rounds).entries()) {
    progress(`latency: round ${round + 1}, ${calls} sequential echo calls each`)
    for (const entry of inTurn(live, round)) latency.get(entry)!.push(...(await sampleEchoLatency(entry.session.client, calls)))
  }

  const throughputMs = collector(live)
  for (const [round, calls] of slices(settings.throughputCalls, settings.rounds).entries()) {
    progress(`throughput: round ${round + 1}, ${calls} echo calls each, ${settings.inFlight} in flight`)
    for (const entry of inTurn(live, round)) throughputMs.get(entry)!.push(await timeConcurrentEchoes(entry.session.client, calls, settings.inFlight))
  }

  const rssSmallCalls = new Map<Live, number | undefined>()
  for (const entry of live) rssSmallCalls.set(entry, await entry.rss?.peakBytes())

  const big = collector(live)
  for (let i = 0; i < settings.bigRepeats; i += 1) {
    progress(`large result: ${i + 1} of ${settings.bigRepeats}`)
    for (const entry of inTurn(live, i)) big.get(entry)!.push(await timeBigResult(entry.session.client, settings.bigBytes))
  }

  const figures = new Map<Live, CallFigures>()
  for (const entry of live) {
    const samples = latency.get(entry)!
    const totalMs = throughputMs.get(entry)!.reduce((sum, ms) => sum + ms, 0)
    const smallCalls = rssSmallCalls.get(entry)
    const whole = await entry.rss?.peakBytes()
    figures.set(entry, {
      echoP50Ms: percentile(samples, 50),
      echoP99Ms: percentile(samples, 99),
      echoMeanMs: mean(samples),
      callsPerSecond: (settings.throughputCalls * 1000) / totalMs,
      bigMs: median(big.get(entry)!),
      ...(smallCalls === undefined ? {} : { peakRssSmallCallsBytes: smallCalls }),
      ...(whole === undefined ? {} : { peakRssBytes: whole }),
    })
  }
  return figures
}

function environment(startedAt: Date): BenchEnvironment {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    startedAt: startedAt.toISOString(),
    durationSeconds: 0,
  }
}

/**
 * Runs every figure for the direct client, the MCP Tray proxy and mcp-remote against one fixture
 * server, in one run, so that each comparison is with a baseline measured under the same conditions.
 */
export async function runBench(settings: BenchSettings, progress: Progress = () => undefined): Promise<BenchResults> {
  const startedAt = new Date()
  const env = environment(startedAt)
  const fixture = await startFixtureProcess()
  const url = fixture.mcpUrl
  const contenders = [directContender(), mcpTrayContender(url), mcpRemoteContender(url)]
  const live: Live[] = []
  try {
    progress(`fixture server at ${url}`)
    const starts = await measureStarts(contenders, url, settings, progress)
    const bareRss = await bareNodePeakRss()
    for (const contender of contenders) {
      const session = await connect(contender, url)
      const rss = session.pid === undefined ? undefined : await probePeakRss(session.pid)
      live.push({ contender, session, rss, rssConnected: await rss?.peakBytes() })
    }
    const calls = await measureCalls(live, settings, progress)
    const hostile = await measureHostileRows(settings.hostileEventBytes, progress)
    const dashboard = await measureDashboard(settings.dashboardEvents, progress)
    return {
      environment: { ...env, durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10 },
      settings,
      bareNode: { startMs: starts.bareNodeMs, peakRssBytes: bareRss },
      directConnectMs: starts.directConnectMs,
      contenders: live.map((entry) => {
        const start = starts.proxyMs.get(entry.contender.id)
        return {
          id: entry.contender.id,
          label: entry.contender.label,
          ...(start === undefined ? {} : { startMs: start.median, firstStartMs: start.first }),
          ...(entry.rssConnected === undefined ? {} : { peakRssConnectedBytes: entry.rssConnected }),
          ...calls.get(entry)!,
        }
      }),
      hostile,
      ...(dashboard === undefined ? {} : { dashboard }),
    }
  } finally {
    for (const { rss } of live) rss?.stop()
    await Promise.allSettled(live.map(({ session }) => session.close()))
    await fixture.close()
    for (const contender of contenders) contender.dispose()
  }
}
