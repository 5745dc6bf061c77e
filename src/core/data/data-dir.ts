import { mkdir, chmod } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface DataDirEnvironment {
  readonly env: NodeJS.ProcessEnv
  readonly platform: NodeJS.Platform
  readonly home: string
}

const appFolder = 'MCP Tray'

/**
 * Where MCP Tray keeps its registry, vault, logs and hub socket when it runs without Electron:
 * `$MCP_TRAY_HOME` when set, else the platform's per-user application data folder (the same
 * folder Electron's `app.getPath('userData')` gives the packaged app).
 */
export function resolveDataDir(
  environment: DataDirEnvironment = { env: process.env, platform: process.platform, home: homedir() },
): string {
  const { env, platform, home } = environment
  if (env.MCP_TRAY_HOME) return env.MCP_TRAY_HOME
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', appFolder)
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), appFolder)
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), appFolder)
  }
}

/** Creates the data dir when missing and makes sure only its owner can enter it (mode 0700). */
export async function ensureDataDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if (process.platform !== 'win32') await chmod(dir, 0o700)
  return dir
}
