/** Counts for one server in one time bucket. */
export interface DiagnosticsBucket {
  /** Epoch ms of the bucket's start. */
  readonly start: number
  readonly requests: number
  readonly errors: number
  readonly toolErrors: number
  readonly timeouts: number
  readonly retries: number
  readonly sessionRecoveries: number
  readonly tokenRefreshes: number
  readonly signIns: number
  /** Latency percentiles of the answers in the bucket, in ms; absent without answers. */
  readonly p50Ms?: number
  readonly p95Ms?: number
}

export interface DiagnosticsQuery {
  readonly server: string
  /** How far back, in ms (default one hour). */
  readonly windowMs?: number
  /** Bucket width, in ms (default one minute). */
  readonly bucketMs?: number
}

export interface ServerDiagnostics {
  readonly server: string
  readonly bucketMs: number
  /** Oldest first, contiguous, covering the window up to now (empty buckets included). */
  readonly buckets: readonly DiagnosticsBucket[]
  /** Sums over the window (percentiles over all its answers). */
  readonly totals: Omit<DiagnosticsBucket, 'start'>
}
