import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js'
import { expect, vi } from 'vitest'
import { clientIds, type ClientId } from '../../src/shared/client-ids'
import { overrideVariable } from '../../src/core/clients/client-kinds'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import { openConfStore } from '../../src/core/registry/registry-store'
import { ServerRegistry } from '../../src/core/registry/server-registry'
import type { Settings } from '../../src/core/registry/server-entry'
import { signInBrowserCommand } from '../fixtures/remote-server/browser-command'
import { runProcess, type ProcessOutcome } from '../support/run-process'
import { cliScript } from '../support/user-home'

/** A `BROWSER` that opens nothing: the sign-in waits for the test (or times out). */
export const noBrowser = 'true'

/**
 * A person's MCP Tray in a temporary folder, typed at in a terminal: the data folder, every client's
 * config file (Claude Desktop's at `clientFile('claude-desktop')`), and the built CLI. A hub the
 * commands start inherits the terminal's environment, its BROWSER included.
 */
export interface TrayHome {
  readonly home: string
  readonly env: NodeJS.ProcessEnv
  clientFile(client: ClientId): string
  /** Runs `mcp-tray …` to its end; `browser` replaces BROWSER for this run. */
  run(args: readonly string[], browser?: string): Promise<ProcessOutcome>
  /** Starts `mcp-tray …` for a test that watches or interrupts it. */
  start(args: readonly string[], browser?: string): Started
  settings(change: Partial<Settings>): void
  /** The Claude Desktop entries, parsed. */
  claudeEntries(): Promise<Record<string, { command: string; args: string[]; env: Record<string, string> }>>
  /** The hub's process id, when one runs. */
  hubPid(): Promise<number | undefined>
  /** Stops the hub (if any) and removes the folder. */
  close(): Promise<void>
}

export interface Started {
  readonly child: ChildProcess
  readonly exited: Promise<number | null>
  stdout(): string
  stderr(): string
}

export function started(child: ChildProcess): Started {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))))
  return { child, exited, stdout: () => stdout, stderr: () => stderr }
}

export async function openTrayHome(settings: Partial<Settings> = {}): Promise<TrayHome> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp tray home-'))
  const home = join(dir, 'data')
  const clientFile = (client: ClientId) => join(dir, 'clients', `${client}.json`)
  const env: NodeJS.ProcessEnv = {
    ...getDefaultEnvironment(),
    MCP_TRAY_HOME: home,
    BROWSER: signInBrowserCommand(),
    ...Object.fromEntries(clientIds.map((client) => [overrideVariable(client), clientFile(client)])),
  }
  // Private, as MCP Tray makes it: the hub's socket lives there.
  await mkdir(home, { mode: 0o700 })
  const registry = () => new ServerRegistry(openConfStore(home))
  // A callback port of its own: 3334 may be a person's MCP Tray, or another test's.
  registry().updateSettings({ callbackPort: 0, ...settings })
  const envWith = (browser?: string) => (browser === undefined ? env : { ...env, BROWSER: browser })
  const hubPid = async () => {
    const hub = await connectToHub(hubAddressFor(home), 'cli', { timeoutMs: 1_000 }).catch(() => undefined)
    hub?.close()
    return hub?.hubPid
  }
  return {
    home,
    env,
    clientFile,
    run: (args, browser) => runProcess(process.execPath, [cliScript, ...args], envWith(browser)),
    start: (args, browser) => started(spawn(process.execPath, [cliScript, ...args], { env: envWith(browser) })),
    settings: (change) => void registry().updateSettings(change),
    claudeEntries: async () => JSON.parse(await readFile(clientFile('claude-desktop'), 'utf8')).mcpServers,
    hubPid,
    async close() {
      const pid = await hubPid()
      if (pid !== undefined) {
        process.kill(pid, 'SIGTERM')
        await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 10_000, interval: 50 })
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Whether a process of this user runs under that id. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The address a command or a proxy showed on stderr to sign in at. */
export function addressIn(text: string): string | undefined {
  return /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(text)?.[1]
}
