import type { DiagnosticsQuery, ServerDiagnostics } from '../../shared/diagnostics'
import type { DoctorReport } from '../../shared/doctor-report'
import type { LogPage, LogQuery } from '../../shared/log-model'
import type { ServerView } from '../../shared/server-view'
import { TrayError } from '../../shared/tray-error'
import { maxFailures, renderBugReport } from './bug-report'
import type { DiagnosticsRecorder } from './diagnostics-recorder'

export interface HubDiagnosticsParts {
  readonly recorder: Pick<DiagnosticsRecorder, 'query' | 'recentLatencies'>
  readonly logs: { query(query: LogQuery): Promise<LogPage> }
  /** The server as the dashboard shows it (URL, options, status, sign-in), if there is one by that name. */
  readonly server: (name: string) => Promise<ServerView | undefined>
  readonly app: { readonly name?: string; readonly version: string; readonly shell?: string }
}

/** How far back a bug report's counts and timings go. */
const reportWindowMs = 60 * 60_000

/**
 * The diagnostics as the dashboard asks for them: a server's counts over time, the latencies of
 * its last answers (the server list's sparkline), and the bug report, put together from the
 * server's view, its diagnostics over the last hour, its recent failures in the log and the
 * doctor's last result.
 */
export function hubDiagnostics(parts: HubDiagnosticsParts) {
  return {
    query: (query: DiagnosticsQuery): ServerDiagnostics => parts.recorder.query(query),
    recentLatencies: (server: string): number[] => parts.recorder.recentLatencies(server),
    async bugReport(name: string, lastDoctor?: DoctorReport): Promise<string> {
      const view = await parts.server(name)
      if (!view) {
        throw new TrayError('server_not_found', `No server named "${name}".`, { hint: 'Pick a server from the list, or add it first.' })
      }
      const failures = await parts.logs.query({ server: name, errorsOnly: true, limit: maxFailures })
      return renderBugReport({
        app: parts.app,
        server: { name: view.server, url: view.url, options: view.options, ...(view.revision ? { revision: view.revision } : {}) },
        status: view,
        signIn: view.signIn,
        diagnostics: parts.recorder.query({ server: name, windowMs: reportWindowMs, bucketMs: 60_000 }),
        failures: failures.events,
        ...(lastDoctor ? { doctor: lastDoctor } : {}),
      })
    },
  }
}
