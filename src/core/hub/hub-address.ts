import { createHash } from 'node:crypto'
import { lstatSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where the hub listens and where it keeps the secret that admits clients. */
export interface HubAddress {
  /** A Unix domain socket path, or the base of a Windows named pipe's name (`\\.\pipe\…`, see `hubListenPath`). */
  readonly socketPath: string
  readonly secretPath: string
}

/** What decides the address besides the data dir; the process's own by default. */
export interface HubAddressEnvironment {
  readonly platform: NodeJS.Platform
  readonly env: NodeJS.ProcessEnv
  readonly tmpdir: string
  readonly uid: number
}

// sun_path holds 104 bytes on macOS and 108 on Linux, terminator included.
const maxUnixSocketPath = 103

const pipePrefix = '\\\\.\\pipe\\'

function processEnvironment(platform: NodeJS.Platform): HubAddressEnvironment {
  return { platform, env: process.env, tmpdir: tmpdir(), uid: process.getuid?.() ?? -1 }
}

/**
 * The hub's address for a data dir. The secret is `<dataDir>/hub.secret`. The socket lives in a
 * folder only this user can enter: `<dataDir>/hub.sock` (the data dir is 0700); when that path is
 * too long for a socket, `$XDG_RUNTIME_DIR` (when it is ours and 0700, as the XDG spec requires)
 * or a 0700 folder of our own under the temp dir, `mcp-tray-<uid>`, which the hub creates and
 * both sides check (see `socket-home.ts`): never a name in a shared folder that another user
 * could bind first. On Windows a per-user named pipe.
 */
export function hubAddressFor(dataDir: string, platform: NodeJS.Platform | HubAddressEnvironment = process.platform): HubAddress {
  const environment = typeof platform === 'string' ? processEnvironment(platform) : platform
  const secretPath = join(dataDir, 'hub.secret')
  const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 16)
  if (environment.platform === 'win32') return { socketPath: `${pipePrefix}mcp-tray-${digest}`, secretPath }
  const fits = (path: string): boolean => Buffer.byteLength(path) <= maxUnixSocketPath
  const inDataDir = join(dataDir, 'hub.sock')
  if (fits(inDataDir)) return { socketPath: inDataDir, secretPath }
  const runtimeDir = environment.env.XDG_RUNTIME_DIR
  if (runtimeDir && isPrivateRuntimeDir(runtimeDir, environment.uid)) {
    const inRuntimeDir = join(runtimeDir, `mcp-tray-${digest}.sock`)
    if (fits(inRuntimeDir)) return { socketPath: inRuntimeDir, secretPath }
  }
  const inTemp = join(environment.tmpdir, `mcp-tray-${environment.uid}`, `${digest}.sock`)
  return { socketPath: fits(inTemp) ? inTemp : join('/tmp', `mcp-tray-${environment.uid}`, `${digest}.sock`), secretPath }
}

/** Whether the address is a Windows named pipe rather than a socket file. */
export function isNamedPipe(address: HubAddress): boolean {
  return address.socketPath.startsWith(pipePrefix)
}

/**
 * Where the hub listens and clients connect, once the secret is known. A socket file is protected
 * by its folder. A Windows pipe has no folder, and Node can neither set nor check a pipe's owner:
 * another user who knows the name could create the pipe first. So the name carries a digest of
 * the secret, which only this user can read: nobody else can know it, let alone take it first.
 */
export function hubListenPath(address: HubAddress, secret: string): string {
  if (!isNamedPipe(address)) return address.socketPath
  return `${address.socketPath}-${createHash('sha256').update(`mcp-tray pipe ${secret}`).digest('hex').slice(0, 32)}`
}

function isPrivateRuntimeDir(dir: string, uid: number): boolean {
  try {
    const stats = lstatSync(dir)
    return stats.isDirectory() && stats.uid === uid && (stats.mode & 0o077) === 0
  } catch {
    return false
  }
}
