import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type CannedRoutes = Record<string, (req: IncomingMessage, res: ServerResponse, origin: string) => void>

/** A tiny HTTP server on 127.0.0.1 answering canned routes (`GET /path`); everything else 404. */
export async function startCannedServer(routes: CannedRoutes): Promise<{ origin: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = []
  let origin = ''
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const key = `${req.method} ${path}`
    hits.push(key)
    const route = routes[key]
    if (route) route(req, res, origin)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, hits, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

export function json(body: Record<string, unknown> | ((origin: string) => unknown), status = 200): CannedRoutes[string] {
  return (_req, res, origin) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(typeof body === 'function' ? (body as (o: string) => unknown)(origin) : body))
  }
}
