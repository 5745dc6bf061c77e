import type { DiagnosticsBucket, DiagnosticsQuery, ServerDiagnostics } from '../../shared/diagnostics'
import type { LogEvent } from '../logs/log-event'
import { isClientRequest, isError, isServerAnswer, retriesOf } from '../logs/log-outcomes'
import { LatencyHistogram } from './latency-histogram'

type Counts = Omit<DiagnosticsBucket, 'start' | 'p50Ms' | 'p95Ms'>
type Count = keyof Counts

const minuteMs = 60_000
/** How far back the diagnostics reach: one bucket per minute for a day. */
export const diagnosticsRetentionMs = 24 * 60 * minuteMs
const slotsPerServer = diagnosticsRetentionMs / minuteMs
const defaultWindowMs = 60 * minuteMs
/** Latencies kept per server for the server list's sparkline. */
export const recentLatencyCount = 64

interface MinuteBucket {
  /** Epoch minute (ms / 60,000) it counts; a slot whose minute is older than a day is stale. */
  minute: number
  counts: Record<Count, number>
  readonly latency: LatencyHistogram
}

interface ServerSeries {
  /** One slot per minute of the day, by epoch minute modulo the slots; filled as minutes see traffic. */
  readonly slots: (MinuteBucket | undefined)[]
  buckets: number
  readonly recent: Float64Array
  recentNext: number
  recentSize: number
}

export interface DiagnosticsRecorderOptions {
  readonly now?: () => number
  /**
   * Minute buckets kept across all servers (default 40,000: about 18 MB at most, a day of
   * traffic for 27 servers busy every minute); past it the oldest minutes of the busiest server go.
   */
  readonly maxBuckets?: number
}

/**
 * Counts per server and minute, for the diagnostics charts and the bug report: requests, errors
 * (as the status board and the log's "errors only" count them), tool errors, timeouts, retries,
 * session recoveries, token refreshes and sign-ins, and a latency histogram of the server's
 * answers. Fed by the hub's log appends and its sign-in engine; bounded to a day of minutes.
 */
export class DiagnosticsRecorder {
  readonly #series = new Map<string, ServerSeries>()
  readonly #now: () => number
  readonly #maxBuckets: number
  #buckets = 0
  /** The minute of the last event time parsed, by its first 16 characters (`2026-01-01T10:00`). */
  #lastMinutePrefix = ''
  #lastMinute = 0

  constructor(options: DiagnosticsRecorderOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#maxBuckets = options.maxBuckets ?? 40_000
  }

  /** Counts a batch of log events (as the hub's log store appends them). */
  record(events: readonly LogEvent[]): void {
    this.#record(events, false)
  }

  /**
   * Counts events from before the hub started (read back from the files, newest first), behind
   * what it counted since: their latencies go before the live ones in the sparkline.
   */
  recordEarlier(events: readonly LogEvent[]): void {
    this.#record(events, true)
  }

