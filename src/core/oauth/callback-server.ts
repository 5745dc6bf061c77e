import { execFile } from 'node:child_process'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { describeError, TrayError } from '../../shared/tray-error'
import { redactText } from '../logs/redaction'
import type { RedirectHost } from '../../shared/server-view'
import { renderCallbackPage, type CallbackPage } from './callback-pages'
import { listenLoopback, type LoopbackBinding } from './loopback-listen'

declare const validated: unique symbol

/**
 * An authorization response whose `state` matched a waiting flow once and whose `iss` was checked
 * (RFC 6749 §10.12, RFC 9207 §2.4). Only `CallbackServer` makes these, so only a validated
 * callback can reach the token exchange.
 */
export interface ValidatedCallback {
  readonly [validated]: true
  readonly url: URL
  readonly state: string
}

/** What the waiting flow expects of the authorization response. */
export interface ExpectedCallback {
  readonly state: string
  readonly issuer: string
  /** RFC 9207 §3: the server advertises `authorization_response_iss_parameter_supported`. */
  readonly requireIss: boolean
  readonly serverName: string
}

export interface CallbackServerOptions {
  /** First port to try; 0 lets the system choose (tests). */
  readonly port: number
  /** A pre-registered redirect URI fixes the port: no fallback, fail with who holds it. */
  readonly pinned: boolean
  /** The redirect URI's host: 127.0.0.1 (default), [::1], or localhost (both of them). */
  readonly host?: RedirectHost
  readonly path?: string
  /** How many following ports to try when `port` is taken (RFC 8252 §7.3). */
  readonly fallbackAttempts?: number
  /**
   * How long the browser that brought the authorization response waits for the outcome of the
   * code exchange before it is told to look in MCP Tray instead (default 30 s).
   */
  readonly outcomeWaitMs?: number
}

/** How the sign-in ended after the callback, for the page the browser is waiting on. */
export type SignInOutcome = { readonly signedIn: string } | { readonly error: unknown }

const defaultOutcomeWaitMs = 30_000

export const defaultCallbackPath = '/oauth/callback'

/**
 * RFC 8252 §7.3: the loopback redirect receiver on the redirect host's loopback address (both
 * 127.0.0.1 and ::1 for localhost; never all interfaces), bound only
 * while a flow waits. When the configured port is taken and the redirect URI is not pinned, the
 * next free port is used and `movedFrom` says so.
 */
export class CallbackServer {
  readonly #server: Server
  readonly #binding: LoopbackBinding
  readonly port: number
  readonly redirectUri: string
  readonly movedFrom: number | undefined
  readonly #path: string
  readonly #usedStates = new Set<string>()
  readonly #outcomeWaitMs: number
  #waiting: { expected: ExpectedCallback; settle: (result: ValidatedCallback | Error) => void } | undefined
  /** The browser that brought the accepted response, waiting to hear whether the sign-in worked. */
  #held: { res: ServerResponse; timer: NodeJS.Timeout } | undefined

