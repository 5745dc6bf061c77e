import { describe, expect, it } from 'vitest'
import { hubCommand } from '../../../src/core/hub/hub-launcher'

describe('hubCommand', () => {
  it('starts `mcp-tray serve --quiet` with the proxy’s own node and script', () => {
    // An Electron-based client may pass ELECTRON_RUN_AS_NODE on to a plain node: that is still node.
    expect(hubCommand({ executable: '/usr/bin/node', cliScript: '/opt/mcp-tray/out/cli/index.js', env: { MCP_TRAY_HOME: '/h', ELECTRON_RUN_AS_NODE: '1' }, insideApp: false })).toEqual({
      command: '/usr/bin/node',
      args: ['/opt/mcp-tray/out/cli/index.js', 'serve', '--quiet'],
      env: { MCP_TRAY_HOME: '/h', ELECTRON_RUN_AS_NODE: '1' },
    })
  })

  it('starts the app itself, in the background, when the proxy runs inside its executable', () => {
    const launch = { executable: '/Applications/MCP Tray.app/Contents/MacOS/MCP Tray', cliScript: '/x/cli.js', env: { ELECTRON_RUN_AS_NODE: '1', MCP_TRAY_HOME: '/h' }, insideApp: true }
    expect(hubCommand(launch)).toEqual({ command: launch.executable, args: ['--background'], env: { MCP_TRAY_HOME: '/h' } })
    expect(launch.env.ELECTRON_RUN_AS_NODE).toBe('1')
  })
})