  #record(events: readonly LogEvent[], earlier: boolean): void {
    const nowMinute = Math.floor(this.#now() / minuteMs)
    for (const event of events) {
      const request = isClientRequest(event)
      const error = isError(event)
      const retries = retriesOf(event)
      const recovered = event.outcome === 'recovered'
      const latency = event.latencyMs !== undefined && isServerAnswer(event) ? event.latencyMs : undefined
      if (!request && !error && retries === 0 && !recovered && latency === undefined) continue
      const minute = Math.min(this.#minuteOf(event.time) ?? nowMinute, nowMinute)
      if (minute <= nowMinute - slotsPerServer) continue
      const series = this.#seriesOf(event.server)
      const bucket = this.#bucket(series, minute)
      if (request) bucket.counts.requests += 1
      if (error) {
        bucket.counts.errors += 1
        if (event.outcome === 'tool-error') bucket.counts.toolErrors += 1
        else if (event.outcome === 'timeout') bucket.counts.timeouts += 1
      }
      bucket.counts.retries += retries
      if (recovered) bucket.counts.sessionRecoveries += 1
      if (latency !== undefined) {
        bucket.latency.add(latency)
        if (!earlier) {
          series.recent[series.recentNext] = latency
          series.recentNext = (series.recentNext + 1) % recentLatencyCount
          series.recentSize = Math.min(recentLatencyCount, series.recentSize + 1)
        } else if (series.recentSize < recentLatencyCount) {
          // In front of the oldest kept: the ring fills backwards with what came before.
          series.recent[(series.recentNext - series.recentSize - 1 + 2 * recentLatencyCount) % recentLatencyCount] = latency
          series.recentSize += 1
        }
      }
    }
  }

  /** A refresh got the server a new access token. */
  tokenRefreshed(server: string): void {
    this.#count(server, 'tokenRefreshes')
  }

  /** A sign-in to the server finished (once per flow, however many waited for it). */
  signedIn(server: string): void {
    this.#count(server, 'signIns')
  }

  /**
   * The server's counts over a window (default the last hour) in buckets (default one minute;
   * whole minutes, at most a day), oldest first, contiguous up to now, with percentiles of the
   * answers' latencies per bucket and over the window.
   */
  query(query: DiagnosticsQuery): ServerDiagnostics {
    const now = this.#now()
    const bucketMs = Math.min(diagnosticsRetentionMs, Math.max(1, Math.ceil((query.bucketMs ?? minuteMs) / minuteMs)) * minuteMs)
    const windowMs = Math.min(diagnosticsRetentionMs, Math.max(bucketMs, query.windowMs ?? defaultWindowMs))
    const count = Math.ceil(windowMs / bucketMs)
    const lastStart = Math.floor(now / bucketMs) * bucketMs
    const series = this.#series.get(query.server)
    const totalCounts = emptyCounts()
    const totalLatency = new LatencyHistogram()
    const buckets: DiagnosticsBucket[] = []
    const merged = new LatencyHistogram()
    const oldestMinute = Math.floor(now / minuteMs) - slotsPerServer + 1
    for (let i = 0; i < count; i += 1) {
      const start = lastStart - (count - 1 - i) * bucketMs
      const counts = emptyCounts()
      merged.clear()
      if (series) {
        for (let minute = Math.max(start / minuteMs, oldestMinute); minute < (start + bucketMs) / minuteMs; minute += 1) {
          const bucket = series.slots[minute % slotsPerServer]
          if (bucket?.minute !== minute) continue
          addCounts(counts, bucket.counts)
          merged.merge(bucket.latency)
        }
      }
      addCounts(totalCounts, counts)
      totalLatency.merge(merged)
      buckets.push({ start, ...counts, ...percentiles(merged) })
    }
    return { server: query.server, bucketMs, buckets, totals: { ...totalCounts, ...percentiles(totalLatency) } }
  }

  /** The latencies of the server's last `n` answers (at most `recentLatencyCount`), oldest first, in ms. */
  recentLatencies(server: string, n = 30): number[] {
    const series = this.#series.get(server)
    if (!series) return []
    const take = Math.max(0, Math.min(n, series.recentSize))
    const out = new Array<number>(take)
    for (let i = 0; i < take; i += 1) out[i] = series.recent[(series.recentNext - take + i + recentLatencyCount) % recentLatencyCount]!
    return out
  }

  /** Forgets a server (removed). */
  forget(server: string): void {
    const series = this.#series.get(server)
    if (!series) return
    this.#buckets -= series.buckets
    this.#series.delete(server)
  }

  /** Keeps a renamed server's history under its new name. */
  rename(from: string, to: string): void {
    const series = this.#series.get(from)
    if (!series || from === to) return
    this.forget(to)
    this.#series.delete(from)
    this.#series.set(to, series)
  }

  #count(server: string, what: 'tokenRefreshes' | 'signIns'): void {
    const minute = Math.floor(this.#now() / minuteMs)
    this.#bucket(this.#seriesOf(server), minute).counts[what] += 1
  }

  #seriesOf(server: string): ServerSeries {
    let series = this.#series.get(server)
    if (!series) {
      series = { slots: new Array<MinuteBucket | undefined>(slotsPerServer), buckets: 0, recent: new Float64Array(recentLatencyCount), recentNext: 0, recentSize: 0 }
      this.#series.set(server, series)
    }
    return series
  }

