import type { HostileFigures, HostileRow } from './hostile'
import { megabyte } from './options'
import type { BenchResults, ContenderFigures } from './results'

export interface Verdict {
  readonly target: string
  readonly met: boolean
  readonly detail: string
}

/** The targets the MCP Tray proxy is held to. */
export const targets = {
  startOverBareNode: 1.5,
  p50OverheadMs: 0.5,
  peakRssBytes: 60 * megabyte,
  hostilePeakRssBytes: 400 * megabyte,
  /** Log events a second the hub takes in with the dashboard's Live log open, none dropped. */
  dashboardIngestPerSecond: 20_000,
  /** One 60 Hz frame, plus the 0.3 ms by which the browser's frame timestamps round it. */
  scrollFrameP95Ms: 17,
} as const

interface Row {
  readonly figure: string
  readonly baseline: string
  readonly cells: readonly string[]
}

export function formatMs(ms: number): string {
  const digits = ms < 10 ? 2 : ms < 100 ? 1 : 0
  return `${ms.toFixed(digits)} ms`
}

function formatSignedMs(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${formatMs(Math.abs(ms))}`
}

export function formatMb(bytes: number): string {
  return `${(bytes / megabyte).toFixed(1)} MB`
}

function rss(bytes: number | undefined): string {
  return bytes === undefined ? 'not readable' : formatMb(bytes)
}

function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`
}

function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} calls/s`
}

function byId(results: BenchResults, id: ContenderFigures['id']): ContenderFigures {
  const found = results.contenders.find((figures) => figures.id === id)
  if (!found) throw new Error(`no figures for ${id}`)
  return found
}

function proxies(results: BenchResults): ContenderFigures[] {
  return results.contenders.filter((figures) => figures.id !== 'direct')
}

/** A proxy's peak RSS against a hostile server, and what it answered; `notRun` for a proxy not put to it. */
function hostileCell(figures: HostileFigures | undefined, notRun: string): string {
  if (!figures) return notRun
  const answer = figures.answer === 'none' ? 'no answer' : figures.answer === 'error' ? 'answered with an error' : 'relayed it'
  return `${rss(figures.peakRssBytes)} (${answer}; next call ${figures.answeredNext ? 'answered' : 'not answered'})`
}

function hostileRows(results: BenchResults, bareRss: string): Row[] {
  const label = (row: HostileRow): string =>
    row.scenario === 'big-event' ? `proxy peak RSS: server sends one ${formatMb(row.bytes).replace('.0 ', ' ')} event` : 'proxy peak RSS: server sends a data: line that never ends'
  return results.hostile.map((row) => ({
    figure: label(row),
    baseline: bareRss,
    cells: proxies(results).map((f) => hostileCell(row.contenders.find((c) => c.id === f.id), 'not run: it reads a line without a limit')),
  }))
}

/** Rows with absolute figures and, in brackets, the comparison with the baseline of the same run. */
export function tableRows(results: BenchResults): Row[] {
  const { bareNode, settings } = results
  const direct = byId(results, 'direct')
  const each = (cell: (figures: ContenderFigures) => string): string[] => proxies(results).map(cell)
  const bigLabel = formatMb(settings.bigBytes).replace('.0 ', ' ')
  const bareStart = `node -e "": ${formatMs(bareNode.startMs)}`
  const bareRss = `node -e "": ${formatMb(bareNode.peakRssBytes)}`
  const start = (ms: number | undefined): string => (ms === undefined ? '—' : `${formatMs(ms)} (${formatRatio(ms / bareNode.startMs)} node)`)
  return [
    {
      figure: `start: spawn → initialize result (median of ${settings.spawns})`,
      baseline: bareStart,
      cells: each((f) => start(f.startMs)),
    },
    {
      figure: 'first start, fresh data directory',
      baseline: bareStart,
      cells: each((f) => start(f.firstStartMs)),
    },
    {
      figure: `echo tools/call p50 (${settings.latencyCalls} sequential)`,
      baseline: `direct: ${formatMs(direct.echoP50Ms)}`,
      cells: each((f) => `${formatMs(f.echoP50Ms)} (${formatSignedMs(f.echoP50Ms - direct.echoP50Ms)})`),
    },
    {
      figure: 'echo tools/call p99',
      baseline: `direct: ${formatMs(direct.echoP99Ms)}`,
      cells: each((f) => `${formatMs(f.echoP99Ms)} (${formatSignedMs(f.echoP99Ms - direct.echoP99Ms)})`),
    },
    {
      figure: `throughput, ${settings.inFlight} in flight (${settings.throughputCalls} calls)`,
      baseline: `direct: ${formatRate(direct.callsPerSecond)}`,
      cells: each((f) => `${formatRate(f.callsPerSecond)} (${formatRatio(f.callsPerSecond / direct.callsPerSecond)})`),
    },
    {
      figure: `${bigLabel} tool result (median of ${settings.bigRepeats})`,
      baseline: `direct: ${formatMs(direct.bigMs)}`,
      cells: each((f) => `${formatMs(f.bigMs)} (${formatSignedMs(f.bigMs - direct.bigMs)})`),
    },
    {
      figure: 'proxy peak RSS: connected, no call yet',
      baseline: bareRss,
      cells: each((f) => rss(f.peakRssConnectedBytes)),
    },
    {
      figure: 'proxy peak RSS: after the small calls',
      baseline: bareRss,
      cells: each((f) => rss(f.peakRssSmallCallsBytes)),
    },
    {
      figure: `proxy peak RSS: whole run, ${bigLabel} results included`,
      baseline: bareRss,
      cells: each((f) => rss(f.peakRssBytes)),
    },
    ...hostileRows(results, bareRss),
  ]
}

function formatEvents(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} events/s`
}

