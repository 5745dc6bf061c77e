import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderBugReport, reportUrl, type BugReportInput } from '../../../src/core/diagnostics/bug-report'
import { DiagnosticsRecorder } from '../../../src/core/diagnostics/diagnostics-recorder'
import { hubDiagnostics } from '../../../src/core/diagnostics/hub-diagnostics'
import { LogStore } from '../../../src/core/logs/log-store'
import type { DoctorReport } from '../../../src/shared/doctor-report'
import type { LogEvent } from '../../../src/shared/log-model'
import type { ServerView } from '../../../src/shared/server-view'

const now = Date.UTC(2026, 0, 1, 12, 30, 0)
const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ'

function failure(minutesAgo: number, extra: Partial<LogEvent>): LogEvent {
  return { time: new Date(now - minutesAgo * 60_000).toISOString(), server: 'acme', direction: 'to-client', kind: 'error', method: 'tools/call', outcome: 'failed', ...extra }
}

const doctor: DoctorReport = {
  target: 'acme',
  server: 'acme',
  url: 'https://mcp.acme.test/mcp?token=abc',
  startedAt: new Date(now - 60_000).toISOString(),
  durationMs: 850,
  healthy: false,
  steps: [
    { id: 'dns', title: 'DNS', status: 'pass', durationMs: 4, summary: 'mcp.acme.test resolves.' },
    { id: 'mcp-endpoint', title: 'MCP endpoint', status: 'fail', durationMs: 300, summary: 'POST initialize got HTTP 401 without WWW-Authenticate.', diagnosis: 'no-www-authenticate', fix: { text: 'Ask the operator to send a challenge.' } },
  ],
  diagnoses: ['no-www-authenticate'],
}

function input(extra: Partial<BugReportInput> = {}): BugReportInput {
  const recorder = new DiagnosticsRecorder({ now: () => now })
  recorder.record([
    { time: new Date(now - 5 * 60_000).toISOString(), server: 'acme', direction: 'to-server', kind: 'request', method: 'tools/call', outcome: 'sent', attempt: 2 },
    { time: new Date(now - 5 * 60_000).toISOString(), server: 'acme', direction: 'to-client', kind: 'response', method: 'tools/call', tool: 'search', outcome: 'tool-error', latencyMs: 420 },
    failure(3, { outcome: 'timeout', latencyMs: 60_000, preview: 'acme did not answer tools/call within 60 s' }),
  ])
  return {
    app: { version: '0.1.0', shell: 'headless' },
    platform: 'linux x64, Node 20.20.0',
    server: {
      name: 'acme | prod',
      url: 'https://alice:hunter2@mcp.acme.test/u/sk1a2b3c4d5e6f7g8h9i0jkl/mcp?api_key=s3cret#frag',
      revision: '2025-11-25',
      options: { timeoutMs: 60_000, scope: 'mcp:read', headerNames: ['X-Tenant'], clientId: 'my-client' },
    },
    status: { server: 'acme | prod', state: 'error', proxies: 2, requests: 40, errors: 3, lastError: `tools/call: Authorization: Bearer ${jwt} refused` },
    signIn: { state: 'signed-in', subject: 'alice@example.com', issuer: 'https://auth.acme.test/?x=1', expiresAt: now + 42 * 60_000, scopes: ['mcp:read', 'offline_access'] },
    diagnostics: recorder.query({ server: 'acme' }),
    failures: [
      failure(4, { tool: 'search', id: 7, httpStatus: 502, latencyMs: 130, preview: `upstream said | Bearer ${jwt} and \`ticks\`\nsecond line` }),
      failure(3, { outcome: 'timeout', id: 8, latencyMs: 60_000, preview: 'acme did not answer tools/call within 60 s' }),
    ],
    now,
    ...extra,
  }
}

