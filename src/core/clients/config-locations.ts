import { stat } from 'node:fs/promises'
import { posix, resolve, win32 } from 'node:path'
import { overrideVariable, type ClientId, type ClientKind, type HostEnvironment } from './client-kinds'

/** Paths a person chose in MCP Tray's settings, per client. */
export type PathOverrides = Partial<Record<ClientId, string>>

export type LocationSource = 'environment' | 'setting' | 'found' | 'default'

export interface ConfigLocation {
  readonly client: ClientId
  readonly file: string
  /** Why this path: an override, a file (or its folder) that exists, or the platform default. */
  readonly source: LocationSource
}

/** Answers whether a path exists and what it is; injectable so other platforms' layouts can be tested. */
export type PathProbe = (path: string) => Promise<'file' | 'directory' | undefined>

export const probePath: PathProbe = async (path) => {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file'
  } catch {
    return undefined
  }
}

/**
 * Finds a client's config file. The environment variable (`MCP_TRAY_<CLIENT>_CONFIG`) wins over
 * the setting because it is scoped to one run (tests, one-off commands); the setting wins over
 * what is found on disk. Among the platform's candidates the first existing file wins, then the
 * first whose folder exists (the app is installed but has not written its file yet).
 */
export async function locateConfig(
  kind: ClientKind,
  host: HostEnvironment,
  overrides: PathOverrides = {},
  probe: PathProbe = probePath,
): Promise<ConfigLocation> {
  const fromEnvironment = host.env[overrideVariable(kind.id)]
  if (fromEnvironment) return { client: kind.id, file: resolve(fromEnvironment), source: 'environment' }
  const fromSetting = overrides[kind.id]
  if (fromSetting) return { client: kind.id, file: resolve(fromSetting), source: 'setting' }

  const { candidates, fallback } = kind.paths(host)
  const { dirname } = host.platform === 'win32' ? win32 : posix
  for (const candidate of candidates) {
    if ((await probe(candidate)) === 'file') return { client: kind.id, file: candidate, source: 'found' }
  }
  for (const candidate of candidates) {
    if ((await probe(dirname(candidate))) === 'directory') return { client: kind.id, file: candidate, source: 'found' }
  }
  return { client: kind.id, file: fallback, source: 'default' }
}
