import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startHub, type RunningHub } from '../../src/core/hub/hub-runtime'
import type { LogEvent } from '../../src/core/logs/log-event'
import { logFileStem, logsDir } from '../../src/core/logs/log-files'
import { parseLogEvent } from '../../src/core/logs/log-event'
import { startRemoteServer, type RemoteServer } from '../fixtures/remote-server'
import { builtCli, initializeLine, spawnRawProxy } from '../core/proxy/spawn-proxy'

const run = promisify(execFile)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until<T>(check: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`)
    await sleep(25)
  }
}

/** The files a process holds open, as paths (Linux). */
function openFiles(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/${pid}/fd/${fd}`)]
      } catch {
        return []
      }
    })
  } catch {
    return []
  }
}

/**
 * The proxies' logs as the issue asks: every relayed message is an event sent to the hub in
 * batches, the hub keeps a ring per server and is the one writer of the JSONL files; without a
 * hub the proxy writes its own files and finds the hub once it appears.
 */
describe('proxy logs through the hub', () => {
  let server: RemoteServer
  let home: string
  let hub: RunningHub | undefined
  const env = () => ({ PATH: process.env.PATH ?? '', MCP_TRAY_HOME: home })
  const logFile = () => join(logsDir(home), `${logFileStem('fixture')}.jsonl`)
  // A server without sign-in: the hub only needs to say there is no token.
  const openHub = async () => (hub = await startHub({ dataDir: home, handlers: new Map([['token', async () => ({ token: null })]]) }))

  beforeAll(async () => {
    server = await startRemoteServer({ authRequired: false })
  })
  afterAll(async () => {
    await server.close()
  })
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-e2e-logs-'))
    await run(process.execPath, [builtCli, 'add', server.mcpUrl, '--name', 'fixture'], { env: env() })
  })
  afterEach(async () => {
    await hub?.close()
    hub = undefined
    await rm(home, { recursive: true, force: true })
  })

  function proxyClient(): { client: Client; transport: StdioClientTransport } {
    const transport = new StdioClientTransport({ command: process.execPath, args: [builtCli, 'proxy', 'fixture'], env: env(), stderr: 'pipe' })
    return { client: new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' }), transport }
  }

  it('has two proxies of one server logging through one writer, every event in the ring and the file, none corrupt', async () => {
    const { logs, status } = await openHub()
    const a = proxyClient()
    const b = proxyClient()
    await Promise.all([a.client.connect(a.transport), b.client.connect(b.transport)])
    const calls = 60
    try {
      await until(() => status.get('fixture').proxies === 2, 5_000)
      await Promise.all(
        [a, b].flatMap(({ client }, which) =>
          Array.from({ length: calls }, (_, i) => client.callTool({ name: 'echo', arguments: { text: `${which}-${i}` } })),
        ),
      )
      // Only the hub (this process) has the file open; neither proxy does.
      for (const pid of [a.transport.pid!, b.transport.pid!]) expect(openFiles(pid).filter((path) => path.includes(logsDir(home)))).toEqual([])
    } finally {
      await Promise.all([a.client.close(), b.client.close()])
    }
    await until(() => status.get('fixture').proxies === 0, 5_000)

    const ring = logs.recent('fixture', 1000)
    const sessions = [...new Set(ring.map((e) => e.session).filter(Boolean))]
    expect(sessions).toHaveLength(2)
    for (const session of sessions) {
      const ofSession = ring.filter((e) => e.session === session)
      expect(ofSession.filter((e) => e.method === 'tools/call' && e.direction === 'to-server' && e.outcome === 'sent')).toHaveLength(calls)
      expect(ofSession.filter((e) => e.method === 'tools/call' && e.direction === 'to-client' && e.outcome === 'ok')).toHaveLength(calls)
    }
    const lines = readFileSync(logFile(), 'utf8').split('\n').filter((line) => line !== '')
    const fromFile = lines.map((line) => parseLogEvent(line))
    expect(fromFile.every((e) => e !== undefined)).toBe(true)
    expect(fromFile).toEqual(ring)
    expect(status.get('fixture')).toMatchObject({ state: 'idle', proxies: 0, requests: ring.filter((e) => e.kind === 'request' && e.direction === 'to-server').length, errors: 0 })
  }, 60_000)

  it('writes its own files while no hub runs, and sends to the hub once one starts, without starting one', async () => {
    const proxy = spawnRawProxy('fixture', home)
    try {
      proxy.child.stdin.write(initializeLine)
      await proxy.nextLine()
      const before = await until(() => readFileSync(logFile(), 'utf8').includes('initialize') && readFileSync(logFile(), 'utf8'), 3_000)
      expect(parseLogEvent(before.split('\n')[0]!)).toMatchObject({ method: 'initialize' })

      const { logs, status } = await openHub()
      // The proxy looks for the hub again every 5 s.
      await until(() => status.get('fixture').proxies === 1, 8_000)
      proxy.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`)
      await proxy.nextLine()
      const events = await until(() => logs.recent('fixture', 100).filter((e: LogEvent) => e.method === 'tools/list').length === 2 && logs.recent('fixture', 100), 3_000)
      expect(events.some((e) => e.method === 'initialize')).toBe(false)

      const closed = performance.now()
      proxy.child.stdin.end()
      expect(await proxy.exited).toBe(0)
      expect(performance.now() - closed).toBeLessThan(1000)
      // Its last events (the session closed) reached the hub before it exited.
      expect(logs.recent('fixture', 100).some((e) => e.outcome === 'closed')).toBe(true)
    } finally {
      proxy.child.kill()
    }
  }, 30_000)
})