  #bucket(series: ServerSeries, minute: number): MinuteBucket {
    const slot = minute % slotsPerServer
    let bucket = series.slots[slot]
    if (bucket?.minute === minute) return bucket
    if (bucket) {
      // A day old: the slot starts over for this minute.
      bucket.minute = minute
      bucket.counts = emptyCounts()
      bucket.latency.clear()
      return bucket
    }
    if (this.#buckets >= this.#maxBuckets) this.#evictOldest()
    bucket = { minute, counts: emptyCounts(), latency: new LatencyHistogram() }
    series.slots[slot] = bucket
    series.buckets += 1
    this.#buckets += 1
    return bucket
  }

  /** Over the budget: the busiest server gives up its oldest minute. */
  #evictOldest(): void {
    let busiest: ServerSeries | undefined
    for (const series of this.#series.values()) if (!busiest || series.buckets > busiest.buckets) busiest = series
    if (!busiest) return
    let oldest = -1
    for (let slot = 0; slot < slotsPerServer; slot += 1) {
      const bucket = busiest.slots[slot]
      if (bucket && (oldest < 0 || bucket.minute < busiest.slots[oldest]!.minute)) oldest = slot
    }
    if (oldest < 0) return
    busiest.slots[oldest] = undefined
    busiest.buckets -= 1
    this.#buckets -= 1
  }

  /** The epoch minute of an ISO 8601 time; consecutive events mostly share one, parsed once. */
  #minuteOf(time: string): number | undefined {
    if (time.length >= 16 && time.startsWith(this.#lastMinutePrefix) && this.#lastMinutePrefix !== '' && time.endsWith('Z')) return this.#lastMinute
    const ms = Date.parse(time)
    if (Number.isNaN(ms)) return undefined
    const minute = Math.floor(ms / minuteMs)
    if (time.endsWith('Z')) {
      this.#lastMinutePrefix = time.slice(0, 16)
      this.#lastMinute = minute
    }
    return minute
  }
}

function emptyCounts(): Record<Count, number> {
  return { requests: 0, errors: 0, toolErrors: 0, timeouts: 0, retries: 0, sessionRecoveries: 0, tokenRefreshes: 0, signIns: 0 }
}

function addCounts(into: Record<Count, number>, from: Record<Count, number>): void {
  for (const key in from) into[key as Count] += from[key as Count]
}

function percentiles(latency: LatencyHistogram): { p50Ms?: number; p95Ms?: number } {
  if (latency.total === 0) return {}
  return { p50Ms: latency.percentile(0.5)!, p95Ms: latency.percentile(0.95)! }
}

/** Where the hub's diagnostics come from: its log store's appends and its sign-in engine. */
export interface DiagnosticsFeeds {
  readonly logs?: { onAppend(listener: (events: readonly LogEvent[]) => void): () => void }
  readonly tokens?: { onRefreshed(listener: (server: string) => void): () => void }
  readonly signIn?: { onSignedIn(listener: (server: string) => void): () => void }
}

/** Feeds `recorder` from the hub's parts; returns how to stop. */
export function feedDiagnostics(recorder: DiagnosticsRecorder, feeds: DiagnosticsFeeds): () => void {
  const stops = [
    feeds.logs?.onAppend((events) => recorder.record(events)),
    feeds.tokens?.onRefreshed((server) => recorder.tokenRefreshed(server)),
    feeds.signIn?.onSignedIn((server) => recorder.signedIn(server)),
  ]
  return () => {
    for (const stop of stops) stop?.()
  }
}
