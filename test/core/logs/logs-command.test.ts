import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogEvent } from '../../../src/core/logs/log-event'
import { RotatingFileSink, logsDir } from '../../../src/core/logs/log-files'
import { readRecentEvents } from '../../../src/core/logs/log-reader'

const run = promisify(execFile)
const builtCli = join(import.meta.dirname, '..', '..', '..', 'out', 'cli', 'index.js')

function event(server: string, n: number, extra: Partial<LogEvent> = {}): LogEvent {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    server,
    direction: n % 2 ? 'to-server' : 'to-client',
    kind: n % 2 ? 'request' : 'response',
    method: 'tools/call',
    id: n,
    bytes: 100 + n,
    outcome: n % 2 ? 'sent' : 'ok',
    ...extra,
  }
}

describe('mcp-tray logs', () => {
  let home: string
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-logs-cli-'))
  })
  afterEach(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('reads recent events across rotated files, oldest first', async () => {
    const sink = new RotatingFileSink({ dir: logsDir(home), maxBytes: 600, files: 4 })
    for (let i = 1; i <= 12; i += 1) sink.write(event('alpha', i))
    await sink.close()
    const events = readRecentEvents(logsDir(home), 'alpha', 5)
    expect(events.map((e) => e.id)).toEqual([8, 9, 10, 11, 12])
  })

  it('prints one server’s events as text or JSON lines', async () => {
    const sink = new RotatingFileSink({ dir: logsDir(home) })
    sink.write(event('alpha', 1, { httpStatus: 200 }))
    sink.write(event('alpha', 2, { latencyMs: 12 }))
    sink.write(event('beta', 3))
    await sink.close()
    const env = { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: home }
    const text = (await run(process.execPath, [builtCli, 'logs', 'alpha'], { env })).stdout.trim().split('\n')
    expect(text).toEqual(['00:00:01.000 alpha → tools/call #1 101 B HTTP 200 sent', '00:00:02.000 alpha ← tools/call #2 102 B 12 ms ok'])
    const json = (await run(process.execPath, [builtCli, 'logs', '--json'], { env })).stdout.trim().split('\n')
    expect(json.map((line) => JSON.parse(line).server)).toEqual(['alpha', 'alpha', 'beta'])
  })

  it('follows new events', async () => {
    const sink = new RotatingFileSink({ dir: logsDir(home) })
    sink.write(event('alpha', 1))
    const child = spawn(process.execPath, [builtCli, 'logs', 'alpha', '--follow', '--json'], {
      env: { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: home },
    })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
    })
    await expect.poll(() => out).toContain('"id":1')
    sink.write(event('alpha', 2))
    await expect.poll(() => out, { timeout: 3000 }).toContain('"id":2')
    child.kill('SIGINT')
    await new Promise((resolve) => child.once('exit', resolve))
    await sink.close()
  })
})
