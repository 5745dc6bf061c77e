import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { overrideVariable } from '../../../src/core/clients/client-kinds'
import { mcpRemoteDefaultPort } from '../../../src/core/clients/mcp-remote-args'
import { proxiedServer } from '../../../src/core/clients/entry-builder'
import { runProcess } from '../../support/run-process'
import { tempFolder } from './support/temp-files'

/** The CLI the global setup built. */
const cli = join(import.meta.dirname, '..', '..', '..', 'out', 'cli', 'index.js')

const claudeFile = `{
  "mcpServers": {
    "Linear": {
      "command": "npx",
      "args": ["-y", "mcp-remote@latest", "https://mcp.linear.app/sse", "--header", "X-Api-Key:\${KEY}",
        "--static-oauth-client-info", "{\\"client_id\\": \\"pre-reg\\", \\"client_secret\\": \\"\${SECRET}\\"}"],
      "env": { "KEY": "key-value-123", "SECRET": "secret-value-456" }
    },
    "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] }
  },
  "preferences": { "menuBarEnabled": false }
}
`

describe('mcp-tray install, uninstall and import-mcp-remote', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>
  let home: string
  let file: string

  function mcpTray(...args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, MCP_TRAY_HOME: home, [overrideVariable('claude-desktop')]: file }
    for (const other of ['cursor', 'vscode', 'windsurf', 'claude-code'] as const) env[overrideVariable(other)] = join(folder.dir, `${other}.json`)
    return runProcess(process.execPath, [cli, ...args], env)
  }

  beforeEach(async () => {
    folder = await tempFolder()
    home = join(folder.dir, 'home')
    file = join(folder.dir, 'Claude', 'claude_desktop_config.json')
    await mkdir(join(folder.dir, 'Claude'))
    await writeFile(file, claudeFile)
  })
  afterEach(() => folder.remove())

  it('imports mcp-remote entries: a dry run changes nothing, the real one moves secrets to the vault', async () => {
    const dry = await mcpTray('import-mcp-remote', '--dry-run')
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('Claude Desktop "Linear"')
    // The static client was registered for the redirect URI mcp-remote derived: it is kept.
    const port = mcpRemoteDefaultPort('https://mcp.linear.app/sse', { 'X-Api-Key': '${KEY}' })
    const host = process.platform === 'win32' ? '127.0.0.1' : 'localhost'
    expect(dry.stdout).toContain(
      `imports: headers X-Api-Key; client id pre-reg; client secret (to the vault); sign-in redirect http://${host}:${port}/oauth/callback (port ${port}: the one mcp-remote derived from the URL)`,
    )
    expect(dry.stdout).toContain('Dry run: nothing was changed.')
    expect(dry.stdout + dry.stderr).not.toMatch(/key-value-123|secret-value-456/)
    expect(await readFile(file, 'utf8')).toBe(claudeFile)

    const real = await mcpTray('import-mcp-remote')
    expect(real.code, real.stderr).toBe(0)
    expect(real.stdout + real.stderr).not.toMatch(/key-value-123|secret-value-456/)
    const servers = JSON.parse(await readFile(file, 'utf8')).mcpServers
    expect(proxiedServer(servers.Linear)).toBe('Linear')
    expect(servers.filesystem.command).toBe('npx')
    const registry = JSON.parse(await readFile(join(home, 'registry.json'), 'utf8'))
    expect(registry.servers).toEqual([
      { name: 'Linear', url: 'https://mcp.linear.app/sse', headerNames: ['X-Api-Key'], clientId: 'pre-reg', redirect: { host, port } },
    ])
    const vault = await readFile(join(home, 'vault.json'), 'utf8')
    expect(Object.keys(JSON.parse(vault)).sort()).toEqual(['server:Linear#client-secret', 'server:Linear#headers'])
    expect(vault).not.toMatch(/key-value-123|secret-value-456/)
    const [backup] = await readdir(join(home, 'backups', 'claude-desktop'))
    expect(await readFile(join(home, 'backups', 'claude-desktop', backup!), 'utf8')).toBe(claudeFile)
  })

  it('uninstalls only its own entries and remembers the removal', async () => {
    expect((await mcpTray('import-mcp-remote')).code).toBe(0)
    const removed = await mcpTray('uninstall', 'Linear')
    expect(removed.code, removed.stderr).toBe(0)
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).mcpServers)).toEqual(['filesystem'])
    const ledger = JSON.parse(await readFile(join(home, 'client-entries.json'), 'utf8'))
    expect(ledger.entries).toMatchObject([{ client: 'claude-desktop', key: 'Linear', state: 'removed' }])

    const before = await readFile(file, 'utf8')
    const refused = await mcpTray('uninstall', 'filesystem')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('The Claude Desktop entry "filesystem" was not written by MCP Tray; it was left as it is.')
    expect(await readFile(file, 'utf8')).toBe(before)
  })

  it('leaves a file that does not parse untouched and says where it breaks', async () => {
    const corrupt = '{\n  "mcpServers": {\n    "a": 1,,\n  }\n}\n'
    await writeFile(file, corrupt)
    expect((await mcpTray('add', 'https://mcp.example.com/mcp', '--name', 'example')).code).toBe(0)
    const attempt = await mcpTray('install', 'example')
    expect(attempt.code).toBe(1)
    expect(attempt.stderr).toMatch(/is not valid JSON: a property name \(in double quotes\) is expected at line 3, column 12\. Nothing was changed\./)
    expect(await readFile(file, 'utf8')).toBe(corrupt)
  })
})
