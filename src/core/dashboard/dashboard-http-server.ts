import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dashboardMethods, type DashboardApi, type DashboardMethod } from '../../shared/dashboard-api'
import { dashboardEventsRoute, dashboardRoute, type DashboardHttpFailure } from '../../shared/dashboard-http'
import { TrayError } from '../../shared/tray-error'
import { secretsMatch } from '../hub/hub-secret'
import type { DashboardEventBus } from './dashboard-event-bus'
import { DashboardEventStreams, type EventStreamLimits } from './dashboard-event-stream'
import { serveRendererFile } from './renderer-files'

export interface DashboardHttpServer {
  /** The address to open: it carries the access token once, in the fragment (never sent to the server). */
  readonly url: string
  /** The address without the token, to show where the dashboard lives. */
  readonly origin: string
  /** Set when the port asked for was taken and another was used. */
  readonly movedFrom?: number
  /** How many pages hold the event stream open now. */
  streams(): number
  close(): Promise<void>
}

export interface DashboardHttpOptions {
  readonly api: DashboardApi
  readonly events: DashboardEventBus
  readonly rendererDir: string
  /**
   * The access token every call must carry: random, kept in a 0600 file of the data folder so that
   * an open page (and a bookmark of the printed address) still works after the hub restarts.
   */
  readonly token: string
  /** The port to try first (0: any free one). When taken, a free one is used instead. */
  readonly port?: number
  readonly streamLimits?: Partial<EventStreamLimits>
}

const maxBodyBytes = 1024 * 1024

/**
 * The headless dashboard: the built renderer and the dashboard API over HTTP on 127.0.0.1.
 * - Every API call and the event stream need the run's random access token (`Authorization:
 *   Bearer`); another local account or a page elsewhere gets 401 and learns nothing.
 * - Only our own Host (no DNS rebinding) and, when a browser says where a call comes from, only
 *   our own Origin; no CORS headers, so no other origin can read an answer.
 * - Whatever arrives (a malformed path, a huge body, a dropped connection) gets an answer or a
 *   closed socket, never an exception that could end the hub.
 */
export async function startDashboardHttpServer(options: DashboardHttpOptions): Promise<DashboardHttpServer> {
  const { token } = options
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, maxHeaderSize: 16 * 1024 })
  server.maxConnections = 256
  const wanted = options.port ?? 0
  let port: number
  try {
    port = await listen(server, wanted)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || wanted === 0) throw error
    port = await listen(server, 0)
  }
  const origin = `http://127.0.0.1:${port}`
  const host = `127.0.0.1:${port}`
  const streams = new DashboardEventStreams(options.events, options.streamLimits)
  const routes = new Map<string, DashboardMethod>(dashboardMethods.map((m) => [dashboardRoute(m), m]))

  server.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, error)
      else res.destroy()
    })
  })
  // A malformed request line or headers: answer 400 where the socket still can, and never throw.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
    else socket.destroy()
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== host) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request')
      return
    }
    const path = pathOf(req.url)
    if (req.headers.origin !== undefined && req.headers.origin !== origin) {
      fail(res, 403, new TrayError('dashboard_origin', 'Calls are accepted only from the dashboard itself.'))
      return
    }
    if (path === dashboardEventsRoute || routes.has(path)) {
      if (!authorized(req.headers.authorization, token)) {
        fail(res, 401, new TrayError('dashboard_token', 'This page has no valid access token for MCP Tray.', { hint: 'Open the address that `mcp-tray serve` printed (it carries the token), or run `mcp-tray dashboard`.' }))
        return
      }
      if (path === dashboardEventsRoute && req.method === 'GET') return streams.open(req, res)
      const method = routes.get(path)
      if (method !== undefined && req.method === 'POST') return handleCall(options.api, method, req, res)
      res.writeHead(405, { allow: method === undefined ? 'GET' : 'POST' }).end()
      return
    }
    if (req.method === 'GET' || req.method === 'HEAD') return serveRendererFile(options.rendererDir, path, res)
    res.writeHead(405, { allow: 'GET' }).end()
  }

  return {
    url: `${origin}/#token=${token}`,
    origin: `${origin}/`,
    ...(port !== wanted && wanted !== 0 ? { movedFrom: wanted } : {}),
    streams: () => streams.count(),
    async close() {
      streams.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** The path of a request target, without its query; `/` for anything that is not a path. */
function pathOf(target: string | undefined): string {
  if (target === undefined || !target.startsWith('/')) return '/'
  const end = target.search(/[?#]/)
  return end === -1 ? target : target.slice(0, end)
}

function authorized(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([A-Za-z0-9_-]{1,100})$/.exec(header ?? '')
  return match !== null && secretsMatch(token, match[1])
}

async function handleCall(api: DashboardApi, method: DashboardMethod, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const args = JSON.parse((await readBody(req)) || '[]') as unknown
    if (!Array.isArray(args)) throw new TrayError('dashboard_bad_request', 'The call’s arguments must be a JSON array.')
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>
    const result = await fn.apply(api, args)
    if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(result ?? null))
  } catch (error) {
    const refused = error instanceof SyntaxError || (error instanceof TrayError && error.code === 'dashboard_bad_request')
    fail(res, refused ? 400 : 500, error)
  }
}

function fail(res: ServerResponse, status: number, error: unknown): void {
  if (res.headersSent || res.destroyed) return
  const body: DashboardHttpFailure =
    error instanceof TrayError
      ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
      : { code: 'dashboard_internal', message: error instanceof Error ? error.message : String(error) }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body))
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
    req.on('close', () => reject(new TrayError('dashboard_bad_request', 'The request ended early.')))
  })
}
