import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import { startRemoteServer, type RemoteServer, type RemoteServerOptions } from '../fixtures/remote-server'
import { signInBrowserCommand } from '../fixtures/remote-server/browser-command'

/** The built CLI (the global setup builds it), exactly what a client config entry launches. */
export const cliScript = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')

const execFileAsync = promisify(execFile)

/**
 * A person's MCP Tray in a temporary data folder: the fixture server, added by the built CLI under
 * a name, a browser that signs in as the fixture's user, and the hub its proxies start.
 */
export interface UserHome {
  readonly home: string
  /** The environment a client gives the proxies it spawns (plus BROWSER for sign-in). */
  readonly env: Record<string, string>
  readonly server: RemoteServer
  readonly name: string
  /** Runs the built `mcp-tray` with this home. */
  cli(...args: string[]): Promise<{ stdout: string; stderr: string }>
  /** A client stand-in and the proxy it spawns for the server, not yet connected. */
  proxy(): { client: Client; transport: StdioClientTransport }
  /** Stops the hub the proxies started, the server, and removes the folder. */
  close(): Promise<void>
}

export async function openUserHome(options: { server?: RemoteServerOptions; name?: string; add?: readonly string[] } = {}): Promise<UserHome> {
  const server = await startRemoteServer(options.server)
  const home = await mkdtemp(join(tmpdir(), 'mcp-tray-home-'))
  const env = { ...getDefaultEnvironment(), MCP_TRAY_HOME: home, BROWSER: signInBrowserCommand() }
  const name = options.name ?? 'fixture'
  const cli = async (...args: string[]) => execFileAsync(process.execPath, [cliScript, ...args], { env })
  await cli('add', server.mcpUrl, '--name', name, ...(options.add ?? []))
  return {
    home,
    env,
    server,
    name,
    cli,
    proxy: () => ({
      client: new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' }),
      transport: new StdioClientTransport({ command: process.execPath, args: [cliScript, 'proxy', name], env, stderr: 'pipe' }),
    }),
    async close() {
      await stopHub(home)
      await server.close()
      await rm(home, { recursive: true, force: true })
    },
  }
}

/**
 * Stops the hub running for `home`, if any, and waits (at most 5 s) until it is gone: a hub still
 * closing writes its files, and would make the folder again after a test removed it.
 */
export async function stopHub(home: string): Promise<void> {
  const hub = await connectToHub(hubAddressFor(home), 'cli').catch(() => undefined)
  if (!hub) return
  hub.close()
  process.kill(hub.hubPid, 'SIGTERM')
  const running = (): boolean => {
    try {
      process.kill(hub.hubPid, 0)
      return true
    } catch {
      return false
    }
  }
  const deadline = Date.now() + 5_000
  while (running() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
}
