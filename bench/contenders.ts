import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'

const root = fileURLToPath(new URL('..', import.meta.url))

export type ContenderId = 'direct' | 'mcp-tray' | 'mcp-remote'

/** How a client config would launch a stdio proxy: command, arguments and environment. */
export interface LaunchSpec {
  readonly command: string
  readonly args: readonly string[]
  /** Added to the SDK's default inherited environment, as StdioClientTransport does. */
  readonly env: Readonly<Record<string, string>>
}

export interface Contender {
  readonly id: ContenderId
  readonly label: string
  /** Absent for the direct client, which talks Streamable HTTP itself. */
  readonly launch?: LaunchSpec
  /** Removes the contender's temporary data directory. */
  dispose(): void
}

/** A connected SDK client; `pid` is the proxy's process when there is one. */
export interface Session {
  readonly client: Client
  readonly pid: number | undefined
  close(): Promise<void>
}

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function directContender(): Contender {
  return { id: 'direct', label: 'direct SDK client', dispose: () => undefined }
}

/** `node out/cli/index.js proxy <url>` with its own data directory, as `mcp-tray install` writes it. */
export function mcpTrayContender(url: string): Contender {
  const home = tempDir('mcp-tray-bench-')
  return {
    id: 'mcp-tray',
    label: 'MCP Tray proxy',
    launch: { command: process.execPath, args: [join(root, 'out', 'cli', 'index.js'), 'proxy', url], env: { MCP_TRAY_HOME: home } },
    dispose: () => rmSync(home, { recursive: true, force: true }),
  }
}

/** mcp-remote's own proxy script run by node (what `npx mcp-remote <url>` ends up running), Streamable HTTP only. */
export function mcpRemoteContender(url: string): Contender {
  const configDir = tempDir('mcp-remote-bench-')
  return {
    id: 'mcp-remote',
    label: 'mcp-remote 0.15.1',
    launch: {
      command: process.execPath,
      args: [join(root, 'node_modules', 'mcp-remote', 'dist', 'proxy.js'), url, '--transport', 'http-only'],
      env: { MCP_REMOTE_CONFIG_DIR: configDir },
    },
    dispose: () => rmSync(configDir, { recursive: true, force: true }),
  }
}

export function launchEnvironment(launch: LaunchSpec): Record<string, string> {
  return { ...getDefaultEnvironment(), ...launch.env }
}

function newClient(): Client {
  return new Client({ name: 'mcp-tray-bench', version: '1.0.0' }, { capabilities: {} })
}

/** Connects an SDK client to the fixture through the contender (initialize included). */
export async function connect(contender: Contender, url: string): Promise<Session> {
  const client = newClient()
  if (!contender.launch) {
    await client.connect(new StreamableHTTPClientTransport(new URL(url)))
    return { client, pid: undefined, close: () => client.close() }
  }
  const transport = new StdioClientTransport({
    command: contender.launch.command,
    args: [...contender.launch.args],
    env: launchEnvironment(contender.launch),
    stderr: 'pipe',
  })
  // A client reads the proxy's diagnostics; leaving the pipe full would stall a chatty proxy.
  transport.stderr?.on('data', () => undefined)
  await client.connect(transport)
  return { client, pid: transport.pid ?? undefined, close: () => client.close() }
}