/** The dashboard's own table: the hub's ingest with a page subscribed, and the Live log scrolled. */
export function dashboardRows(results: BenchResults): Row[] {
  const dashboard = results.dashboard
  if (!dashboard) return []
  const events = dashboard.events.toLocaleString('en-US')
  return [
    {
      figure: `hub ingest, ${events} log events, Live log open in Chromium`,
      baseline: `hub alone: ${formatEvents(dashboard.ingestAlonePerSecond)}`,
      cells: [
        `${formatEvents(dashboard.ingestSubscribedPerSecond)} (${formatRatio(dashboard.ingestSubscribedPerSecond / dashboard.ingestAlonePerSecond)}); ${dashboard.delivered.toLocaleString('en-US')} delivered`,
      ],
    },
    {
      figure: `Live log holding ${events} rows, scrolled end to end: frame time p95`,
      baseline: `idle page: ${formatMs(dashboard.idleFrameP95Ms)}; plain list: ${formatMs(dashboard.plainListFrameP95Ms)}`,
      cells: [`${formatMs(dashboard.scrollFrameP95Ms)} (p50 ${formatMs(dashboard.scrollFrameP50Ms)})`],
    },
  ]
}

export function dashboardVerdicts(results: BenchResults): Verdict[] {
  const dashboard = results.dashboard
  if (!dashboard) return []
  return [
    {
      target: `dashboard: hub ingest ≥ ${formatEvents(targets.dashboardIngestPerSecond)} with the Live log open, none dropped`,
      met: dashboard.ingestSubscribedPerSecond >= targets.dashboardIngestPerSecond && dashboard.delivered === dashboard.events,
      detail: `${formatEvents(dashboard.ingestSubscribedPerSecond)}, ${dashboard.delivered.toLocaleString('en-US')} of ${dashboard.events.toLocaleString('en-US')} delivered`,
    },
    {
      target: `dashboard: Live log scroll frame p95 within one 60 Hz frame (≤ ${targets.scrollFrameP95Ms} ms with timestamp rounding)`,
      met: dashboard.scrollFrameP95Ms <= targets.scrollFrameP95Ms,
      detail: formatMs(dashboard.scrollFrameP95Ms),
    },
  ]
}

/** Where `ours` is not ahead of `theirs`, by figure name. */
export function figuresBehind(ours: ContenderFigures, theirs: ContenderFigures): string[] {
  const lower = (a: number | undefined, b: number | undefined): boolean => a !== undefined && (b === undefined || a < b)
  const checks: [string, boolean][] = [
    ['start', lower(ours.startMs, theirs.startMs)],
    ['p50', ours.echoP50Ms < theirs.echoP50Ms],
    ['p99', ours.echoP99Ms < theirs.echoP99Ms],
    ['throughput', ours.callsPerSecond > theirs.callsPerSecond],
    ['large result', ours.bigMs < theirs.bigMs],
    ['peak RSS', lower(ours.peakRssBytes, theirs.peakRssBytes)],
  ]
  return checks.filter(([, ahead]) => !ahead).map(([name]) => name)
}

export function verdicts(results: BenchResults): Verdict[] {
  const ours = byId(results, 'mcp-tray')
  const theirs = byId(results, 'mcp-remote')
  const direct = byId(results, 'direct')
  const startRatio = ours.startMs === undefined ? Number.POSITIVE_INFINITY : ours.startMs / results.bareNode.startMs
  const overhead = ours.echoP50Ms - direct.echoP50Ms
  const behind = figuresBehind(ours, theirs)
  return [
    {
      target: `start ≤ ${targets.startOverBareNode}× bare node`,
      met: startRatio <= targets.startOverBareNode,
      detail: `${formatRatio(startRatio)} (${ours.startMs === undefined ? '—' : formatMs(ours.startMs)} vs ${formatMs(results.bareNode.startMs)})`,
    },
    {
      target: `p50 overhead ≤ ${targets.p50OverheadMs} ms over direct`,
      met: overhead <= targets.p50OverheadMs,
      detail: formatSignedMs(overhead),
    },
    {
      target: `peak RSS ≤ ${formatMb(targets.peakRssBytes).replace('.0 ', ' ')}`,
      met: ours.peakRssBytes !== undefined && ours.peakRssBytes <= targets.peakRssBytes,
      detail: ours.peakRssBytes === undefined ? 'not readable' : formatMb(ours.peakRssBytes),
    },
    hostileVerdict(results),
    {
      target: 'ahead of mcp-remote on every figure',
      met: behind.length === 0,
      detail: behind.length === 0 ? 'ahead on all six' : `behind on ${behind.join(', ')}`,
    },
  ]
}

