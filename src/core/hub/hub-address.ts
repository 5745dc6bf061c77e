import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where the hub listens and where it keeps the secret that admits clients. */
export interface HubAddress {
  /** A Unix domain socket path, or a Windows named pipe (`\\.\pipe\…`). */
  readonly socketPath: string
  readonly secretPath: string
}

// sun_path holds 104 bytes on macOS and 108 on Linux, terminator included.
const maxUnixSocketPath = 103

/**
 * The hub's address for a data dir: `<dataDir>/hub.sock` and `<dataDir>/hub.secret`; a per-user
 * named pipe on Windows; a short path under the temp dir when the data dir is too deep for a socket.
 */
export function hubAddressFor(dataDir: string, platform: NodeJS.Platform = process.platform): HubAddress {
  const secretPath = join(dataDir, 'hub.secret')
  const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 16)
  if (platform === 'win32') return { socketPath: `\\\\.\\pipe\\mcp-tray-${digest}`, secretPath }
  const inDataDir = join(dataDir, 'hub.sock')
  const socketPath = Buffer.byteLength(inDataDir) <= maxUnixSocketPath ? inDataDir : join(tmpdir(), `mcp-tray-${digest}.sock`)
  return { socketPath, secretPath }
}
