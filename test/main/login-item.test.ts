import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { app } from 'electron'
import { appLoginItem } from '../../src/main/login-item'
import { execLine, XdgAutostart } from '../../src/main/xdg-autostart'
import { electronMock } from '../mocks/electron'

describe('the login item (electron mocked)', () => {
  let configHome: string

  beforeEach(async () => {
    electronMock.reset()
    configHome = await mkdtemp(join(tmpdir(), 'mcp-tray-autostart-'))
  })
  afterEach(async () => {
    ;(app as { isPackaged: boolean }).isPackaged = false
    await rm(configHome, { recursive: true, force: true })
  })

  it('starts the app in the background at login on Windows, asking with the same arguments it set', () => {
    const item = appLoginItem('win32')!
    expect(item.get()).toBe(false)
    item.set(true)
    expect(electronMock.loginItemCalls).toEqual([{ openAtLogin: true, args: ['--background'] }])
    expect(item.get()).toBe(true)
    item.set(false)
    expect(item.get()).toBe(false)
  })

  it('writes an XDG autostart entry for the packaged app on Linux, naming the AppImage when it runs from one', async () => {
    ;(app as { isPackaged: boolean }).isPackaged = true
    const item = appLoginItem('linux', { XDG_CONFIG_HOME: configHome, APPIMAGE: '/home/me/Apps/MCP Tray-1.0.0.AppImage' })!
    const file = join(configHome, 'autostart', 'mcp-tray.desktop')
    expect(item.get()).toBe(false)
    item.set(true)
    expect(item.get()).toBe(true)
    expect(await readFile(file, 'utf8')).toBe(
      ['[Desktop Entry]', 'Type=Application', 'Name=MCP Tray', 'Exec="/home/me/Apps/MCP Tray-1.0.0.AppImage" "--background"', 'Terminal=false', 'X-GNOME-Autostart-enabled=true', ''].join('\n'),
    )
    expect(electronMock.loginItemCalls).toEqual([])
    item.set(false)
    expect(item.get()).toBe(false)
    item.set(false)
  })

  it('reads an entry the desktop’s settings turned off as off', async () => {
    const autostart = new XdgAutostart({ configHome, command: ['/opt/MCP Tray/mcp-tray'], name: 'MCP Tray', id: 'mcp-tray' })
    autostart.set(true)
    await writeFile(autostart.file, `${await readFile(autostart.file, 'utf8')}Hidden=true\n`)
    expect(autostart.get()).toBe(false)
  })

  it('quotes every argument of Exec as the Desktop Entry Specification says', () => {
    expect(execLine(['/opt/a b/app', '--x'])).toBe('"/opt/a b/app" "--x"')
    // `"`, `` ` ``, `$` and `\` escaped inside quotes, then every backslash escaped again; `%` doubled.
    expect(execLine(['/o"d`d$/x\\y', '100%'])).toBe('"/o\\\\"d\\\\`d\\\\$/x\\\\\\\\y" "100%%"')
    expect(() => execLine(['/a\nb'])).toThrow(expect.objectContaining({ code: 'autostart_bad_path' }))
  })

  it('has no login item on Linux unpackaged', () => {
    expect(appLoginItem('linux', { XDG_CONFIG_HOME: configHome })).toBeUndefined()
  })
})