describe('renderBugReport', () => {
  it('says what a maintainer needs, and nothing secret', () => {
    const report = renderBugReport(input({ doctor }))
    expect(report).toContain('# MCP Tray bug report: acme \\| prod')
    expect(report).toContain('- App: MCP Tray 0.1.0 (headless)')
    expect(report).toContain('- Platform: linux x64, Node 20.20.0')
    expect(report).toContain('- URL: https://mcp.acme.test/u/[redacted]/mcp (query removed)')
    expect(report).toContain('- Protocol revision: 2025-11-25')
    expect(report).toContain('- Extra headers: X-Tenant (values not shown)')
    expect(report).toContain('- State: error, 2 proxies attached')
    expect(report).toContain('- Scopes granted: mcp:read offline_access')
    expect(report).toContain('- Access token expires: 2026-01-01T13:12:00.000Z (in 42 min)')
    expect(report).toContain('- Authorization server: https://auth.acme.test/ (query removed)')
    expect(report).toContain('| 1 | 2 | 1 | 1 | 1 | 0 | 0 | 0 | 420 ms | 420 ms |')
    expect(report).toMatch(/\| 2026-01-01 12:26:00\.000 \| tools\/call search #7 \| failed \| 502 \| 130 ms \| `upstream said \\\| Bearer \[redacted\] and 'ticks' second line` \|/)
    expect(report).toContain('## MCP Tray doctor: acme')
    expect(report).toContain('FAIL: MCP endpoint')
    for (const secret of [jwt, 'hunter2', 's3cret', 'sk1a2b3c4d5e6f7g8h9i0jkl', 'alice@example.com', 'my-client', 'frag', 'token=abc']) expect(report).not.toContain(secret)
    // A pasted report is one Markdown document: every table row stays on its line.
    for (const line of report.split('\n').filter((l) => l.startsWith('|'))) expect(line.endsWith('|')).toBe(true)
  })

  it('takes a doctor result already rendered, and says when there is nothing to show', () => {
    const report = renderBugReport(input({ doctor: '## Doctor\n\nall good\n', failures: [], signIn: undefined, status: undefined }))
    expect(report).toContain('None logged.')
    expect(report).toContain('## Sign-in\n\n- Not known')
    expect(report.trimEnd().endsWith('all good')).toBe(true)
  })

  it('shows a URL without what may be secret in it', () => {
    expect(reportUrl('http://127.0.0.1:3000/mcp')).toBe('http://127.0.0.1:3000/mcp')
    expect(reportUrl('https://x.test/v1/2025-11-25/mcp')).toBe('https://x.test/v1/2025-11-25/mcp')
    expect(reportUrl('not a url | at all')).toBe('not a url \\| at all')
  })
})

describe('hubDiagnostics', () => {
  it('puts a server’s report together from its view, its diagnostics and its recent failures in the log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-tray-bugreport-'))
    const logs = new LogStore({ dir })
    try {
      const recorder = new DiagnosticsRecorder()
      logs.onAppend((events) => recorder.record(events))
      const time = new Date().toISOString()
      logs.append([
        { time, server: 'acme', direction: 'to-server', kind: 'request', method: 'tools/call', tool: 'fail', id: 1, outcome: 'sent' },
        { time, server: 'acme', direction: 'to-client', kind: 'response', method: 'tools/call', tool: 'fail', id: 1, outcome: 'tool-error', latencyMs: 12, preview: '{"isError":true}' },
        { time, server: 'other', direction: 'to-client', kind: 'error', method: 'tools/call', id: 2, outcome: 'timeout' },
      ])
      const view = { server: 'acme', state: 'connected', proxies: 1, requests: 1, errors: 1, url: 'https://mcp.acme.test/mcp', options: {}, signIn: { state: 'signed-out' }, clients: [], recentLatencyMs: [] } satisfies ServerView
      const diagnostics = hubDiagnostics({ recorder, logs, server: async (name) => (name === 'acme' ? view : undefined), app: { version: '9.9.9' } })
      const report = await diagnostics.bugReport('acme')
      expect(report).toContain('MCP Tray 9.9.9')
      expect(report).toMatch(/\| tools\/call fail #1 \| tool-error \|/)
      expect(report).not.toContain('| timeout |')
      expect(report).toContain('Errors by 1 min (the last 1 with any)')
      expect(report).toContain('1 request, 1 error')
      expect(diagnostics.query({ server: 'acme' }).totals).toMatchObject({ requests: 1, toolErrors: 1 })
      expect(diagnostics.recentLatencies('acme')).toEqual([12])
      await expect(diagnostics.bugReport('nobody')).rejects.toMatchObject({ code: 'server_not_found' })
    } finally {
      await logs.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
