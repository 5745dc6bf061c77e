import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { overrideVariable } from '../../src/core/clients/client-kinds'

const cliScript = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')

/** Resolves with everything `child` printed once `pattern` shows in its stdout, or fails after `timeoutMs`. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms in: ${output}`)), timeoutMs)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (pattern.test(output)) {
        clearTimeout(timer)
        resolve(output)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}: ${output}`))
    })
  })
}

describe('mcp-tray serve and the config guard', () => {
  let home: string | undefined
  let child: ChildProcess | undefined

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    if (home) await rm(home, { recursive: true, force: true })
    child = home = undefined
  })

  it('puts back the entry Claude Desktop dropped while the hub was not running, and says so on the terminal', async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-guard-'))
    const dataDir = join(home, 'data')
    const file = join(home, 'Claude', 'claude_desktop_config.json')
    await mkdir(join(home, 'Claude'), { recursive: true })
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    // What `mcp-tray install linear` left, and a Claude Desktop that saved its settings without the entry since.
    const entries = [{ client: 'claude-desktop', file, key: 'linear', server: 'linear', state: 'installed', at: new Date().toISOString() }]
    await writeFile(join(dataDir, 'client-entries.json'), `${JSON.stringify({ version: 1, entries })}\n`)
    await writeFile(file, '{\n  "mcpServers": {},\n  "preferences": {"sidebarMode": "chat"}\n}\n')

    child = spawn(process.execPath, [cliScript, 'serve', '--no-dashboard'], {
      env: { ...process.env, MCP_TRAY_HOME: dataDir, [overrideVariable('claude-desktop')]: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const output = await waitForOutput(child, /Put back MCP Tray servers in Claude Desktop: .*\n/)
    expect(output).toMatch(/\d\d:\d\d:\d\d {2}Put back MCP Tray servers in Claude Desktop: Claude Desktop rewrote its config file without the entry for linear; MCP Tray put it back\. Restart Claude Desktop to load it\.\n/)
    const config = JSON.parse(await readFile(file, 'utf8')) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }>; preferences: unknown }
    expect(config.mcpServers.linear).toMatchObject({ command: process.execPath, args: [cliScript, 'proxy', 'linear'], env: { MCP_TRAY_HOME: dataDir } })
    expect(config.preferences).toEqual({ sidebarMode: 'chat' })
  })
})
