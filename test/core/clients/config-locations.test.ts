import { describe, expect, it } from 'vitest'
import { clientKinds, overrideVariable, type HostEnvironment } from '../../../src/core/clients/client-kinds'
import { locateConfig, type PathProbe } from '../../../src/core/clients/config-locations'

const mac: HostEnvironment = { env: {}, platform: 'darwin', home: '/Users/ada' }
const linux: HostEnvironment = { env: {}, platform: 'linux', home: '/home/ada' }
const windows: HostEnvironment = {
  env: { APPDATA: 'C:\\Users\\Ada Lovelace\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\Ada Lovelace\\AppData\\Local' },
  platform: 'win32',
  home: 'C:\\Users\\Ada Lovelace',
}
const nothing: PathProbe = async () => undefined
const storeFolder = 'C:\\Users\\Ada Lovelace\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude'

describe('locateConfig', () => {
  it('finds Claude Desktop where each platform keeps it', async () => {
    expect((await locateConfig(clientKinds['claude-desktop'], mac, {}, nothing)).file).toBe(
      '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json',
    )
    expect((await locateConfig(clientKinds['claude-desktop'], linux, {}, nothing)).file).toBe('/home/ada/.config/Claude/claude_desktop_config.json')
    expect((await locateConfig(clientKinds['claude-desktop'], { ...linux, env: { XDG_CONFIG_HOME: '/xdg' } }, {}, nothing)).file).toBe(
      '/xdg/Claude/claude_desktop_config.json',
    )
    const standard = await locateConfig(clientKinds['claude-desktop'], windows, {}, nothing)
    expect(standard).toEqual({ client: 'claude-desktop', file: 'C:\\Users\\Ada Lovelace\\AppData\\Roaming\\Claude\\claude_desktop_config.json', source: 'default' })
  })

  it('prefers the Microsoft Store install when its file or folder exists', async () => {
    const storeFile = `${storeFolder}\\claude_desktop_config.json`
    const withFile: PathProbe = async (path) => (path === storeFile ? 'file' : undefined)
    expect(await locateConfig(clientKinds['claude-desktop'], windows, {}, withFile)).toEqual({ client: 'claude-desktop', file: storeFile, source: 'found' })
    const withFolder: PathProbe = async (path) => (path === storeFolder ? 'directory' : undefined)
    expect((await locateConfig(clientKinds['claude-desktop'], windows, {}, withFolder)).file).toBe(storeFile)
  })

  it('prefers an existing standard file over a Store folder without a file', async () => {
    const standardFile = 'C:\\Users\\Ada Lovelace\\AppData\\Roaming\\Claude\\claude_desktop_config.json'
    const probe: PathProbe = async (path) => (path === standardFile ? 'file' : path === storeFolder ? 'directory' : undefined)
    expect((await locateConfig(clientKinds['claude-desktop'], windows, {}, probe)).file).toBe(standardFile)
  })

  it('knows the other clients’ files', async () => {
    const files = async (host: HostEnvironment) =>
      Object.fromEntries(
        await Promise.all(
          (['cursor', 'windsurf', 'vscode', 'claude-code'] as const).map(async (id) => [id, (await locateConfig(clientKinds[id], host, {}, nothing)).file]),
        ),
      )
    expect(await files(mac)).toEqual({
      cursor: '/Users/ada/.cursor/mcp.json',
      windsurf: '/Users/ada/.codeium/windsurf/mcp_config.json',
      vscode: '/Users/ada/Library/Application Support/Code/User/mcp.json',
      'claude-code': '/Users/ada/.claude.json',
    })
    expect(await files(windows)).toEqual({
      cursor: 'C:\\Users\\Ada Lovelace\\.cursor\\mcp.json',
      windsurf: 'C:\\Users\\Ada Lovelace\\.codeium\\windsurf\\mcp_config.json',
      vscode: 'C:\\Users\\Ada Lovelace\\AppData\\Roaming\\Code\\User\\mcp.json',
      'claude-code': 'C:\\Users\\Ada Lovelace\\.claude.json',
    })
    expect((await locateConfig(clientKinds['claude-code'], { ...linux, env: { CLAUDE_CONFIG_DIR: '/cc' } }, {}, nothing)).file).toBe('/cc/.claude.json')
    expect(clientKinds.vscode.serversKey).toBe('servers')
    expect(clientKinds['claude-code'].serversKey).toBe('mcpServers')
  })

  it('lets the environment variable win over the setting, and the setting over the platform', async () => {
    const variable = overrideVariable('claude-desktop')
    expect(variable).toBe('MCP_TRAY_CLAUDE_DESKTOP_CONFIG')
    const fromSetting = await locateConfig(clientKinds['claude-desktop'], mac, { 'claude-desktop': '/tmp/setting.json' }, nothing)
    expect(fromSetting).toEqual({ client: 'claude-desktop', file: '/tmp/setting.json', source: 'setting' })
    const fromEnv = await locateConfig(clientKinds['claude-desktop'], { ...mac, env: { [variable]: '/tmp/env.json' } }, { 'claude-desktop': '/tmp/setting.json' }, nothing)
    expect(fromEnv).toEqual({ client: 'claude-desktop', file: '/tmp/env.json', source: 'environment' })
  })
})
