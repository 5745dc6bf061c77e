import { chmod, unlink } from 'node:fs/promises'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import lockfile from 'proper-lockfile'
import { TrayError } from '../../shared/tray-error'
import { redactText } from '../logs/redaction'
import type { SecretValues } from '../logs/secret-values'
import { hubListenPath, isNamedPipe, type HubAddress } from './hub-address'
import { isHubRequest, maxHubMessageBytes, type HelloParams, type HubErrorPayload, type HubEvent } from './hub-protocol'
import { readOrCreateHubSecret, secretsMatch } from './hub-secret'
import { readJsonLines, writeJsonLine } from './json-lines'
import { preparePrivateSocketHome } from './socket-home'

/** One admitted client, as handlers see it. */
export interface HubPeer {
  readonly role: HelloParams['role']
  readonly pid: number
  send(event: HubEvent): void
}

export type HubHandler = (params: unknown, peer: HubPeer) => Promise<unknown>

export interface HubServer {
  readonly address: HubAddress
  /** Pushes an event to every admitted client. */
  broadcast(event: HubEvent): void
  peers(): readonly HubPeer[]
  /** Calls `listener` when an admitted client's connection closes. */
  onPeerClosed(listener: (peer: HubPeer) => void): void
  close(): Promise<void>
}

/** Bounds on a connection that has not said `hello` yet: whoever it is, it is not admitted. */
export interface HubServerOptions {
  /** Time a connection has to present the secret before it is dropped (default 5 s). */
  readonly helloTimeoutMs?: number
  /** Bytes a connection may send before it is admitted (default 64 KiB; a hello is a few hundred). */
  readonly maxBytesBeforeHello?: number
  /** Secret values the hub holds: no error it answers with carries one (a server may echo a token in its error text). */
  readonly secrets?: SecretValues
}

export const defaultHelloTimeoutMs = 5_000
export const defaultMaxBytesBeforeHello = 64 * 1024

const roles: ReadonlySet<string> = new Set<HelloParams['role']>(['proxy', 'cli', 'dashboard'])

/**
 * Listens on the hub's local socket (mode 0600, in a private folder) and admits only clients that
 * present the secret, within a few seconds and a few kilobytes. Refuses to start when another hub
 * already answers there; removes a socket file left by a hub that died. No line, connection or
 * handler failure ends the hub.
 */
export async function startHubServer(address: HubAddress, handlers: ReadonlyMap<string, HubHandler>, options: HubServerOptions = {}): Promise<HubServer> {
  // Two proxies started together each start a hub. Unlocked, one could remove the socket the other
  // had just bound (leaving a hub nobody can reach) or read the secret the other was writing.
  const release = await acquireStartLock(address)
  try {
    await preparePrivateSocketHome(address)
    // Probe first: a hub that is going to lose must not touch the secret the running one admits by.
    await clearStaleSocket(address)
    const secret = await readOrCreateHubSecret(address.secretPath)
    return await listenForClients(address, secret, handlers, options)
  } finally {
    // Taken over after a long stall (a sleeping laptop), the lock is no longer ours to release; the hub listens all the same.
    await release().catch(() => undefined)
  }
}

