import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js'
import { connect, launchEnvironment, type Contender, type LaunchSpec } from './contenders'

const initializeLine = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-tray-bench', version: '1.0.0' } },
})}\n`

/** Milliseconds from spawning `node -e ""` to its exit: the floor of any Node program's start. */
export async function timeBareNode(): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  return performance.now() - started
}

/**
 * Milliseconds from spawning a proxy to its initialize result on stdout. The request is written at
 * once, as a client does, so the proxy's own start-up and its first round trip upstream both count.
 */
export async function timeSpawnToInitialize(launch: LaunchSpec): Promise<number> {
  const started = performance.now()
  const child = spawn(launch.command, [...launch.args], { env: launchEnvironment(launch), stdio: ['pipe', 'pipe', 'pipe'] })
  child.stderr.resume()
  const exited = once(child, 'exit')
  child.stdin.write(initializeLine)
  const lines = createInterface({ input: child.stdout })
  try {
    const answered = new Promise<number>((resolve, reject) => {
      lines.on('line', (line) => {
        if (!isResponseTo(line, 1)) return
        const elapsed = performance.now() - started
        if (JSON.parse(line).result === undefined) reject(new Error(`initialize failed: ${line.slice(0, 300)}`))
        else resolve(elapsed)
      })
    })
    return await Promise.race([
      answered,
      exited.then(([code]) => Promise.reject(new Error(`${launch.args[0] ?? launch.command} exited (code ${String(code)}) before answering initialize`))),
    ])
  } finally {
    lines.close()
    await stop(child, exited)
  }
}

function isResponseTo(line: string, id: number): boolean {
  try {
    const message: unknown = JSON.parse(line)
    return typeof message === 'object' && message !== null && (message as { id?: unknown }).id === id
  } catch {
    return false
  }
}

/** Closes stdin as a client does, then escalates the way the SDK's StdioClientTransport does. */
async function stop(child: import('node:child_process').ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.stdin?.end()
  const graceful = await Promise.race([exited.then(() => true), delay(2_000).then(() => false)])
  if (!graceful) {
    child.kill('SIGKILL')
    await exited
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

/** Milliseconds for a fresh SDK client to connect (initialize and initialized) through a contender. */
export async function timeConnect(contender: Contender, url: string): Promise<number> {
  const started = performance.now()
  const session = await connect(contender, url)
  const elapsed = performance.now() - started
  await session.close()
  return elapsed
}

async function echo(client: Client, text: string): Promise<void> {
  const result = await client.callTool({ name: 'echo', arguments: { text } })
  const content = (result.content as { type: string; text?: string }[] | undefined)?.[0]
  if (content?.text !== text) throw new Error(`echo answered ${JSON.stringify(result).slice(0, 200)}`)
}

/** Sequential echo calls; returns each call's round trip in milliseconds. */
export async function sampleEchoLatency(client: Client, calls: number): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now()
    await echo(client, `ping ${i}`)
    samples.push(performance.now() - started)
  }
  return samples
}

/** `calls` echo calls with `inFlight` outstanding at any time; returns the elapsed milliseconds. */
export async function timeConcurrentEchoes(client: Client, calls: number, inFlight: number): Promise<number> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const i = next
      next += 1
      await echo(client, `call ${i}`)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.min(inFlight, calls) }, worker))
  return performance.now() - started
}

/** Milliseconds for one `big` tool call returning a text of `bytes` bytes, checked for length. */
export async function timeBigResult(client: Client, bytes: number): Promise<number> {
  const started = performance.now()
  const result = await client.callTool({ name: 'big', arguments: { bytes } }, undefined, { timeout: 120_000 })
  const elapsed = performance.now() - started
  const text = (result.content as { text?: string }[] | undefined)?.[0]?.text
  if (text?.length !== bytes) throw new Error(`big answered ${text?.length ?? 'no'} characters instead of ${bytes}`)
  return elapsed
}