  private constructor(server: Server, binding: LoopbackBinding, host: RedirectHost, path: string, movedFrom: number | undefined, outcomeWaitMs: number) {
    this.#server = server
    this.#binding = binding
    const port = binding.port
    this.port = port
    this.#path = path
    this.movedFrom = movedFrom
    this.#outcomeWaitMs = outcomeWaitMs
    this.redirectUri = `http://${host}:${port}${path}`
    // Nothing a browser or another local process sends may end the process this runs in (the hub).
    server.on('request', (req, res) => {
      try {
        this.#handle(req, res)
      } catch {
        if (!res.headersSent) send(res, 500, { kind: 'failure', title: 'Not understood', message: 'MCP Tray could not read this request.' })
        else res.destroy()
      }
    })
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      socket.destroy()
    })
    server.on('error', () => undefined)
    // A request that trickles in holds a socket: a browser sends a redirect's request at once.
    server.headersTimeout = 10_000
    server.requestTimeout = 10_000
  }

  static async listen(options: CallbackServerOptions): Promise<CallbackServer> {
    const path = options.path ?? defaultCallbackPath
    const host = options.host ?? '127.0.0.1'
    const attempts = options.pinned || options.port === 0 ? 1 : (options.fallbackAttempts ?? 20)
    for (let i = 0; i < attempts; i += 1) {
      const port = options.port + i
      const server = createServer()
      let binding: LoopbackBinding
      try {
        binding = await listenLoopback(server, host, port)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
        if (options.pinned) {
          const holder = await describePortHolder(port)
          throw new TrayError('callback_port_taken', `Port ${port} for the sign-in callback is in use${holder ? ` by ${holder}` : ''}.`, {
            hint: `This server's client id is registered for http://${host}:${port}${path}; close the program using port ${port} and try again.`,
          })
        }
        continue
      }
      return new CallbackServer(server, binding, host, path, i > 0 ? options.port : undefined, options.outcomeWaitMs ?? defaultOutcomeWaitMs)
    }
    throw new TrayError('callback_port_taken', `Ports ${options.port}–${options.port + attempts - 1} are all in use.`, {
      hint: 'Close other sign-in helpers or change the callback port in settings.',
    })
  }

  /**
   * Waits for the authorization response of one flow: bounded by `timeoutMs`, cancelled by
   * `signal`. Requests with a missing or wrong state, and replays, get an error page and do not
   * end the wait; an `error` response with the right state ends it with the server's description.
   */
  wait(expected: ExpectedCallback, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ValidatedCallback> {
    if (this.#waiting) throw new Error('a flow is already waiting on this callback server')
    return new Promise<ValidatedCallback>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        this.#waiting = undefined
      }
      const settle = (result: ValidatedCallback | Error): void => {
        cleanup()
        if (result instanceof Error) reject(result)
        else resolve(result)
      }
      const timer = setTimeout(
        () =>
          settle(
            new TrayError('sign_in_timeout', `Sign-in to ${expected.serverName} was not completed within ${Math.round(options.timeoutMs / 1000)} seconds.`, {
              hint: 'Start the sign-in again and finish it in the browser window that opens.',
            }),
          ),
        options.timeoutMs,
      )
      const onAbort = (): void =>
        settle(new TrayError('sign_in_cancelled', `Sign-in to ${expected.serverName} was cancelled.`, { cause: options.signal?.reason }))
      if (options.signal?.aborted) return onAbort()
      options.signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting = { expected, settle }
    })
  }

  /**
   * Tells the browser that brought the accepted authorization response how the sign-in ended:
   * "Signed in" only once the code exchange worked, else the error in words. The flow calls this
   * after the exchange; a browser that waited longer than `outcomeWaitMs` was already told to look
   * in MCP Tray.
   */
  finish(outcome: SignInOutcome): void {
    const held = this.#held
    if (!held) return
    this.#held = undefined
    clearTimeout(held.timer)
    if ('signedIn' in outcome) {
      send(held.res, 200, { kind: 'success', title: 'Signed in', message: `You are signed in to ${outcome.signedIn}. You can close this tab.` })
    } else {
      send(held.res, 400, { kind: 'failure', title: 'Sign-in failed', message: redactText(describeError(outcome.error)) })
    }
  }

  close(): Promise<void> {
    this.finish({ error: new TrayError('sign_in_stopped', 'MCP Tray stopped before the sign-in finished.', { hint: 'Start the sign-in again.' }) })
    const closed = new Promise<void>((resolve) => {
      this.#server.close(() => resolve())
      this.#server.closeAllConnections()
    })
    return Promise.all([closed, this.#binding.close()]).then(() => undefined)
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = requestUrl(req.url, this.redirectUri)
    if (!url || req.method !== 'GET' || url.pathname !== this.#path) {
      return send(res, 404, { kind: 'failure', title: 'Not found', message: 'This address is only for MCP Tray sign-in.' })
    }
    const outcome = checkCallback(url, this.#waiting?.expected, this.#usedStates)
    if (outcome.kind === 'ignored') {
      return send(res, 400, { kind: 'failure', title: 'Sign-in not accepted', message: outcome.reason })
    }
    this.#usedStates.add(outcome.state)
    if (outcome.kind === 'failed') {
      send(res, 400, { kind: 'failure', title: 'Sign-in failed', message: describeError(outcome.error) })
      return this.#waiting?.settle(outcome.error)
    }
    // The page waits for the code exchange: it must not say "Signed in" before the tokens are here.
    const timer = setTimeout(() => {
      if (this.#held?.res !== res) return
      this.#held = undefined
      send(res, 202, {
        kind: 'pending',
        title: 'Finishing sign-in',
        message: `MCP Tray has the response and is still completing the sign-in to ${outcome.serverName}. You can close this tab; MCP Tray shows how it ends.`,
      })
    }, this.#outcomeWaitMs)
    this.#held = { res, timer }
    res.once('close', () => {
      if (this.#held?.res !== res) return
      clearTimeout(timer)
      this.#held = undefined
    })
    this.#waiting?.settle(outcome.callback)
  }
}

/** The request's URL against the redirect URI, or undefined when it is not one (`GET //`, `GET http://[`). */
function requestUrl(target: string | undefined, base: string): URL | undefined {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return undefined
  try {
    return new URL(target, base)
  } catch {
    return undefined
  }
}

type CallbackOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'failed'; state: string; error: TrayError }
  | { kind: 'accepted'; state: string; serverName: string; callback: ValidatedCallback }

/**
 * RFC 6749 §4.1.2 and §10.12, RFC 9207 §2.4: checks one authorization response against the
 * waiting flow. Pure, so it is tested without a socket.
 */
export function checkCallback(url: URL, expected: ExpectedCallback | undefined, usedStates: ReadonlySet<string>): CallbackOutcome {
  const state = url.searchParams.get('state')
  if (!state) return { kind: 'ignored', reason: 'The response carries no state, so it cannot be matched to a sign-in.' }
  if (usedStates.has(state)) return { kind: 'ignored', reason: 'This sign-in response was already used. Start a new sign-in from MCP Tray.' }
  if (!expected || state !== expected.state) {
    return { kind: 'ignored', reason: 'This response does not belong to the sign-in MCP Tray is waiting for.' }
  }
  const iss = url.searchParams.get('iss')
  if (iss !== null ? iss !== expected.issuer : expected.requireIss) {
    return {
      kind: 'failed',
      state,
      error: new TrayError('issuer_mismatch', `The sign-in response came from ${iss ?? 'an unnamed issuer'}, not ${expected.issuer}.`, {
        hint: 'This can be a mix-up attack; sign-in was stopped. Try again.',
      }),
    }
  }
  const error = url.searchParams.get('error')
  if (error) {
    const description = url.searchParams.get('error_description')
    return {
      kind: 'failed',
      state,
      // The code names the error for programs: only the RFC's shape of it (§4.1.2.1), never raw outside text.
      error: new TrayError(`authorization_${/^[a-z_]{1,64}$/.test(error) ? error : 'error'}`, `The server refused the sign-in: ${description ?? error}.`, {
        hint: error === 'access_denied' ? 'Sign in again and approve access.' : 'Try again; if it keeps failing, tell the server operator.',
      }),
    }
  }
  if (!url.searchParams.get('code')) {
    return { kind: 'failed', state, error: new TrayError('authorization_no_code', 'The sign-in response carries no authorization code.') }
  }
  return { kind: 'accepted', state, serverName: expected.serverName, callback: { url, state } as ValidatedCallback }
}

function send(res: ServerResponse, status: number, page: CallbackPage): void {
  if (res.headersSent || res.destroyed) return
  const html = renderCallbackPage(page)
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
  })
  res.end(html)
}

/** Names the process listening on `port` when the platform can tell (lsof, else ss); else undefined. */
export async function describePortHolder(port: number): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined
  const run = (cmd: string, args: string[]): Promise<string> =>
    new Promise((resolve) => execFile(cmd, args, { timeout: 2000 }, (_e, stdout) => resolve(String(stdout ?? ''))))
  const lsof = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'])
  const pid = /^p(\d+)/m.exec(lsof)?.[1]
  const command = /^c(.+)$/m.exec(lsof)?.[1]
  if (pid) return `${command ?? 'a process'} (pid ${pid})`
  const ss = await run('ss', ['-ltnpH', `sport = :${port}`])
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(ss)
  return match ? `${match[1]} (pid ${match[2]})` : undefined
}
