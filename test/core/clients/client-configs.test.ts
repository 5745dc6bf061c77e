import { lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientConfigs } from '../../../src/core/clients/client-configs'
import { clientIds, overrideVariable, type ClientId } from '../../../src/core/clients/client-kinds'
import { listBackups } from '../../../src/core/clients/backups'
import { TrayError } from '../../../src/shared/tray-error'
import { hostWithFile, tempFolder, testLaunch } from './support/temp-files'

const claudeFile = `{
  // my own notes
  "mcpServers": {
    "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] }
  },
  "preferences": { "menuBarEnabled": false },
  "globalShortcut": "Alt+Space"
}
`

describe('ClientConfigs', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>
  let file: string
  let dataDir: string
  let tick: number
  const configsFor = (target = file, client: ClientId = 'claude-desktop', keep = 3) =>
    new ClientConfigs({
      dataDir,
      launch: testLaunch,
      host: hostWithFile(overrideVariable(client), target, folder.dir),
      backupsToKeep: keep,
      now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)),
    })

  beforeEach(async () => {
    folder = await tempFolder()
    file = join(folder.dir, 'Claude', 'claude_desktop_config.json')
    dataDir = join(folder.dir, 'data home')
    tick = 0
  })
  afterEach(() => folder.remove())

  it('creates a missing folder and file with our entry, private to the user', async () => {
    const change = await configsFor().install('claude-desktop', 'linear')
    expect(change).toMatchObject({ changed: true, created: true, backup: undefined, file })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      mcpServers: { linear: { command: testLaunch.executable, args: [testLaunch.cliScript, 'proxy', 'linear'], env: { MCP_TRAY_HOME: dataDir } } },
    })
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('round-trips comments and unknown keys, and keeps a backup of what it replaced', async () => {
    await mkdir(join(folder.dir, 'Claude'))
    await writeFile(file, claudeFile, { mode: 0o644 })
    const configs = configsFor()
    const installed = await configs.install('claude-desktop', 'linear')
    expect(installed.backup).toBeDefined()
    expect(await readFile(installed.backup!, 'utf8')).toBe(claudeFile)
    const written = await readFile(file, 'utf8')
    expect(written).toContain('// my own notes')
    expect(written).toContain('"preferences": { "menuBarEnabled": false },\n  "globalShortcut": "Alt+Space"\n}\n')
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o644)

    const removed = await configs.uninstall('claude-desktop', 'linear')
    expect(removed.changed).toBe(true)
    expect(await readFile(file, 'utf8')).toBe(claudeFile)
  })

  it('writes nothing when the entry is already as it should be', async () => {
    const configs = configsFor()
    await configs.install('claude-desktop', 'linear')
    const before = await readFile(file, 'utf8')
    const again = await configs.install('claude-desktop', 'linear')
    expect(again).toMatchObject({ changed: false, backup: undefined })
    expect(await readFile(file, 'utf8')).toBe(before)
  })

  it('leaves a corrupt file untouched byte for byte and says where it breaks', async () => {
    await mkdir(join(folder.dir, 'Claude'))
    const corrupt = Buffer.from('{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": 1\n', 'utf8')
    await writeFile(file, corrupt)
    const before = await stat(file)
    const configs = configsFor()
    const attempt = configs.install('claude-desktop', 'linear')
    await expect(attempt).rejects.toBeInstanceOf(TrayError)
    await expect(attempt).rejects.toThrow(/line 4, column 5\. Nothing was changed\./)
    await expect(configs.uninstall('claude-desktop', 'linear')).rejects.toThrow(/Nothing was changed/)
    await expect(configs.restore('claude-desktop')).resolves.toEqual({ file, restored: [] })
    expect((await readFile(file)).equals(corrupt)).toBe(true)
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs)
    expect(await readdir(join(folder.dir, 'Claude'))).toEqual(['claude_desktop_config.json'])
    expect(await listBackups(configs.backupPolicy('claude-desktop', file))).toEqual([])
  })

  it('refuses to overwrite or remove an entry it did not write', async () => {
    await mkdir(join(folder.dir, 'Claude'))
    await writeFile(file, claudeFile)
    const configs = configsFor()
    await expect(configs.install('claude-desktop', 'filesystem')).rejects.toMatchObject({ code: 'client_entry_taken' })
    await expect(configs.uninstall('claude-desktop', 'filesystem')).rejects.toMatchObject({ code: 'client_entry_not_ours' })
    expect(await readFile(file, 'utf8')).toBe(claudeFile)
  })

  it('keeps a bounded number of timestamped backups', async () => {
    const configs = configsFor(file, 'claude-desktop', 3)
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) await configs.install('claude-desktop', name)
    const backups = await listBackups(configs.backupPolicy('claude-desktop', file))
    expect(backups).toHaveLength(3)
    for (const backup of backups) expect(backup).toMatch(/claude_desktop_config\.json\.2026-01-01T00-00-\d\d-000Z\.bak$/)
    // The copies made before installing d, e and f: the newest three of five.
    const lastServers = await Promise.all(backups.map(async (b) => Object.keys(JSON.parse(await readFile(b, 'utf8')).mcpServers).at(-1)))
    expect(lastServers).toEqual(['c', 'd', 'e'])
    if (process.platform !== 'win32') expect((await stat(backups[0]!)).mode & 0o777).toBe(0o600)
  })

  it('writes through a symbolic link and leaves the link in place', async () => {
    const real = join(folder.dir, 'dotfiles', 'claude.json')
    await mkdir(join(folder.dir, 'dotfiles'))
    await mkdir(join(folder.dir, 'Claude'))
    await writeFile(real, '{}\n')
    await symlink(real, file)
    await configsFor().install('claude-desktop', 'linear')
    expect((await lstat(file)).isSymbolicLink()).toBe(true)
    expect(await readlink(file)).toBe(real)
    expect(JSON.parse(await readFile(real, 'utf8')).mcpServers).toHaveProperty('linear')
  })

  it('puts back what a client dropped, but never what the person removed through MCP Tray', async () => {
    const configs = configsFor()
    await configs.install('claude-desktop', 'kept')
    await configs.install('claude-desktop', 'removed')
    await configs.uninstall('claude-desktop', 'removed')
    await writeFile(file, claudeFile)
    expect(await configs.restore('claude-desktop')).toEqual({ file, restored: ['kept'] })
    const servers = JSON.parse((await readFile(file, 'utf8')).replace(/^\s*\/\/.*$/m, '')).mcpServers
    expect(Object.keys(servers)).toEqual(['filesystem', 'kept'])
    expect(await configs.restore('claude-desktop')).toEqual({ file, restored: [] })
    await configs.install('claude-desktop', 'removed')
    await writeFile(file, '{}')
    expect((await configs.restore('claude-desktop')).restored.sort()).toEqual(['kept', 'removed'])
  })

  it('writes each client’s schema', async () => {
    for (const client of clientIds) {
      const target = join(folder.dir, client, 'config.json')
      await configsFor(target, client).install(client, 'linear')
      const written = JSON.parse(await readFile(target, 'utf8'))
      const key = client === 'vscode' ? 'servers' : 'mcpServers'
      const typed = client === 'vscode' || client === 'claude-code'
      expect(written, client).toEqual({
        [key]: {
          linear: {
            ...(typed ? { type: 'stdio' } : {}),
            command: testLaunch.executable,
            args: [testLaunch.cliScript, 'proxy', 'linear'],
            env: { MCP_TRAY_HOME: dataDir },
          },
        },
      })
    }
  })

  it('adds ELECTRON_RUN_AS_NODE only for the packaged app', async () => {
    const app = new ClientConfigs({
      dataDir,
      launch: { executable: 'C:\\Program Files\\MCP Tray\\MCP Tray.exe', cliScript: 'C:\\Program Files\\MCP Tray\\resources\\app.asar\\out\\cli\\index.js', runAsNode: true },
      host: hostWithFile(overrideVariable('claude-desktop'), file, folder.dir),
    })
    await app.install('claude-desktop', 'linear')
    expect(JSON.parse(await readFile(file, 'utf8')).mcpServers.linear).toEqual({
      command: 'C:\\Program Files\\MCP Tray\\MCP Tray.exe',
      args: ['C:\\Program Files\\MCP Tray\\resources\\app.asar\\out\\cli\\index.js', 'proxy', 'linear'],
      env: { ELECTRON_RUN_AS_NODE: '1', MCP_TRAY_HOME: dataDir },
    })
  })
})
