import { describeError, TrayError } from '../../shared/tray-error'
import { EndedWithoutAnswerError } from './answer-watch'
import { ConnectionLostError, describeBytes, MessageTooLargeError } from './bounded-body'
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
 * scope of a step-up sign-in still waiting for the person when time ran out; `notSent` when the
 * request was still waiting for a connection.
 */
export function timeoutError(request: FailedRequest, timeoutMs: number, steppingUpFor?: string, notSent = false, lastFailure?: TrayError): RpcErrorObject {
  if (notSent && lastFailure) {
    // It was being tried again after a failure to connect: that failure is the news, not the wait.
    const failed = new TrayError(lastFailure.code, `MCP Tray could not send ${request.method} to ${request.server} within ${seconds(timeoutMs)}. ${lastFailure.message}`, lastFailure.hint === undefined ? {} : { hint: lastFailure.hint })
    return { code: rpcErrorCodes.requestTimeout, message: describeError(failed), data: { code: failed.code, ...request } }
  }
  if (notSent) {
    const waiting = new TrayError(
      'upstream_no_connection',
      `MCP Tray could not send ${request.method} to ${request.server} within ${seconds(timeoutMs)}: no connection to it became free or could be opened, so it gave up. The request was not sent.`,
      { hint: 'Many requests to this server are running or waiting: let some finish, or allow more connections with `mcp-tray proxy --max-sockets <n>`; if it keeps happening, check that the server is up.' },
    )
    return { code: rpcErrorCodes.requestTimeout, message: describeError(waiting), data: { code: waiting.code, ...request } }
  }
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

/**
 * The request reached the server, and its answer can no longer come: too large to read, its
 * connection broken (the server went away), or its response ended without it.
 */
function lostAnswer(error: MessageTooLargeError | ConnectionLostError | EndedWithoutAnswerError, request: FailedRequest): TrayError {
  const what = request.method === 'tools/call' ? 'The tool' : 'The request'
  if (error instanceof MessageTooLargeError) {
    return new TrayError(
      'upstream_message_too_large',
      `${request.server} answered ${request.method} with a message of more than ${describeBytes(error.limitBytes)}, the most MCP Tray reads from a server, so it stopped reading and closed that connection.`,
      { hint: 'Ask for less at once (a smaller page, range or file), or raise the limit with `mcp-tray proxy --max-message-bytes <bytes>`.' },
    )
  }
  if (error instanceof EndedWithoutAnswerError) {
    return new TrayError('upstream_no_answer', `${request.server} ended its response to ${request.method} without an answer. ${what} may have run there, so MCP Tray did not send it again.`, {
      hint: 'The server did not finish its reply: check its logs or its status in MCP Tray, then retry if running it again is safe.',
    })
  }
  return new TrayError('upstream_connection_lost', `${request.server} went away while handling ${request.method}: ${error.message}. ${what} may have run there, so MCP Tray did not send it again.`, {
    hint: 'Check that the server is running (its status in MCP Tray), then retry if running it again is safe.',
  })
}

/** The server answered with a body that is not JSON (SyntaxError), or JSON that is not JSON-RPC (the SDK's schema check). */
function invalidAnswer(error: Error, request: FailedRequest): TrayError {
  const what = request.method === 'tools/call' ? 'The tool' : 'The request'
  const body = error instanceof SyntaxError ? `a body that is not JSON (${error.message})` : 'JSON that is not a JSON-RPC message'
  return new TrayError('upstream_invalid_answer', `${request.server} answered ${request.method} with ${body}. ${what} may have run there, so MCP Tray did not send it again.`, {
    hint: 'This is a fault in the server: check its logs, or tell its maintainers.',
  })
}

function isInvalidAnswer(error: unknown): error is Error {
  return error instanceof SyntaxError || (error instanceof Error && error.name === 'ZodError')
}

/** Any failure to deliver a request upstream, as the JSON-RPC error the client gets. */
export function deliveryError(error: unknown, request: FailedRequest, mayHaveRun: boolean): RpcErrorObject {
  const status = httpStatusOf(error)
  const tray =
    error instanceof MessageTooLargeError || error instanceof ConnectionLostError || error instanceof EndedWithoutAnswerError
      ? lostAnswer(error, request)
      : isInvalidAnswer(error)
        ? invalidAnswer(error, request)
        : error instanceof TrayError
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
