import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { builtCli, tempHome } from './spawn-proxy'

export interface RpcAnswer {
  readonly id: number
  readonly result?: unknown
  readonly error?: { readonly code: number; readonly message: string; readonly data?: { readonly code?: string } }
}

export interface RawProxyClient {
  readonly pid: number
  /** Sends a request and resolves with its answer (rejects after `ms`). */
  request(method: string, params: unknown, ms?: number): Promise<RpcAnswer>
  /** Writes requests without waiting; returns their ids. */
  fire(method: string, params: (index: number) => unknown, count: number): number[]
  notify(method: string, params: unknown): void
  /** Resolves with the answer to `id` (rejects after `ms`). */
  answer(id: number, ms?: number): Promise<RpcAnswer>
  callTool(name: string, args?: Record<string, unknown>, ms?: number): Promise<RpcAnswer>
  readonly stderr: () => string
  /** The proxy's peak resident memory in bytes (Linux), or undefined. */
  peakRssBytes(): number | undefined
  /** Closes stdin as a client does; kills the proxy if it has not exited within `ms`. Returns its exit code. */
  close(ms?: number): Promise<number | null>
}

/**
 * The built proxy (`node out/cli/index.js proxy <url> …`) driven over bare pipes, one JSON-RPC line
 * at a time, so that a test can send thousands of requests at once and read each answer by id
 * without an SDK client in between. It is initialized before it is returned.
 */
export async function startRawProxyClient(url: string, args: readonly string[] = []): Promise<RawProxyClient> {
  const home = tempHome()
  const child = spawn(process.execPath, [builtCli, 'proxy', url, ...args], { env: { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: home } })
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-200_000)
  })
  const answers = new Map<number, RpcAnswer>()
  const waiting = new Map<number, (answer: RpcAnswer) => void>()
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    const message = JSON.parse(line) as RpcAnswer
    if (typeof message.id !== 'number') return
    const waiter = waiting.get(message.id)
    if (waiter) {
      waiting.delete(message.id)
      waiter(message)
    } else {
      answers.set(message.id, message)
    }
  })
  let nextId = 1
  const write = (id: number, method: string, params: unknown): string => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`
  const answer = (id: number, ms = 10_000): Promise<RpcAnswer> => {
    const ready = answers.get(id)
    if (ready) {
      answers.delete(id)
      return Promise.resolve(ready)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id)
        reject(new Error(`no answer to request ${id} within ${ms} ms; proxy stderr:\n${stderr.slice(-2000)}`))
      }, ms)
      waiting.set(id, (message) => {
        clearTimeout(timer)
        resolve(message)
      })
    })
  }
  const request = (method: string, params: unknown, ms?: number): Promise<RpcAnswer> => {
    const id = nextId++
    child.stdin.write(write(id, method, params))
    return answer(id, ms)
  }
  const client: RawProxyClient = {
    pid: child.pid ?? 0,
    request,
    answer,
    fire(method, params, count) {
      const ids: number[] = []
      let text = ''
      for (let i = 0; i < count; i += 1) {
        const id = nextId++
        ids.push(id)
        text += write(id, method, params(i))
      }
      child.stdin.write(text)
      return ids
    },
    notify: (method, params) => void child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`),
    callTool: (name, args = {}, ms) => request('tools/call', { name, arguments: args }, ms),
    stderr: () => stderr,
    peakRssBytes() {
      try {
        const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]
        return kb === undefined ? undefined : Number(kb) * 1024
      } catch {
        return undefined
      }
    },
    async close(ms = 5_000) {
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), ms)
      const code = await exited
      clearTimeout(timer)
      rmSync(home, { recursive: true, force: true })
      return code
    },
  }
  const initialized = await request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-test', version: '1.0.0' } })
  if (!initialized.result) throw new Error(`initialize failed: ${JSON.stringify(initialized)}`)
  client.notify('notifications/initialized', undefined)
  return client
}
