import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js'
import { startHostileServer, type HostileTool } from '../test/fixtures/remote-server/hostile-server'
import { launchEnvironment, mcpRemoteContender, mcpTrayContender, type Contender, type ContenderId } from './contenders'
import { megabyte } from './options'
import { probePeakRss } from './process-memory'

/** What a server does to a proxy in the memory figures: one huge event, or a `data:` line that never ends. */
export type HostileScenario = 'big-event' | 'endless-line'

export interface HostileFigures {
  readonly id: ContenderId
  /** The proxy's peak RSS over its whole life (a fresh process), or undefined when it could not be read. */
  readonly peakRssBytes?: number
  /** What the client got for the hostile call: an error, the result, or nothing (the proxy died or hung). */
  readonly answer: 'error' | 'result' | 'none'
  /** Whether the proxy then answered an `echo` call. */
  readonly answeredNext: boolean
}

/** One row of memory figures: what the server sent, and each proxy that was put to it. */
export interface HostileRow {
  readonly scenario: HostileScenario
  /** The event's size; for the line, where the server would stop it (a proxy with a limit stops long before). */
  readonly bytes: number
  readonly contenders: readonly HostileFigures[]
}

/** How long one hostile call may take before the proxy counts as not answering. */
const answerTimeoutMs = 120_000

/** A proxy that reads a line without a limit is not put to this one: it would grow until the server stopped. */
export const endlessLineBytes = 1000 * megabyte

/**
 * The memory figures: each proxy against one 100 MB event, and MCP Tray's against a line that never ends.
 * A fresh process each time, so that its peak RSS is this alone (and its start).
 */
export async function measureHostileRows(eventBytes: number, progress: (line: string) => void): Promise<HostileRow[]> {
  const tray = { id: 'mcp-tray', make: mcpTrayContender } as const
  const remote = { id: 'mcp-remote', make: mcpRemoteContender } as const
  const rows: HostileRow[] = []
  for (const [scenario, bytes, proxies] of [
    ['big-event', eventBytes, [tray, remote]],
    ['endless-line', endlessLineBytes, [tray]],
  ] as const) {
    const figures: HostileFigures[] = []
    for (const proxy of proxies) {
      progress(`memory: ${proxy.id} against ${scenario === 'big-event' ? `one ${bytes / megabyte} MB event` : 'a line that never ends'}`)
      figures.push(await measureHostile(proxy.make, scenario, bytes))
    }
    rows.push({ scenario, bytes, contenders: figures })
  }
  return rows
}

/**
 * Spawns the contender's proxy against a hostile server (test/fixtures/remote-server/hostile-server.ts),
 * lets the server do `scenario` to it, then asks for an ordinary call. The client reads lines raw
 * and parses only short ones, so that what a proxy relays (100 MB, say) weighs on it, not on the bench.
 */
export async function measureHostile(contender: (url: string) => Contender, scenario: HostileScenario, bytes: number): Promise<HostileFigures> {
  const server = await startHostileServer()
  const { id, launch, dispose } = contender(server.url)
  if (!launch) throw new Error(`${id} is not a proxy`)
  const child = spawn(launch.command, [...launch.args], { env: launchEnvironment(launch), stdio: ['pipe', 'pipe', 'pipe'] })
  child.stderr.resume()
  const exited = once(child, 'exit')
  const answers = new Map<number, (kind: 'error' | 'result') => void>()
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    // The id comes last in a result the server serialized itself: look at both ends of a long line.
    const head = line.slice(0, 200)
    const tail = line.slice(-200)
    const id = /"id":(\d+)/.exec(head)?.[1] ?? /"id":(\d+)\}?$/.exec(tail)?.[1]
    if (id !== undefined) answers.get(Number(id))?.(/^\{"jsonrpc":"2\.0","id":\d+,"error"|"error":\{/.test(head) ? 'error' : 'result')
  })
  let nextId = 1
  const call = (method: string, params: unknown, ms: number): Promise<'error' | 'result' | 'none'> => {
    const id = nextId++
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('none'), ms)
      exited.then(() => resolve('none'), () => resolve('none'))
      answers.set(id, (kind) => {
        clearTimeout(timer)
        resolve(kind)
      })
    })
  }
  try {
    const initialized = await call('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-tray-bench', version: '1.0.0' } }, 30_000)
    if (initialized !== 'result') throw new Error(`${id} did not initialize against the hostile server`)
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`)
    const rss = child.pid === undefined ? undefined : await probePeakRss(child.pid)
    const answer = await call('tools/call', { name: scenario satisfies HostileTool, arguments: { bytes } }, answerTimeoutMs)
    const next = await call('tools/call', { name: 'echo', arguments: { text: 'next' } }, 10_000)
    const peak = await rss?.peakBytes()
    rss?.stop()
    return { id, answer, answeredNext: next === 'result', ...(peak === undefined ? {} : { peakRssBytes: peak }) }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000)
      await exited
      clearTimeout(timer)
    }
    await server.close()
    dispose()
  }
}
