import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionLostError, MessageTooLargeError } from '../../../src/core/proxy/bounded-body'
import { createNodeHttpFetch, FetchFailure, type NodeHttpFetch } from '../../../src/core/proxy/node-http-fetch'

const kib = 1024
const mib = 1024 * kib

interface Loopback {
  readonly url: string
  readonly server: Server
  readonly accepted: () => number
  /** Each response's socket closed, by request path. */
  readonly closed: Set<string>
}

/** A loopback server answering with `handler`, counting its connections. */
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const closed = new Set<string>()
  let accepted = 0
  const server = createServer((req, res) => {
    res.on('error', () => undefined)
    res.once('close', () => closed.add(req.url ?? ''))
    handler(req, res)
  })
  server.on('connection', () => (accepted += 1))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, accepted: () => accepted, closed }
}

/** Writes `total` bytes of `fill` in 64 KiB pieces, waiting for the client to take them. */
async function writeMany(res: ServerResponse, total: number, fill = 'x'): Promise<number> {
  const piece = Buffer.alloc(64 * kib, fill)
  let written = 0
  while (written < total && !res.destroyed) {
    const ok = res.write(piece.subarray(0, Math.min(piece.length, total - written)))
    written += Math.min(piece.length, total - written)
    if (!ok) await new Promise((resolve) => (res.destroyed ? resolve(undefined) : res.once('drain', resolve).once('close', resolve)))
  }
  return written
}

async function eventually(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`still not so after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('createNodeHttpFetch bounds', () => {
  const open: { fetch?: NodeHttpFetch; loopback?: Loopback }[] = []
  afterEach(() => {
    for (const { fetch, loopback } of open.splice(0)) {
      fetch?.close()
      loopback?.server.closeAllConnections()
      loopback?.server.close()
    }
  })
  const use = (loopback: Loopback, fetch: NodeHttpFetch): NodeHttpFetch => {
    open.push({ fetch, loopback })
    return fetch
  }

  it('stops reading a JSON body at the message limit and closes its connection', async () => {
    let written = 0
    const loopback = await listen(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      written = await writeMany(res, 50 * mib)
      res.end()
    })
    const fetch = use(loopback, createNodeHttpFetch({ maxMessageBytes: mib }))
    const response = await fetch(`${loopback.url}/big`)
    const failure = await response.json().catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(MessageTooLargeError)
    expect((failure as MessageTooLargeError).limitBytes).toBe(mib)
    await eventually(() => loopback.closed.has('/big'))
    expect(written).toBeLessThan(10 * mib)
  })

  it('bounds each SSE event, not the stream, and a line that never ends', async () => {
    const loopback = await listen(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      if (req.url === '/many') {
        // Ten events of 600 KiB: near 6 MiB in all, each under the 1 MiB limit; CRLF and CR line ends too.
        for (let i = 0; i < 10; i += 1) {
          res.write(i % 2 === 0 ? 'data: ' : 'event: message\r\ndata: ')
          await writeMany(res, 600 * kib)
          res.write(i % 2 === 0 ? '\n\n' : '\r\n\r\n')
        }
        res.end('data: {}\r\r')
      } else {
        res.write('data: ')
        await writeMany(res, 50 * mib)
        res.end()
      }
    })
    const fetch = use(loopback, createNodeHttpFetch({ maxMessageBytes: mib }))
    const many = await (await fetch(`${loopback.url}/many`)).text()
    expect(many.length).toBeGreaterThan(6_000 * kib)
    const endless = await (await fetch(`${loopback.url}/endless`)).text().catch((error: unknown) => error)
    expect(endless).toBeInstanceOf(MessageTooLargeError)
    await eventually(() => loopback.closed.has('/endless'))
  })

  it('gives what arrived before a broken connection, then fails with ConnectionLostError', async () => {
    const loopback = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: {"first":true}\n\n', () => res.socket?.destroy())
    })
    const fetch = use(loopback, createNodeHttpFetch())
    const reader = (await fetch(loopback.url)).body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: {"first":true}\n\n')
    await expect(reader.read()).rejects.toBeInstanceOf(ConnectionLostError)
  })

  it('opens at most maxSockets connections; a request aborted while it waits never opens one', async () => {
    const held: ServerResponse[] = []
    const loopback = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(': held\n\n')
      held.push(res)
    })
    const fetch = use(loopback, createNodeHttpFetch({ maxSockets: 2 }))
    const controllers = Array.from({ length: 10 }, () => new AbortController())
    const responses = controllers.map((controller, i) => fetch(`${loopback.url}/${i}`, { signal: controller.signal }).then((r) => r.text(), (error: unknown) => error))
    await eventually(() => held.length === 2)
    for (const controller of controllers.slice(2, 7)) controller.abort(new Error('gave up'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Let the held ones finish, one after another: the three still waiting follow on the same connections.
    for (let done = 0; done < 5; done += 1) {
      await eventually(() => held.length > done)
      held[done]!.end()
    }
    const results = await Promise.all(responses)
    expect(results.filter((r) => r === ': held\n\n')).toHaveLength(5)
    expect(results.filter((r) => r instanceof Error && r.message === 'gave up')).toHaveLength(5)
    expect(loopback.accepted()).toBe(2)
  })

  it('says whether a failed request was sent: not when refused, but when the connection broke after', async () => {
    const loopback = await listen((req) => (req.socket as Socket).destroy())
    const fetch = use(loopback, createNodeHttpFetch())
    const broken = await fetch(loopback.url, { method: 'POST', body: '{}' }).catch((error: unknown) => error)
    expect(broken).toBeInstanceOf(FetchFailure)
    expect((broken as FetchFailure).sent).toBe(true)
    const refusedUrl = loopback.url
    loopback.server.close()
    await new Promise((resolve) => loopback.server.once('close', resolve))
    const refused = await fetch(refusedUrl, { method: 'POST', body: '{}' }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(FetchFailure)
    expect((refused as FetchFailure).sent).toBe(false)
    expect((refused as FetchFailure).cause).toMatchObject({ code: 'ECONNREFUSED' })
  })
})