async function listenForClients(
  address: HubAddress,
  secret: string,
  handlers: ReadonlyMap<string, HubHandler>,
  options: HubServerOptions,
): Promise<HubServer> {
  const helloTimeoutMs = options.helloTimeoutMs ?? defaultHelloTimeoutMs
  const maxBytesBeforeHello = options.maxBytesBeforeHello ?? defaultMaxBytesBeforeHello
  const admitted = new Set<HubPeer>()
  const sockets = new Set<Socket>()
  const peerClosedListeners: ((peer: HubPeer) => void)[] = []

  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    let peer: HubPeer | undefined
    let refused = false
    // Before hello nobody is admitted: a connection that says nothing, or too much, is dropped.
    const helloTimer = setTimeout(() => socket.destroy(), helloTimeoutMs)
    helloTimer.unref()
    socket.on('close', () => clearTimeout(helloTimer))
    let bytesBeforeHello = 0
    socket.on('data', (chunk: Buffer) => {
      if (peer !== undefined) return
      bytesBeforeHello += chunk.length
      if (bytesBeforeHello > maxBytesBeforeHello) socket.destroy()
    })
    // A client that stops reading would make the hub buffer events and replies without end.
    const write = (message: unknown): void => {
      if (socket.writableLength > maxHubMessageBytes) socket.destroy()
      else {
        try {
          writeJsonLine(socket, message)
        } catch {
          // A result JSON cannot carry (a cycle, a BigInt): the caller hears that much, not nothing.
          if (isReply(message)) writeJsonLine(socket, { id: message.id, error: { code: 'hub_internal', message: 'The hub could not encode its answer.' } })
        }
      }
    }
    const fail = (id: number, error: HubErrorPayload): void => write({ id, error })
    readJsonLines(
      socket,
      () => (peer === undefined ? maxBytesBeforeHello : maxHubMessageBytes),
      (message) => {
        if (!isHubRequest(message) || refused) return
        if (peer === undefined) {
          const hello = message.params as Partial<HelloParams> | undefined
          if (message.method !== 'hello' || typeof hello !== 'object' || hello === null || !secretsMatch(secret, hello.secret)) {
            refused = true
            fail(message.id, { code: 'hub_unauthorized', message: 'The hub did not recognise this client.' })
            socket.end()
            return
          }
          clearTimeout(helloTimer)
          const admittedPeer: HubPeer = {
            role: typeof hello.role === 'string' && roles.has(hello.role) ? hello.role : 'proxy',
            pid: typeof hello.pid === 'number' && Number.isSafeInteger(hello.pid) ? hello.pid : 0,
            send: (event) => write(event),
          }
          peer = admittedPeer
          admitted.add(admittedPeer)
          socket.on('close', () => {
            admitted.delete(admittedPeer)
            for (const listener of peerClosedListeners) {
              try {
                listener(admittedPeer)
              } catch {
                // One listener's failure must not keep the others from hearing, nor end the hub.
              }
            }
          })
          write({ id: message.id, result: { pid: process.pid } })
          return
        }
        const handler = handlers.get(message.method)
        if (!handler) {
          fail(message.id, { code: 'hub_unknown_method', message: `The hub has no method ${String(message.method).slice(0, 100)}.` })
          return
        }
        const { id } = message
        const caller = peer
        // Through a promise, so a handler that throws before it returns one fails only its call.
        Promise.resolve()
          .then(() => handler(message.params, caller))
          .then(
            (result) => write({ id, result: result ?? null }),
            (error: unknown) => fail(id, toErrorPayload(error, options.secrets)),
          )
      },
      (reason) => {
        socket.destroy(new Error(reason))
      },
    )
  })
  // An accept that fails (EMFILE while connections pile up) drops that one connection, not the hub.
  server.on('error', () => undefined)

  await listen(server, hubListenPath(address, secret))
  if (!isNamedPipe(address)) {
    await chmod(address.socketPath, 0o600).catch(async (error: unknown) => {
      await closeServer(server, sockets)
      throw error
    })
  }

  return {
    address,
    broadcast: (event) => {
      for (const peer of admitted) peer.send(event)
    },
    peers: () => [...admitted],
    onPeerClosed: (listener) => {
      peerClosedListeners.push(listener)
    },
    close: () => closeServer(server, sockets),
  }
}

async function acquireStartLock(address: HubAddress): Promise<() => Promise<void>> {
  try {
    // Stale after 5 s (a starter that crashed holding it), well within a proxy's 10 s wait for the hub.
    return await lockfile.lock(address.secretPath, {
      realpath: false,
      stale: 5_000,
      retries: { retries: 60, minTimeout: 10, maxTimeout: 250, factor: 1.5, randomize: true },
      onCompromised: () => undefined,
    })
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ELOCKED') throw cause
    throw new TrayError('hub_start_locked', 'Another MCP Tray hub is starting for this data folder and has not finished.', {
      hint: `Wait a moment and try again. If no MCP Tray is running, delete the folder ${address.secretPath}.lock.`,
      cause,
    })
  }
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Windows pipes are not probed first: there a running hub shows only as the pipe in use.
    const fail = (error: NodeJS.ErrnoException): void => reject(error.code === 'EADDRINUSE' ? alreadyRunning() : error)
    server.once('error', fail)
    server.listen(socketPath, () => {
      server.off('error', fail)
      resolve()
    })
  })
}

function alreadyRunning(): TrayError {
  return new TrayError('hub_already_running', 'Another MCP Tray hub is already running for this data folder.', {
    hint: 'Use the running one (open MCP Tray from the tray), or quit it before starting another.',
  })
}

function isReply(message: unknown): message is { id: number } {
  return typeof message === 'object' && message !== null && typeof (message as { id?: unknown }).id === 'number'
}

/** An error as a client hears it: in words fit to show, with no secret the hub holds. */
function toErrorPayload(error: unknown, secrets: SecretValues | undefined): HubErrorPayload {
  const words = (text: string): string => redactText(text, secrets)
  if (error instanceof TrayError) {
    return { code: error.code, message: words(error.message), ...(error.hint ? { hint: words(error.hint) } : {}) }
  }
  return { code: 'hub_internal', message: words(error instanceof Error ? error.message : String(error)) }
}

async function clearStaleSocket(address: HubAddress): Promise<void> {
  if (isNamedPipe(address)) return
  const { socketPath } = address
  // Only a refused connection (or no file) proves no hub listens; anything else (a full backlog) may be a live one.
  const mayBeLive = await new Promise<boolean>((resolve) => {
    const probe = createConnection(socketPath)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'))
  })
  if (mayBeLive) throw alreadyRunning()
  await unlink(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
}

async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}
