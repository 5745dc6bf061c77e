import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ServerStatus } from '../../../src/shared/dashboard-api'
import { hubAddressFor } from '../../../src/core/hub/hub-address'
import { connectToHub, type HubConnection } from '../../../src/core/hub/hub-client'
import type { HubEvent } from '../../../src/core/hub/hub-protocol'
import { startHub, type RunningHub } from '../../../src/core/hub/hub-runtime'
import type { LogEvent } from '../../../src/core/logs/log-event'
import { logFileStem, logsDir, RotatingFileSink } from '../../../src/core/logs/log-files'
import { readRecentEvents } from '../../../src/core/logs/log-reader'
import { HubLogSink } from '../../../src/core/proxy/hub-log-sink'
import { maxLoggedServers } from '../../../src/core/hub/log-handlers'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function event(server: string, id: number, extra: Partial<LogEvent> = {}): LogEvent {
  return { time: new Date().toISOString(), server, direction: 'to-server', kind: 'request', method: 'tools/call', id, outcome: 'sent', ...extra }
}

async function until<T>(check: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(20)
  }
}

describe('logs through the hub', () => {
  let home: string
  let hub: RunningHub | undefined
  const connections: HubConnection[] = []

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-hublogs-'))
  })
  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.close()
    await hub?.close()
    hub = undefined
    await rm(home, { recursive: true, force: true })
  })

  const openHub = async () => (hub = await startHub({ dataDir: home }))
  const connect = async (role: 'proxy' | 'cli' | 'dashboard' = 'proxy') => {
    const connection = await connectToHub(hubAddressFor(home), role)
    connections.push(connection)
    return connection
  }
  const sinkFor = (server: string, options: Partial<ConstructorParameters<typeof HubLogSink>[0]> = {}) =>
    new HubLogSink({
      server,
      connect: () => connectToHub(hubAddressFor(home), 'proxy', { timeoutMs: 500 }),
      fallback: () => new RotatingFileSink({ dir: logsDir(home) }),
      ...options,
    })

  it('keeps every batched event in the ring and the file, in order, and pushes them to subscribers', async () => {
    const { logs } = await openHub()
    const dashboard = await connect('dashboard')
    const pushed: HubEvent[] = []
    dashboard.onEvent((e) => pushed.push(e))
    await dashboard.call('subscribe', { topics: ['logs', 'status'] })

    const sink = sinkFor('alpha')
    for (let i = 0; i < 1000; i += 1) sink.write(event('alpha', i))
    await sink.close()

    expect(logs.recent('alpha', 5000).map((e) => e.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    const lines = (await readFile(join(logsDir(home), `${logFileStem('alpha')}.jsonl`), 'utf8')).trim().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as LogEvent).id)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    await until(() => pushed.filter((e) => e.event === 'logs').flatMap((e) => e.data as LogEvent[]).length === 1000)
    await until(() => pushed.some((e) => e.event === 'status'))
  })

  it('refuses hostile batches with a clear error and keeps serving the same client', async () => {
    const { logs } = await openHub()
    const proxy = await connect()
    for (const params of [undefined, 'x', { server: 'a', events: 'no' }, { server: 'a', events: [{ ...event('a', 1), outcome: 'rm -rf' }] }]) {
      await expect(proxy.call('logs', params)).rejects.toMatchObject({ code: 'hub_bad_request', message: expect.stringContaining('log batch') })
    }
    await expect(proxy.call('logs', { server: 'a', events: Array.from({ length: 5000 }, (_, i) => event('a', i)) })).rejects.toMatchObject({
      code: 'hub_bad_request',
    })
    expect(logs.recent(undefined, 100)).toEqual([])
    expect(await proxy.call('logs', { server: 'a', events: [event('a', 1)] })).toEqual({ accepted: 1 })
    await expect(proxy.call('subscribe', { topics: ['secrets'] })).rejects.toMatchObject({ code: 'hub_bad_request' })
  })

  it('keeps logs for a bounded number of servers, so made-up names cannot fill memory or the disk', async () => {
    const { logs } = await openHub()
    const proxy = await connect()
    for (let i = 0; i < maxLoggedServers; i += 1) await proxy.call('logs', { server: `s${i}`, events: [] })
    await expect(proxy.call('logs', { server: 'one-too-many', events: [event('one-too-many', 1)] })).rejects.toMatchObject({
      code: 'hub_bad_request',
      message: expect.stringContaining(`${maxLoggedServers} servers`),
    })
    expect(await proxy.call('logs', { server: 's0', events: [event('s0', 1)] })).toEqual({ accepted: 1 })
    expect(logs.recent('one-too-many', 10)).toEqual([])
  })

  it('counts proxy processes per server, not connections, and detaches them when they go', async () => {
    await openHub()
    const first = await connect()
    const second = await connect()
    const cli = await connect('cli')
    await first.call('logs', { server: 'beta', events: [] })
    await second.call('logs', { server: 'beta', events: [event('beta', 1)] })
    await first.call('logs', {
      server: 'beta',
      events: [event('beta', 2, { direction: 'to-client', kind: 'error', outcome: 'timeout', preview: 'beta did not answer, Bearer abc.def.ghi' })],
    })
    const statusOf = async () => (await cli.call<{ servers: ServerStatus[] }>('status')).servers.find((s) => s.server === 'beta')
    // Both connections come from this one process: one proxy.
    expect(await statusOf()).toMatchObject({ state: 'error', proxies: 1, requests: 1, errors: 1, lastError: expect.stringContaining('did not answer') })
    expect((await statusOf())?.lastError).not.toContain('abc.def')
    first.close()
    await sleep(50)
    expect(await statusOf()).toMatchObject({ proxies: 1 })
    second.close()
    await sleep(50)
    expect(await statusOf()).toMatchObject({ proxies: 0 })
  })

  it('writes to files while no hub answers, and reaches the hub once one starts', async () => {
    const sink = sinkFor('gamma', { retryMs: 200 })
    sink.write(event('gamma', 1))
    await sleep(100)
    sink.write(event('gamma', 2))
    expect(readRecentEvents(logsDir(home), 'gamma', 10).map((e) => e.id)).toEqual([1, 2])

    const { logs } = await openHub()
    await sleep(400)
    sink.write(event('gamma', 3))
    await until(() => logs.recent('gamma', 10).length === 1)
    expect(logs.recent('gamma', 10).map((e) => e.id)).toEqual([3])
    await sink.close()
    expect(readRecentEvents(logsDir(home), 'gamma', 10).map((e) => e.id)).toEqual([1, 2, 3])
  })

  it('falls back to files when the hub goes away, and counts what a full buffer had to drop', async () => {
    const { logs } = await openHub()
    const sink = sinkFor('delta', { maxBuffered: 10, flushMs: 50, retryMs: 60_000 })
    await until(() => hub!.status.get('delta').proxies === 1)
    for (let i = 0; i < 25; i += 1) sink.write(event('delta', i))
    await until(() => logs.recent('delta', 100).length === 11)
    expect(logs.recent('delta', 100).at(-1)).toMatchObject({ kind: 'proxy', method: 'logs-dropped', preview: expect.stringContaining('15 log events') })

    await hub!.close()
    hub = undefined
    await sleep(50)
    sink.write(event('delta', 100))
    await sink.close()
    expect(readRecentEvents(logsDir(home), 'delta', 100).at(-1)?.id).toBe(100)
  })

  it('cuts a client’s overlong method name and preview to what the hub accepts, instead of losing the batch', async () => {
    const { logs } = await openHub()
    const sink = sinkFor('zeta')
    sink.write(event('zeta', 1, { method: 'm'.repeat(10_000), preview: 'p'.repeat(100_000) }))
    sink.write(event('zeta', 2))
    await until(() => logs.recent('zeta', 10).length === 2)
    const [long] = logs.recent('zeta', 10)
    expect(long!.method!.length).toBeLessThanOrEqual(500)
    expect(long!.preview!.length).toBeLessThanOrEqual(4000)
    await sink.close()
  })

  it('closes within its bound even when the hub never answers a batch', async () => {
    await openHub()
    const never: HubConnection = {
      hubPid: 0,
      call: () => new Promise(() => {}),
      onEvent: () => {},
      onClose: () => {},
      close: () => {},
    }
    const sink = sinkFor('epsilon', { connect: async () => never, closeMs: 300 })
    for (let i = 0; i < 50; i += 1) sink.write(event('epsilon', i))
    const started = Date.now()
    await sink.close()
    expect(Date.now() - started).toBeLessThan(600)
    // What the hub did not take is in the proxy's own files.
    expect(readRecentEvents(logsDir(home), 'epsilon', 100)).toHaveLength(50)
  })
})
