import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, createServer, type Socket } from 'node:net'
import { Worker } from 'node:worker_threads'

export interface Closable {
  readonly port: number
  readonly origin: string
  close(): Promise<void>
}

/** Accepts connections and never says a word: every request to it hangs until the client gives up. */
export async function startSilentServer(): Promise<Closable> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    socket.resume()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * A port whose listener never accepts: a worker thread listens with the smallest backlog and then
 * blocks (Atomics.wait, no CPU) until closed; a few connections fill the queue, so the kernel
 * leaves the next one unanswered, as a firewall that drops packets would.
 */
export async function startUnacceptingPort(): Promise<Closable> {
  const signal = new Int32Array(new SharedArrayBuffer(4))
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads')
    const server = require('node:net').createServer()
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      parentPort.postMessage(server.address().port)
      setImmediate(() => Atomics.wait(workerData, 0, 0, 30000))
    })
    `,
    { eval: true, workerData: signal },
  )
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  // Fill the accept queue: connect until a connection is left waiting (the kernel answers no more).
  const fillers: Socket[] = []
  for (let i = 0; i < 8; i += 1) {
    const filler = connect(port, '127.0.0.1')
    filler.on('error', () => undefined)
    fillers.push(filler)
    const connected = await Promise.race([
      new Promise<boolean>((resolve) => filler.once('connect', () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
    ])
    if (!connected) break
  }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      Atomics.store(signal, 0, 1)
      Atomics.notify(signal, 0)
      for (const filler of fillers) filler.destroy()
      await worker.terminate()
    },
  }
}

/** A small HTTP server whose answers a test writes; `hang` leaves a request unanswered. */
export async function startStubServer(
  handle: (req: IncomingMessage, res: ServerResponse, body: string, origin: string) => void | 'hang',
): Promise<Closable> {
  let origin = ''
  const server = createHttpServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => void handle(req, res, body, origin))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  origin = `http://127.0.0.1:${port}`
  return {
    port,
    origin,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A forward proxy that answers every CONNECT with `status` and nothing more (200: the tunnel opens, then closes). */
export async function startConnectProxy(status: number): Promise<Closable & { readonly asked: string[] }> {
  const asked: string[] = []
  const server = createHttpServer((_req, res) => void res.writeHead(status).end())
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    asked.push(req.url ?? '')
    socket.on('error', () => undefined)
    socket.end(`HTTP/1.1 ${status} ${status === 200 ? 'Connection established' : 'Refused'}\r\n${status === 407 ? 'Proxy-Authenticate: Basic realm="corp"\r\n' : ''}\r\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    asked,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
