import { parseArgs } from 'node:util'

/** How much of each figure to measure. */
export interface BenchSettings {
  /** Spawns per proxy (and bare node runs) for the start figure. */
  readonly spawns: number
  readonly warmupCalls: number
  /** Sequential echo calls for p50/p99. */
  readonly latencyCalls: number
  /** Echo calls for the throughput figure, `inFlight` at a time. */
  readonly throughputCalls: number
  readonly inFlight: number
  readonly bigBytes: number
  readonly bigRepeats: number
  /** Each call-based figure is measured in this many slices, taking turns between contenders, so drift on a shared machine hits all alike. */
  readonly rounds: number
  /** The one huge event a hostile server sends in the memory figures (see hostile.ts). */
  readonly hostileEventBytes: number
  /** Log events sent through the hub to the dashboard, and then scrolled in its Live log (see dashboard.ts). */
  readonly dashboardEvents: number
}

export interface BenchOptions {
  readonly settings: BenchSettings
  readonly markdown: boolean
  readonly jsonPath: string | undefined
  readonly help: boolean
}

/** Decimal, as the targets are stated: 1 MB = 1,000,000 bytes. */
export const megabyte = 1_000_000

export const fullSettings: BenchSettings = {
  spawns: 15,
  warmupCalls: 200,
  latencyCalls: 2000,
  throughputCalls: 3000,
  inFlight: 32,
  bigBytes: 10 * megabyte,
  bigRepeats: 5,
  rounds: 4,
  hostileEventBytes: 100 * megabyte,
  dashboardEvents: 100_000,
}

export const quickSettings: BenchSettings = {
  spawns: 3,
  warmupCalls: 20,
  latencyCalls: 200,
  throughputCalls: 320,
  inFlight: 32,
  bigBytes: 10 * megabyte,
  bigRepeats: 2,
  rounds: 2,
  hostileEventBytes: 100 * megabyte,
  dashboardEvents: 100_000,
}

export const usage = `Usage: npm run bench -- [options]

Compares a direct SDK client, the MCP Tray proxy and mcp-remote against the fixture server on 127.0.0.1.

  --quick                 small counts, for a fast look (figures are noisier)
  --spawns <n>            spawns per proxy for the start figure (default ${fullSettings.spawns})
  --calls <n>             sequential echo calls for p50/p99 (default ${fullSettings.latencyCalls})
  --throughput-calls <n>  echo calls for the throughput figure (default ${fullSettings.throughputCalls})
  --in-flight <n>         requests outstanding for the throughput figure (default ${fullSettings.inFlight})
  --big-mb <n>           size of the large tool result in MB (default ${fullSettings.bigBytes / megabyte})
  --big-repeats <n>       large results timed per contender (default ${fullSettings.bigRepeats})
  --dashboard-events <n>  log events sent to the dashboard and scrolled (default ${fullSettings.dashboardEvents})
  --markdown              also print the table as Markdown (as in README.md)
  --json <file>           write the results as JSON to <file>
  --help                  show this text
`

function positive(name: string, raw: string | undefined, fallback: number, integer = true): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} expects a positive ${integer ? 'whole ' : ''}number, not "${raw}"`)
  }
  return value
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      spawns: { type: 'string' },
      calls: { type: 'string' },
      'throughput-calls': { type: 'string' },
      'in-flight': { type: 'string' },
      'big-mb': { type: 'string' },
      'big-repeats': { type: 'string' },
      'dashboard-events': { type: 'string' },
      markdown: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  const base = values.quick ? quickSettings : fullSettings
  return {
    settings: {
      ...base,
      spawns: positive('spawns', values.spawns, base.spawns),
      latencyCalls: positive('calls', values.calls, base.latencyCalls),
      throughputCalls: positive('throughput-calls', values['throughput-calls'], base.throughputCalls),
      inFlight: positive('in-flight', values['in-flight'], base.inFlight),
      bigBytes: Math.round(positive('big-mb', values['big-mb'], base.bigBytes / megabyte, false) * megabyte),
      bigRepeats: positive('big-repeats', values['big-repeats'], base.bigRepeats),
      dashboardEvents: positive('dashboard-events', values['dashboard-events'], base.dashboardEvents),
    },
    markdown: values.markdown,
    jsonPath: values.json,
    help: values.help,
  }
}
