import { createConnection, type Socket } from 'node:net'
import { TrayError } from '../../shared/tray-error'
import { hubListenPath, type HubAddress } from './hub-address'
import { isHubEvent, isHubReply, maxHubMessageBytes, type HelloParams, type HubEvent } from './hub-protocol'
import { readHubSecret } from './hub-secret'
import { readJsonLines, writeJsonLine } from './json-lines'
import { verifyHubSocket } from './socket-home'

export interface HubConnection {
  /** The hub's process id, as it said in answer to hello. */
  readonly hubPid: number
  /** Calls a hub method; rejects with a TrayError on the hub's error, on timeout or when the hub goes away. */
  call<T = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<T>
  onEvent(listener: (event: HubEvent) => void): void
  onClose(listener: () => void): void
  close(): void
}

const defaultCallTimeoutMs = 30_000

/**
 * Connects to the hub and introduces itself with the secret. Fails fast (bounded by `timeoutMs`)
 * with `hub_unavailable` when no hub answers, so a caller can start one, and with
 * `hub_socket_untrusted` when the socket is not in a private folder of this user's: then the
 * secret is not sent, and no hub should be started there either.
 */
export async function connectToHub(
  address: HubAddress,
  role: HelloParams['role'],
  options: { timeoutMs?: number } = {},
): Promise<HubConnection> {
  const timeoutMs = options.timeoutMs ?? 2_000
  // The socket's home first: one that cannot be trusted is said at once, and no hub is started for it.
  const socketPresent = await verifyHubSocket(address)
  const secret = await readHubSecret(address.secretPath)
  if (secret === undefined) throw hubUnavailable('no hub has run for this data folder yet')
  if (!socketPresent) throw hubUnavailable('it is not running')
  const socket = await openSocket(hubListenPath(address, secret), timeoutMs)
  const connection = wrap(socket)
  try {
    const hello = await connection.call<{ pid: number }>('hello', { secret, role, pid: process.pid } satisfies HelloParams, {
      timeoutMs,
    })
    return { ...connection, hubPid: hello.pid }
  } catch (error) {
    connection.close()
    if (error instanceof TrayError && error.code === 'hub_unauthorized') {
      throw new TrayError('hub_unauthorized', `The running MCP Tray hub did not accept the secret in ${address.secretPath}.`, {
        hint: 'The file was replaced while the hub ran: quit MCP Tray (or stop `mcp-tray serve`) and start it again.',
        cause: error,
      })
    }
    throw error
  }
}

function openSocket(socketPath: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(hubUnavailable(`it did not answer within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      resolve(socket)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(hubUnavailable(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'it is not running' : error.message))
    })
  })
}

function wrap(socket: Socket): Omit<HubConnection, 'hubPid'> {
  let nextId = 1
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>()
  const eventListeners: ((event: HubEvent) => void)[] = []
  const closeListeners: (() => void)[] = []

  readJsonLines(
    socket,
    maxHubMessageBytes,
    (message) => {
      if (isHubReply(message)) {
        const waiter = pending.get(message.id)
        if (!waiter) return
        pending.delete(message.id)
        clearTimeout(waiter.timer)
        if ('error' in message) {
          const { code, message: text, hint } = message.error
          waiter.reject(new TrayError(code, text, hint === undefined ? {} : { hint }))
        } else {
          waiter.resolve(message.result)
        }
      } else if (isHubEvent(message)) {
        for (const listener of eventListeners) listener(message)
      }
    },
    (reason) => socket.destroy(new Error(reason)),
  )
  socket.on('error', () => undefined)
  socket.on('close', () => {
    for (const [, waiter] of pending) {
      clearTimeout(waiter.timer)
      waiter.reject(hubUnavailable('the connection to it closed'))
    }
    pending.clear()
    for (const listener of closeListeners) listener()
  })

  return {
    call<T>(method: string, params?: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
      if (socket.destroyed) return Promise.reject(hubUnavailable('the connection to it closed'))
      const id = nextId++
      const timeoutMs = options.timeoutMs ?? defaultCallTimeoutMs
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new TrayError('hub_timeout', `MCP Tray did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`, {
            hint: 'Open MCP Tray to see what it is waiting for, or restart it.',
          }))
        }, timeoutMs)
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer })
        writeJsonLine(socket, { id, method, params })
      })
    },
    onEvent: (listener) => {
      eventListeners.push(listener)
    },
    onClose: (listener) => {
      closeListeners.push(listener)
    },
    close: () => {
      socket.end()
      socket.destroy()
    },
  }
}

function hubUnavailable(reason: string): TrayError {
  return new TrayError('hub_unavailable', `MCP Tray is not reachable: ${reason}.`, {
    hint: 'Start MCP Tray (or run `mcp-tray serve`).',
  })
}
