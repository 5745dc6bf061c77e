import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { dashboardMethods, type DashboardApi, type DashboardMethod } from '../../shared/dashboard-api'
import { dashboardRoute, type DashboardHttpFailure } from '../../shared/dashboard-http'
import { TrayError } from '../../shared/tray-error'

export interface DashboardHttpServer {
  readonly url: string
  close(): Promise<void>
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
}

const maxBodyBytes = 1024 * 1024

/**
 * The headless dashboard: the built renderer and the dashboard API over HTTP on a loopback port.
 * Calls are accepted only from the page's own origin (a page elsewhere cannot drive it) and only
 * with our own Host header (no DNS rebinding).
 */
export async function startDashboardHttpServer(options: {
  api: DashboardApi
  rendererDir: string
  port?: number
}): Promise<DashboardHttpServer> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const routes = new Map<string, DashboardMethod>(dashboardMethods.map((m) => [dashboardRoute(m), m]))

  server.on('request', (req, res) => {
    if (req.headers.host !== new URL(origin).host) {
      res.writeHead(421).end()
      return
    }
    const path = new URL(req.url ?? '/', origin).pathname
    const method = routes.get(path)
    if (req.method === 'POST' && method !== undefined) {
      if (req.headers.origin !== origin) {
        fail(res, 403, new TrayError('dashboard_origin', 'Calls are accepted only from the dashboard itself.'))
        return
      }
      void handleCall(options.api, method, req, res)
      return
    }
    if (req.method === 'GET') {
      void serveFile(options.rendererDir, path, res)
      return
    }
    res.writeHead(405).end()
  })
  return { url: `${origin}/`, close: () => close(server) }
}

async function handleCall(api: DashboardApi, method: DashboardMethod, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const args = JSON.parse((await readBody(req)) || '[]') as unknown
    if (!Array.isArray(args)) throw new TrayError('dashboard_bad_request', 'The call’s arguments must be a JSON array.')
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>
    const result = await fn.apply(api, args)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null))
  } catch (error) {
    const refused = error instanceof SyntaxError || (error instanceof TrayError && error.code === 'dashboard_bad_request')
    fail(res, refused ? 400 : 500, error)
  }
}

function fail(res: ServerResponse, status: number, error: unknown): void {
  const body: DashboardHttpFailure =
    error instanceof TrayError
      ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
      : { code: 'dashboard_internal', message: error instanceof Error ? error.message : String(error) }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

async function serveFile(rendererDir: string, path: string, res: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path))
  const file = join(rendererDir, relative)
  if (!file.startsWith(rendererDir + sep)) {
    res.writeHead(404).end()
    return
  }
  try {
    const body = await readFile(file)
    res
      .writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      })
      .end(body)
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        reject(new TrayError('dashboard_bad_request', 'The request was too large.'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}