/** Against a hostile server, MCP Tray's proxy stays under its bound and answers the next call. */
function hostileVerdict(results: BenchResults): Verdict {
  const ours = results.hostile.map((row) => row.contenders.find((c) => c.id === 'mcp-tray')).filter((f) => f !== undefined)
  const peaks = ours.map((f) => f.peakRssBytes)
  const highest = peaks.every((peak) => peak !== undefined) && peaks.length > 0 ? Math.max(...(peaks as number[])) : undefined
  return {
    target: `peak RSS ≤ ${formatMb(targets.hostilePeakRssBytes).replace('.0 ', ' ')} against a hostile server, next call answered`,
    met: highest !== undefined && highest <= targets.hostilePeakRssBytes && ours.every((f) => f.answeredNext),
    detail: `${highest === undefined ? 'not readable' : formatMb(highest)} at most; next call ${ours.every((f) => f.answeredNext) ? 'answered' : 'not answered'} each time`,
  }
}

/** One sentence on how many targets the proxy met, naming the ones it missed. */
export function verdictSummary(all: readonly Verdict[]): string {
  const missed = all.filter((verdict) => !verdict.met)
  const met = `The MCP Tray proxy met ${all.length - missed.length} of its ${all.length} targets in this run`
  return missed.length === 0 ? `${met}.` : `${met}; it missed: ${missed.map((verdict) => verdict.target).join('; ')}.`
}

function header(results: BenchResults): string[] {
  return ['figure', 'baseline', ...proxies(results).map((f) => f.label)]
}

function machine(results: BenchResults): string {
  const { environment: env } = results
  return `${env.cpuCount} cores (${env.cpuModel}), ${env.platform} ${env.arch}, Node ${env.node}, load average ${env.loadAverage[0] ?? '?'} at the start`
}

function verdictLine(verdict: Verdict): string {
  return `${verdict.met ? 'met   ' : 'MISSED'}  ${verdict.target}: ${verdict.detail}`
}

export function renderText(results: BenchResults): string {
  const rows = [header(results), ...tableRows(results).map((row) => [row.figure, row.baseline, ...row.cells])]
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)))
  const line = (row: string[]): string => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [
    `MCP Tray bench: ${machine(results)}, ${results.environment.durationSeconds.toFixed(0)} s`,
    '',
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    '',
    `A direct client's initialize round trip (no spawn): ${formatMs(results.directConnectMs)}.`,
    '',
    'MCP Tray proxy against its targets:',
    ...verdicts(results).map((verdict) => `  ${verdictLine(verdict)}`),
    verdictSummary(verdicts(results)),
    ...dashboardText(results),
    '',
  ].join('\n')
}

function dashboardText(results: BenchResults): string[] {
  const rows = dashboardRows(results)
  if (rows.length === 0) return ['', 'Dashboard: not measured (no Chromium at /usr/bin/chromium).']
  return [
    '',
    'Dashboard (the built `mcp-tray serve` and Debian\'s Chromium):',
    ...rows.map((row) => `  ${row.figure}: ${row.cells.join('')} [baseline ${row.baseline}]`),
    ...dashboardVerdicts(results).map((verdict) => `  ${verdictLine(verdict)}`),
  ]
}

function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|')
}

export function renderMarkdown(results: BenchResults): string {
  const row = (cells: string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`
  const head = header(results)
  return [
    `Measured on ${machine(results)}, ${results.environment.startedAt.slice(0, 10)}.`,
    '',
    row(head),
    row(head.map(() => '---')),
    ...tableRows(results).map((r) => row([r.figure, r.baseline, ...r.cells])),
    '',
    `A direct client's initialize round trip (no spawn) took ${formatMs(results.directConnectMs)}.`,
    '',
    'MCP Tray proxy against its targets:',
    '',
    ...verdicts(results).map((v) => `- ${v.met ? 'met' : '**missed**'}: ${v.target}: ${v.detail}`),
    '',
    verdictSummary(verdicts(results)),
    ...dashboardMarkdown(results, row),
    '',
  ].join('\n')
}

function dashboardMarkdown(results: BenchResults, row: (cells: string[]) => string): string[] {
  const rows = dashboardRows(results)
  if (rows.length === 0) return []
  return [
    '',
    'The dashboard, against the built `mcp-tray serve` in Debian\'s Chromium:',
    '',
    row(['figure', 'baseline', 'MCP Tray dashboard']),
    row(['---', '---', '---']),
    ...rows.map((r) => row([r.figure, r.baseline, ...r.cells])),
    '',
    ...dashboardVerdicts(results).map((v) => `- ${v.met ? 'met' : '**missed**'}: ${v.target}: ${v.detail}`),
  ]
}
