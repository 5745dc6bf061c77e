import type { ContenderId } from './contenders'
import type { DashboardFigures } from './dashboard'
import type { HostileRow } from './hostile'
import type { BenchSettings } from './options'

/** One contender's figures; times in milliseconds, memory in bytes. */
export interface ContenderFigures {
  readonly id: ContenderId
  readonly label: string
  /** Spawn → initialize result on stdout (median); absent for the direct client, which spawns nothing. */
  readonly startMs?: number
  /** The first spawn alone, with a data directory nothing has used yet (no caches, no saved state). */
  readonly firstStartMs?: number
  readonly echoP50Ms: number
  readonly echoP99Ms: number
  readonly echoMeanMs: number
  readonly callsPerSecond: number
  /** One large tool result, median. */
  readonly bigMs: number
  /** The proxy process's peak RSS once connected, before any call: mostly the code it loaded. */
  readonly peakRssConnectedBytes?: number
  /** The proxy process's peak RSS before the large results: start-up and small calls only. */
  readonly peakRssSmallCallsBytes?: number
  /** The proxy process's peak RSS over the whole run; absent for the direct client, or when it could not be read. */
  readonly peakRssBytes?: number
}

export interface BenchEnvironment {
  readonly node: string
  readonly platform: string
  readonly arch: string
  readonly cpuCount: number
  readonly cpuModel: string
  /** 1, 5 and 15 minute load averages when the run began: other work on the machine skews every figure. */
  readonly loadAverage: readonly number[]
  readonly startedAt: string
  readonly durationSeconds: number
}

export interface BenchResults {
  readonly environment: BenchEnvironment
  readonly settings: BenchSettings
  /** Bare `node -e ""`: spawn → exit (median) and its peak RSS. */
  readonly bareNode: { readonly startMs: number; readonly peakRssBytes: number }
  /** A fresh direct SDK client's connect (initialize, initialized), median: the upstream share of a proxy's start. */
  readonly directConnectMs: number
  /** In the order direct, MCP Tray, mcp-remote. */
  readonly contenders: readonly ContenderFigures[]
  /** Each proxy's peak RSS while a hostile server sends one huge event, or a line that never ends. */
  readonly hostile: readonly HostileRow[]
  /** The hub and the dashboard under a flood of log events; absent where no Chromium is installed. */
  readonly dashboard?: DashboardFigures
}
