import { cp, readFile, realpath } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { overrideVariable } from '../../../src/core/clients/client-kinds'
import { startRemoteServer } from '../../fixtures/remote-server'
import { runProcess as run } from '../../support/run-process'
import { tempFolder } from './support/temp-files'

/** The CLI the global setup built (its entry and chunks); copied into a folder with spaces, as `Program Files` would have. */
const builtCli = join(import.meta.dirname, '..', '..', '..', 'out', 'cli', 'index.js')

interface Entry {
  readonly command: string
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string>>
}

describe('the entry `mcp-tray install` writes', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>
  let cli: string
  let dataDir: string
  let configFile: string
  let env: NodeJS.ProcessEnv

  /** Runs the copied, built CLI the way a person would. */
  const mcpTray = (...args: string[]) => run(process.execPath, [cli, ...args], env)

  async function installedEntry(name: string): Promise<Entry> {
    const installed = await mcpTray('install', name)
    expect(installed, installed.stderr).toMatchObject({ code: 0 })
    return JSON.parse(await readFile(configFile, 'utf8')).mcpServers[name] as Entry
  }

  beforeEach(async () => {
    folder = await tempFolder()
    cli = join(folder.dir, 'Program Files', 'MCP Tray', 'out', 'cli', 'index.js')
    await cp(dirname(builtCli), dirname(cli), { recursive: true })
    cli = await realpath(cli)
    dataDir = join(folder.dir, 'My Data', 'MCP Tray')
    configFile = join(folder.dir, 'Application Support', 'Claude', 'claude_desktop_config.json')
    env = { ...process.env, MCP_TRAY_HOME: dataDir, [overrideVariable('claude-desktop')]: configFile }
  })
  afterEach(() => folder.remove())

  it('names absolute paths (spaces included) of this node, the CLI script and the data dir', async () => {
    expect(await mcpTray('add', 'https://mcp.example.com/mcp', '--name', 'example')).toMatchObject({ code: 0 })
    const entry = await installedEntry('example')
    expect(entry).toEqual({ command: process.execPath, args: [cli, 'proxy', 'example'], env: { MCP_TRAY_HOME: dataDir } })

    // The executable, script and environment of the entry, as a client spawns them, start the CLI.
    const version = await run(entry.command, [entry.args[0]!, '--version'], { ...getDefaultEnvironment(), ...entry.env })
    expect(version).toMatchObject({ code: 0, stdout: `${JSON.parse(await readFile('package.json', 'utf8')).version}\n` })
  })

  it('spawned exactly as it stands, runs the proxy and lists the fixture server’s tools', async () => {
    const server = await startRemoteServer({ authRequired: false })
    try {
      expect(await mcpTray('add', server.mcpUrl, '--name', 'fixture')).toMatchObject({ code: 0 })
      const entry = await installedEntry('fixture')
      // What Claude Desktop does with an entry: command, args and env as they stand.
      const transport = new StdioClientTransport({ command: entry.command, args: [...entry.args], env: { ...getDefaultEnvironment(), ...entry.env }, stderr: 'pipe' })
      const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' })
      await client.connect(transport)
      try {
        const { tools } = await client.listTools()
        expect(tools.map((tool) => tool.name)).toContain('echo')
      } finally {
        await client.close()
      }
    } finally {
      await server.close()
    }
  })
})
