import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterAll, beforeAll, onTestFinished } from 'vitest'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server/index'

/** The built one-file CLI, exactly what a client config entry launches. */
export const builtCli = join(import.meta.dirname, '..', '..', '..', 'out', 'cli', 'index.js')

/** A data dir for a proxy; made during a test, it is removed when the test is over. */
export function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'mcp-tray-proxy-'))
  try {
    onTestFinished(() => rmSync(home, { recursive: true, force: true }))
  } catch {
    // Made outside a test (at a file's top level): the file removes it.
  }
  return home
}

export interface ProxyClient {
  readonly client: Client
  readonly transport: StdioClientTransport
  readonly stderr: () => string
}

/** Spawns `node out/cli/index.js proxy <url> …` and connects the SDK's Client to it over stdio. */
export async function connectThroughProxy(url: string, options: { home?: string; args?: string[] } = {}): Promise<ProxyClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [builtCli, 'proxy', url, ...(options.args ?? [])],
    env: { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: options.home ?? tempHome() },
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const client = new Client(
    { name: 'proxy-test', version: '1.0.0' },
    { capabilities: { elicitation: {}, sampling: {} } },
  )
  await client.connect(transport)
  return { client, transport, stderr: () => stderr }
}

export interface RawProxy {
  readonly child: ChildProcessWithoutNullStreams
  /** Resolves with the next line the proxy writes to stdout. */
  nextLine(): Promise<string>
  readonly stderr: () => string
  readonly exited: Promise<number | null>
}

/** Spawns the proxy with bare pipes, for tests that write raw lines or close stdin. */
export function spawnRawProxy(url: string, home = tempHome()): RawProxy {
  const child = spawn(process.execPath, [builtCli, 'proxy', url], {
    env: { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: home },
  })
  const lines: string[] = []
  const waiting: ((line: string) => void)[] = []
  let buffered = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    let index: number
    while ((index = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, index)
      buffered = buffered.slice(index + 1)
      const waiter = waiting.shift()
      if (waiter) waiter(line)
      else lines.push(line)
    }
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    child,
    nextLine: () => {
      const line = lines.shift()
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve))
    },
    stderr: () => stderr,
    exited,
  }
}

export const initializeLine = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
})}\n`

export { textOf } from '../../support/fixture-surface'

/** Starts one fixture server (sign-in off) for the tests of the enclosing describe block. */
export function useFixtureServer(): { readonly server: RemoteServer } {
  let started: RemoteServer | undefined
  beforeAll(async () => {
    started = await startRemoteServer({ authRequired: false })
  })
  afterAll(async () => {
    await started?.close()
  })
  return {
    get server(): RemoteServer {
      if (!started) throw new Error('the fixture server has not started')
      return started
    },
  }
}
