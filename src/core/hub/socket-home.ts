import type { Stats } from 'node:fs'
import { lstat, mkdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { TrayError } from '../../shared/tray-error'
import { isNamedPipe, type HubAddress } from './hub-address'

/**
 * The hub's socket is only as private as its folder: whoever can write there can put their own
 * socket in its place and be handed the hub secret, the log events and the tokens. So the hub
 * listens only in a folder of this user's that nobody else can enter, and a client checks the
 * same before it sends the secret. Node cannot ask a Unix socket for its peer's uid
 * (SO_PEERCRED), so the owners of the folder and of the socket file stand for it.
 */

function currentUid(): number {
  return process.getuid?.() ?? -1
}

/** The hub's side: creates the socket's folder (0700) when missing, then refuses one that is not private. */
export async function preparePrivateSocketHome(address: HubAddress): Promise<void> {
  if (isNamedPipe(address)) return
  const folder = dirname(address.socketPath)
  await mkdir(folder, { recursive: true, mode: 0o700 })
  await checkPrivateFolder(folder)
}

/**
 * The client's side, before it sends the secret: the socket's folder is this user's and private,
 * and so is the socket file. Returns false when there is no socket (no hub runs); throws
 * `hub_socket_untrusted` when there is one that cannot be trusted.
 */
export async function verifyHubSocket(address: HubAddress): Promise<boolean> {
  if (isNamedPipe(address)) return true
  const folder = dirname(address.socketPath)
  if (!(await checkPrivateFolder(folder))) return false
  const socket = await lstat(address.socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!socket) return false
  if (socket.uid !== currentUid()) {
    throw untrusted(address.socketPath, `belongs to another user (uid ${socket.uid})`, `Remove ${address.socketPath} and start MCP Tray again.`)
  }
  return true
}

/** Checks that `folder` is a folder of this user that nobody else can enter; false when it does not exist. */
async function checkPrivateFolder(folder: string): Promise<boolean> {
  let stats: Stats
  try {
    stats = await lstat(folder)
    if (stats.isSymbolicLink()) {
      // A link is as safe as the folder holding it: in one others can write (the temp dir), it can be swapped.
      const parent = await stat(dirname(folder))
      if ((parent.mode & 0o022) !== 0 || (parent.uid !== currentUid() && parent.uid !== 0)) {
        throw untrusted(folder, 'is a link in a folder other users can change', `Remove the link ${folder} and start MCP Tray again.`)
      }
      stats = await stat(folder)
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
  if (!stats.isDirectory()) throw untrusted(folder, 'is not a folder', `Remove ${folder} and start MCP Tray again.`)
  if (stats.uid !== currentUid()) {
    throw untrusted(
      folder,
      `belongs to another user (uid ${stats.uid})`,
      `Someone else made it, perhaps to intercept MCP Tray: remove it (as an administrator) and start MCP Tray again, or set MCP_TRAY_HOME to a short path of your own.`,
    )
  }
  if ((stats.mode & 0o077) !== 0) {
    throw untrusted(
      folder,
      `is open to other users (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')})`,
      `Make it private with \`chmod 700 '${folder}'\` and start MCP Tray again.`,
    )
  }
  return true
}

function untrusted(path: string, problem: string, hint: string): TrayError {
  return new TrayError('hub_socket_untrusted', `MCP Tray will not use its hub socket there: ${path} ${problem}, so another user could stand in for the hub.`, {
    hint,
  })
}
