import type { DoctorReport } from '../../shared/doctor-report'
import type { ServerDiagnostics } from '../../shared/diagnostics'
import type { LogEvent } from '../../shared/log-model'
import type { ServerOptions, ServerStatus, SignInSummary } from '../../shared/server-view'
import { renderDoctorMarkdown } from '../doctor/doctor-markdown'
import { redactText } from '../logs/redaction'

export interface BugReportInput {
  readonly app: { readonly name?: string; readonly version: string; readonly shell?: string }
  /** Where it runs, e.g. `linux x64, Node 20.20.0` (default: this process's). */
  readonly platform?: string
  readonly server: {
    readonly name: string
    readonly url: string
    /** The MCP revision it answered with. */
    readonly revision?: string
    readonly options?: ServerOptions
  }
  readonly status?: ServerStatus
  readonly signIn?: SignInSummary
  /** The server's diagnostics over the window the report covers (the last hour). */
  readonly diagnostics: ServerDiagnostics
  /** Recent failures, oldest first (the last `maxFailures` are shown). */
  readonly failures: readonly LogEvent[]
  /** The doctor's last result: a report, or one already rendered as Markdown. */
  readonly doctor?: DoctorReport | string
  /** When the report is made (epoch ms; default now). */
  readonly now?: number
}

/** Failures a report lists at most. */
export const maxFailures = 20
const maxDetailChars = 200

/**
 * A Markdown bug report about one server, to paste into an issue: the app and platform, the
 * server's URL (without credentials, query or key-like path segments), its sign-in (issuer,
 * scopes, expiry; never a token nor who signed in), its counts and latencies over the window,
 * its recent failures and the doctor's last result. Everything from outside is redacted again.
 */
export function renderBugReport(input: BugReportInput): string {
  const now = input.now ?? Date.now()
  const { server, diagnostics } = input
  const lines: string[] = [
    `# ${input.app.name ?? 'MCP Tray'} bug report: ${cell(server.name)}`,
    '',
    `- Made: ${new Date(now).toISOString()}`,
    `- App: ${input.app.name ?? 'MCP Tray'} ${cell(input.app.version)}${input.app.shell ? ` (${input.app.shell})` : ''}`,
    `- Platform: ${cell(input.platform ?? thisPlatform())}`,
    '',
    '## Server',
    '',
    `- URL: ${reportUrl(server.url)}`,
    ...(server.revision ? [`- Protocol revision: ${cell(server.revision)}`] : []),
    ...optionLines(server.options),
    ...statusLines(input.status),
    '',
    '## Sign-in',
    '',
    ...signInLines(input.signIn, now),
    '',
    `## ${windowWords(diagnostics)}`,
    '',
    ...countLines(diagnostics),
    '',
    '## Recent failures',
    '',
    ...failureLines(input.failures),
  ]
  if (input.doctor !== undefined) {
    lines.push('', typeof input.doctor === 'string' ? input.doctor.trimEnd() : renderDoctorMarkdown(input.doctor).trimEnd())
  }
  return `${lines.join('\n').trimEnd()}\n`
}

function optionLines(options: ServerOptions | undefined): string[] {
  if (!options) return []
  const lines: string[] = []
  if (options.timeoutMs !== undefined) lines.push(`- Timeout: ${duration(options.timeoutMs)}`)
  if (options.scope) lines.push(`- Scopes asked for: ${cell(options.scope)}`)
  if (options.headerNames?.length) lines.push(`- Extra headers: ${options.headerNames.map(cell).join(', ')} (values not shown)`)
  if (options.clientId) lines.push('- Client id: pre-registered (not shown)')
  if (options.redirect) lines.push(`- Sign-in redirect: ${cell(options.redirect.host)}${options.redirect.port ? `:${options.redirect.port}` : ''}${cell(options.redirect.path ?? '')}`)
  return lines
}

function statusLines(status: ServerStatus | undefined): string[] {
  if (!status) return []
  return [
    `- State: ${status.state}, ${status.proxies} prox${status.proxies === 1 ? 'y' : 'ies'} attached`,
    `- Since the hub started: ${plural(status.requests, 'request')}, ${plural(status.errors, 'error')}${status.lastActivity ? `, last activity ${status.lastActivity}` : ''}`,
    ...(status.lastError ? [`- Last error: ${cell(status.lastError)}`] : []),
  ]
}

