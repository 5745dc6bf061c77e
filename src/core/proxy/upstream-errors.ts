import { describeError, TrayError } from '../../shared/tray-error'
import { rpcErrorCodes, type RpcErrorObject } from './json-rpc'
import { httpStatusOf } from './upstream-session'
import { redactText } from '../logs/redaction'
import { doctorHint } from '../doctor/failure-words'

export interface FailedRequest {
  readonly server: string
  readonly method: string
  readonly elapsedMs: number
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/**
 * The JSON-RPC error a client gets when the server did not answer in time; `steppingUpFor` is the
 * scope of a step-up sign-in still waiting for the person when time ran out.
 */
export function timeoutError(request: FailedRequest, timeoutMs: number, steppingUpFor?: string): RpcErrorObject {
  if (steppingUpFor !== undefined) {
    const scope = steppingUpFor ? `the scope "${steppingUpFor}"` : 'more access'
    const waiting = new TrayError(
      'scope_step_up_timeout',
      `${request.server} needs ${scope} for ${request.method}, and the sign-in for it was not finished within ${seconds(timeoutMs)}, so MCP Tray gave up on this request; it was not run.`,
      { hint: `Finish signing in in the browser window MCP Tray opened (or run \`mcp-tray login ${request.server}\`), then retry.` },
    )
    return { code: rpcErrorCodes.requestTimeout, message: describeError(waiting), data: { code: waiting.code, ...request } }
  }
  const error = new TrayError(
    'upstream_timeout',
    `${request.server} did not answer ${request.method} within ${seconds(timeoutMs)} (waited ${seconds(request.elapsedMs)}), so MCP Tray stopped waiting and asked the server to cancel it.`,
    {
      hint: `If the server is just slow, raise the limit with \`mcp-tray proxy --timeout <ms>\`; if it keeps happening, check the server’s status in MCP Tray.${request.method === 'initialize' ? ` ${doctorHint(request.server)}` : ''}`,
    },
  )
  return { code: rpcErrorCodes.requestTimeout, message: describeError(error), data: { code: error.code, ...request } }
}

/**
 * The server answered 403 `insufficient_scope` (RFC 6750 §3.1) and MCP Tray could not get a token
 * with that scope: says which scope, why not, and how to sign in with it.
 */
export function stepUpFailure(server: string, challenge: { scope?: string }, why: unknown): TrayError {
  const scope = challenge.scope ? `the scope "${challenge.scope}"` : 'more access (it named no scope)'
  const reason = (typeof why === 'string' ? why : describeError(why)).replace(/\.$/, '')
  return new TrayError('scope_step_up_failed', `${server} refused this request: it needs ${scope}. MCP Tray tried to sign in again for it once, but ${reason}.`, {
    hint: `Sign in again from MCP Tray (or run \`mcp-tray login ${server}\`) and grant that access, then retry; if it keeps asking, the account may not be allowed this.`,
    ...(typeof why === 'string' ? {} : { cause: why }),
  })
}

/** What a person should read when the server answered an HTTP error. */
function httpFailure(status: number, request: FailedRequest, mayHaveRun: boolean): TrayError {
  const what = `${request.server} answered HTTP ${status} to ${request.method}`
  if (status === 401) {
    return new TrayError('upstream_unauthorized', `${what}: MCP Tray is not signed in to it, or the sign-in has expired.`, {
      hint: `Sign in again from MCP Tray (or \`mcp-tray login ${request.server}\`), then retry. If a fresh sign-in is refused too: ${doctorHint(request.server)}`,
    })
  }
  if (status === 403) {
    return new TrayError('upstream_forbidden', `${what}: the signed-in account is not allowed to do this.`, {
      hint: 'Sign in with an account (or scopes) that may, then retry.',
    })
  }
  if ((status === 404 || status === 405) && request.method === 'initialize') {
    return new TrayError('upstream_not_mcp', `${what}: there is no MCP endpoint at this URL (neither Streamable HTTP nor the older HTTP+SSE).`, {
      hint: `Check the server URL; MCP endpoints usually end in /mcp or /sse. ${doctorHint(request.server)}`,
    })
  }
  if (status >= 500) {
    return new TrayError(
      'upstream_server_error',
      mayHaveRun
        ? `${what}. The request may or may not have run there, so MCP Tray did not send it again.`
        : `${what}, also after retrying.`,
      { hint: 'The server is having trouble; try again in a moment, and if it persists check the server’s status.' },
    )
  }
  return new TrayError('upstream_http_error', `${what}.`, {
    hint: 'The server refused the request; check the server URL in MCP Tray.',
  })
}

/** Any failure to deliver a request upstream, as the JSON-RPC error the client gets. */
export function deliveryError(error: unknown, request: FailedRequest, mayHaveRun: boolean): RpcErrorObject {
  const status = httpStatusOf(error)
  const tray =
    error instanceof TrayError
      ? error
      : status !== undefined
        ? httpFailure(status, request, mayHaveRun)
        : new TrayError('upstream_failure', `MCP Tray could not deliver ${request.method} to ${request.server}: ${describeError(error)}`, {
            hint: 'Try again; if it keeps failing, see `mcp-tray logs`.',
          })
  // Whatever an error carried, a credential in it never reaches the client.
  const message = redactText(error instanceof TrayError && !tray.message.includes(request.server) ? `${request.server}: ${describeError(tray)}` : describeError(tray))
  return {
    code: rpcErrorCodes.upstreamFailure,
    message,
    data: { code: tray.code, ...(status === undefined ? {} : { httpStatus: status }), ...request },
  }
}
