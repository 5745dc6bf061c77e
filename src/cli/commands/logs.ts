import { InvalidArgumentError, type Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'
import type { LogEvent } from '../../core/logs/log-event'
import { logsDir } from '../../core/logs/log-files'
import { followEvents, logCursor, loggedServers, readRecentEvents } from '../../core/logs/log-reader'
import { safeText } from '../../shared/safe-text'

function count(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number.')
  return parsed
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** One event as a line a person can scan: time, server, direction, what, and how it went. */
export function formatEvent(event: LogEvent): string {
  const arrow = event.direction === 'to-server' ? '→' : '←'
  const what = [event.method ?? event.kind, event.id === undefined || event.id === null ? undefined : `#${event.id}`]
  const facts = [
    event.bytes === undefined ? undefined : size(event.bytes),
    event.httpStatus === undefined ? undefined : `HTTP ${event.httpStatus}`,
    event.attempt === undefined || event.attempt <= 1 ? undefined : `${event.attempt} attempts`,
    event.latencyMs === undefined ? undefined : `${event.latencyMs} ms`,
    event.outcome,
  ]
  const time = event.time.slice(11, 23)
  const line = [time, event.server, arrow, ...what, ...facts].filter((part) => part !== undefined).join(' ')
  const detail = event.kind === 'error' || event.kind === 'proxy' || event.outcome === 'failed' ? event.preview : undefined
  // Files written by an older version, or by hand, may hold what a server said raw: one clean line each.
  return safeText(detail ? `${line}  ${detail}` : line, { singleLine: true })
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description('Show what the proxies relayed: one line per message, newest last.')
    .argument('[name]', 'only this server (as named in `mcp-tray logs` output)')
    .option('-f, --follow', 'keep printing new events as they come')
    .option('--json', 'print the events as JSON lines')
    .option('-n, --lines <count>', 'how many recent events to print first', count, 50)
    .action(async (name: string | undefined, options: { follow?: boolean; json?: boolean; lines: number }) => {
      const dir = logsDir(resolveDataDir())
      const print = (event: LogEvent) => process.stdout.write(`${options.json ? JSON.stringify(event) : formatEvent(event)}\n`)
      const cursor = logCursor(dir, name)
      const recent = readRecentEvents(dir, name, options.lines, cursor)
      if (recent.length === 0 && !options.follow && !options.json) {
        const servers = loggedServers(dir)
        process.stderr.write(
          servers.length === 0
            ? `No logs yet in ${dir}.\n`
            : `No logs for ${name ?? 'any server'}. Servers with logs: ${servers.join(', ')}\n`,
        )
        return
      }
      for (const event of recent) print(event)
      if (!options.follow) return
      const stop = new AbortController()
      process.on('SIGINT', () => stop.abort()).on('SIGTERM', () => stop.abort())
      for await (const event of followEvents(dir, name, { signal: stop.signal, from: cursor })) print(event)
    })
}