function signInLines(signIn: SignInSummary | undefined, now: number): string[] {
  if (!signIn) return ['- Not known']
  const lines = [`- State: ${signIn.state}`]
  if (signIn.issuer) lines.push(`- Authorization server: ${reportUrl(signIn.issuer)}`)
  if (signIn.scopes) lines.push(`- Scopes granted: ${signIn.scopes.length > 0 ? signIn.scopes.map(cell).join(' ') : '(none)'}`)
  if (signIn.expiresAt !== undefined) {
    const left = signIn.expiresAt - now
    lines.push(`- Access token expires: ${new Date(signIn.expiresAt).toISOString()} (${left >= 0 ? `in ${duration(left)}` : `${duration(-left)} ago`})`)
  }
  if (signIn.problem) lines.push(`- Problem: ${cell(signIn.problem)}`)
  return lines
}

function windowWords(diagnostics: ServerDiagnostics): string {
  const span = diagnostics.buckets.length * diagnostics.bucketMs
  return span === 60 * 60_000 ? 'Last hour' : `Last ${duration(span)}`
}

function countLines(diagnostics: ServerDiagnostics): string[] {
  const t = diagnostics.totals
  const latency = (ms: number | undefined) => (ms === undefined ? '–' : `${ms} ms`)
  const lines = [
    '| requests | errors | tool errors | timeouts | retries | session recoveries | token refreshes | sign-ins | p50 | p95 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${t.requests} | ${t.errors} | ${t.toolErrors} | ${t.timeouts} | ${t.retries} | ${t.sessionRecoveries} | ${t.tokenRefreshes} | ${t.signIns} | ${latency(t.p50Ms)} | ${latency(t.p95Ms)} |`,
  ]
  const troubled = diagnostics.buckets.filter((b) => b.errors > 0 || b.timeouts > 0).slice(-10)
  if (troubled.length > 0) {
    lines.push('', `Errors by ${duration(diagnostics.bucketMs)} (the last ${troubled.length} with any):`, '')
    lines.push('| from (UTC) | requests | errors | tool errors | timeouts | p50 | p95 |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const b of troubled) {
      lines.push(`| ${new Date(b.start).toISOString().slice(0, 16).replace('T', ' ')} | ${b.requests} | ${b.errors} | ${b.toolErrors} | ${b.timeouts} | ${latency(b.p50Ms)} | ${latency(b.p95Ms)} |`)
    }
  }
  return lines
}

function failureLines(failures: readonly LogEvent[]): string[] {
  if (failures.length === 0) return ['None logged.']
  const shown = failures.slice(-maxFailures)
  const lines = [
    ...(failures.length > shown.length ? [`The last ${shown.length} of ${failures.length}:`, ''] : []),
    '| time (UTC) | what | outcome | HTTP | latency | detail |',
    '| --- | --- | --- | ---: | ---: | --- |',
  ]
  for (const event of shown) {
    const what = [event.method ?? event.kind, event.tool, event.id === undefined || event.id === null ? undefined : `#${String(event.id)}`]
      .filter((part) => part !== undefined)
      .map((part) => cell(String(part)))
      .join(' ')
    const detail = event.preview ? `\`${cell(clip(event.preview, maxDetailChars)).replace(/`/g, "'")}\`` : ''
    lines.push(
      `| ${event.time.slice(0, 23).replace('T', ' ')} | ${what} | ${event.outcome} | ${event.httpStatus ?? ''} | ${event.latencyMs === undefined ? '' : `${event.latencyMs} ms`} | ${detail} |`,
    )
  }
  return lines
}

/**
 * The URL as a report may show it: no user or password, no query or fragment (where tokens and
 * codes travel), and path segments that look like keys (long, letters and digits mixed) masked,
 * as some servers put an API key in the path.
 */
export function reportUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return cell(raw)
  }
  const hadQuery = url.search !== ''
  url.username = ''
  url.password = ''
  url.search = ''
  url.hash = ''
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (looksLikeKey(segment) ? '[redacted]' : segment))
    .join('/')
  return `${cell(url.href.replace(/%5Bredacted%5D/g, '[redacted]'))}${hadQuery ? ' (query removed)' : ''}`
}

function looksLikeKey(segment: string): boolean {
  return segment.length >= 20 && /[0-9]/.test(segment) && /[A-Za-z]/.test(segment) && /^[A-Za-z0-9_.~%-]+$/.test(segment)
}

/** Redacted, on one line, safe inside a Markdown table cell. */
function cell(text: string): string {
  return redactText(text)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim()
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`
  return `${Math.round(ms / 360_000) / 10} h`
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

function thisPlatform(): string {
  const electron = process.versions.electron ? `, Electron ${process.versions.electron}` : ''
  return `${process.platform} ${process.arch}, Node ${process.versions.node}${electron}`
}
