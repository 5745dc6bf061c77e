import { parseBearerChallenge } from '../oauth/www-authenticate'
import type { DoctorContext, Probe, ProbeOutcome } from './doctor-context'
import { describeMs } from './describe-duration'
import { isLegacySse, slowInitialize } from './endpoint-probe'
import { wordsForFailure } from './failure-words'
import { classifyInitializeAnswer, doctorProtocolVersion, initializeMessage, postMcp, readText, type McpExchange } from './mcp-exchange'

/** Clocks further apart than this make token lifetimes unreliable (JWT checks allow a minute or so). */
export const clockSkewWarnMs = 2 * 60_000

function describeOffset(offsetMs: number): string {
  return `this machine’s clock is ${describeMs(Math.abs(offsetMs))} ${offsetMs > 0 ? 'behind' : 'ahead of'} the server’s`
}

/** `exp` and `nbf` of a JWT access token, read without verifying (the server verifies it); undefined for opaque tokens. */
export function jwtTimes(token: string): { exp?: number; nbf?: number } | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[0]?.startsWith('eyJ')) return undefined
  try {
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown; nbf?: unknown }
    return {
      ...(typeof payload.exp === 'number' ? { exp: payload.exp * 1000 } : {}),
      ...(typeof payload.nbf === 'number' ? { nbf: payload.nbf * 1000 } : {}),
    }
  } catch {
    return undefined
  }
}

/**
 * Weighs a token's expiry against the server's clock (its `Date` headers): a machine whose clock
 * is off sees tokens as valid the server has expired, or the reverse. Pure, for canned cases.
 */
export function clockVerdict(input: { now: number; offsetMs?: number; expiresAt?: number; token?: string }): ProbeOutcome | undefined {
  const offset = input.offsetMs ?? 0
  const serverNow = input.now + offset
  const jwt = input.token ? jwtTimes(input.token) : undefined
  const evidence = [
    ...(input.offsetMs !== undefined ? [`server clock − this clock: ${offset >= 0 ? '+' : '−'}${describeMs(Math.abs(offset))} (from its Date header)`] : []),
    ...(input.expiresAt !== undefined ? [`token expiry by this clock: ${new Date(input.expiresAt).toISOString()}`] : []),
    ...(jwt?.exp !== undefined ? [`token exp (JWT): ${new Date(jwt.exp).toISOString()}`] : []),
  ]
  const fix = { text: 'Set this machine’s date and time automatically (network time), then sign in again if the server still refuses the token.' }
  if (jwt?.exp !== undefined && jwt.exp <= serverNow && jwt.exp > input.now) {
    return { status: 'fail', summary: `The token looks valid here, but by the server’s clock it expired ${describeMs(serverNow - jwt.exp)} ago: ${describeOffset(offset)}.`, evidence, diagnosis: 'clock-skew', fix }
  }
  if (jwt?.nbf !== undefined && jwt.nbf > serverNow + 60_000) {
    return { status: 'fail', summary: `By the server’s clock the token is not valid yet: ${describeOffset(offset)}.`, evidence, diagnosis: 'clock-skew', fix }
  }
  if (Math.abs(offset) > clockSkewWarnMs) {
    return { status: 'warn', summary: `Signed in, but ${describeOffset(offset)}: tokens may be refused before MCP Tray expects it.`, evidence, diagnosis: 'clock-skew', fix }
  }
  return undefined
}

/** The signed-in checks use MCP Tray's own sign-in: the hub's, or the vault's when no hub runs. Never a browser. */
export const tokenProbe: Probe = {
  id: 'sign-in',
  title: 'Get a token from MCP Tray’s sign-in',
  applies: (context) => context.findings.access === 'challenge',
  bound: (context) => context.bounds.tokenMs,
  async run(context, signal) {
    const { findings, input } = context
    const getToken = context.deps.getAccessToken
    if (!getToken) {
      return { status: 'skip', summary: 'Not checked: the signed-in checks need a server added to MCP Tray (`mcp-tray doctor <name>`).' }
    }
    let access
    try {
      access = await getToken(signal)
    } catch (error) {
      signal.throwIfAborted()
      const words = wordsForFailure(error, { ...(input.server ? { server: input.server } : {}), url: (findings.endpoint ?? context.url).href })
      return {
        status: 'fail',
        summary: words.message,
        evidence: [`sign-in: ${words.code}`],
        ...(words.diagnosis ? { diagnosis: words.diagnosis } : {}),
        fix: { text: words.hint, ...(words.diagnosis === 'invalid-client' || words.code === 'invalid_grant' ? { action: { kind: 'sign-in' as const } } : {}) },
      }
    }
    if (!access) {
      return { status: 'skip', summary: `Not signed in${input.server ? ` to ${input.server}` : ''}: the session checks were not run.`, fix: { text: 'Sign in, then run the doctor again.', action: { kind: 'sign-in' } } }
    }
    findings.token = access
    const now = context.clock.now()
    const skew = clockVerdict({ now, ...(findings.clockOffsetMs !== undefined ? { offsetMs: findings.clockOffsetMs } : {}), ...(access.expiresAt !== undefined ? { expiresAt: access.expiresAt } : {}), token: access.accessToken })
    if (skew) return skew
    const expiry = access.expiresAt === undefined ? 'no expiry given' : access.expiresAt > now ? `expires in ${describeMs(access.expiresAt - now)}` : `expired ${describeMs(now - access.expiresAt)} ago`
    return { status: 'pass', summary: `Signed in (token ${expiry}).` }
  },
}

function requestOptions(context: DoctorContext, signal: AbortSignal) {
  const { findings } = context
  return {
    headers: context.input.headers ?? {},
    signal,
    ...(findings.token ? { token: findings.token.accessToken } : {}),
    ...(findings.sessionId ? { sessionId: findings.sessionId } : {}),
    ...(findings.protocolVersion ? { protocolVersion: findings.protocolVersion } : {}),
  }
}

/** The session checks speak Streamable HTTP, with a token or to a server that needs none. */
const canStartSession = (context: DoctorContext): boolean =>
  context.findings.transport === 'streamable-http' && (context.findings.access === 'open' || context.findings.token !== undefined)

/**
 * MCP TR, initialization: `initialize` with the token, timed; the `Mcp-Session-Id` and the
 * protocol version the server chose. A 401 despite a fresh token tells a token refused from one
 * the server never saw.
 */
export const initializeProbe: Probe = {
  id: 'initialize',
  title: 'Start an MCP session',
  needsReach: true,
  applies: canStartSession,
  bound: (context) => context.bounds.initializeMs,
  async run(context, signal) {
    const { findings } = context
    const url = findings.endpoint ?? context.url
    const exchange = await postMcp(context.fetch, url, initializeMessage(1), { ...requestOptions(context, signal), protocolVersion: '' })
    const answer = classifyInitializeAnswer(exchange)
    const evidence = [`POST ${url.pathname} initialize${findings.token ? ' (with the token)' : ''} → HTTP ${exchange.status} in ${describeMs(exchange.elapsedMs)}`]
    if (answer.kind === 'challenge' || answer.kind === 'no-challenge') {
      findings.blocked = 'the server refuses the token'
      return tokenRefused(context, exchange, evidence)
    }
    if (answer.kind === 'not-mcp' && answer.why !== 'redirect' && answer.why !== 'web-page') {
      // MCP TR backward compatibility: a 2024-11-05 server refuses the POST and streams on GET.
      const headers = { ...context.input.headers, ...(findings.token ? { authorization: `Bearer ${findings.token.accessToken}` } : {}) }
      const legacy = await isLegacySse(url, { fetch: context.fetch, headers, signal, httpMs: context.bounds.httpMs }).catch(() => undefined)
      if (legacy?.kind === 'open') {
        findings.transport = 'sse'
        return { status: 'pass', summary: 'An HTTP+SSE endpoint (the 2024-11-05 transport), which MCP Tray also speaks; the session checks below speak Streamable HTTP and were not run.', evidence: [...evidence, `GET ${url.pathname} → an event stream with an endpoint event`] }
      }
    }
    if (answer.kind !== 'open') {
      findings.blocked = 'initialize failed'
      return { status: 'fail', summary: `initialize failed: ${answer.kind === 'rpc-error' ? answer.message : `HTTP ${exchange.status}`}.`, evidence, diagnosis: 'initialize-refused', fix: { text: 'Tell the server’s operator what the doctor saw.' } }
    }
    findings.initialized = true
    if (answer.sessionId) findings.sessionId = answer.sessionId
    findings.protocolVersion = answer.protocolVersion ?? doctorProtocolVersion
    evidence.push(
      `protocol version: ${answer.protocolVersion ?? '(none given)'}`,
      `Mcp-Session-Id: ${answer.sessionId ? 'issued' : 'none (a stateless server, or one that loses it)'}`,
      ...(answer.serverName ? [`server: ${answer.serverName}`] : []),
    )
    // MCP lifecycle: the client confirms with notifications/initialized before other requests.
    await postMcp(context.fetch, url, { jsonrpc: '2.0', method: 'notifications/initialized' }, requestOptions(context, signal)).catch(() => undefined)
    if (exchange.elapsedMs > context.bounds.slowInitializeMs) {
      return {
        status: 'warn',
        summary: `initialize took ${describeMs(exchange.elapsedMs)}: clients with a short limit give up before it answers.`,
        evidence,
        diagnosis: 'slow-initialize',
        fix: { text: 'If your client gives up (the server may log HTTP 499), raise its limit or tell the server’s operator that session start is slow.' },
      }
    }
    return { status: 'pass', summary: `Session started in ${describeMs(exchange.elapsedMs)} (protocol ${answer.protocolVersion ?? 'unknown'}, ${answer.sessionId ? 'with' : 'without'} a session id).`, evidence }
  },
  timedOut: (context, ms) => slowInitialize(context, ms),
}

function tokenRefused(context: DoctorContext, exchange: McpExchange, evidence: string[]): ProbeOutcome {
  const challenge = parseBearerChallenge(exchange.headers.get('www-authenticate'))
  evidence.push(`WWW-Authenticate: ${challenge ? `Bearer, ${challenge.error ? `error ${challenge.error}` : 'no error'}` : '(missing)'}`)
  const offset = context.findings.clockOffsetMs
  if (challenge?.error === 'invalid_token' && offset !== undefined && Math.abs(offset) > clockSkewWarnMs) {
    return {
      status: 'fail',
      summary: `The server refused the token as invalid, and ${describeOffset(offset)}: a token valid by this clock may be expired by the server’s.`,
      evidence,
      diagnosis: 'clock-skew',
      fix: { text: 'Set this machine’s date and time automatically (network time), then try again.' },
    }
  }
  if (challenge?.error === 'invalid_token' || challenge?.error === 'insufficient_scope') {
    return {
      status: 'fail',
      summary: `The server refused MCP Tray’s token (${challenge.error}${challenge.errorDescription ? `: ${challenge.errorDescription}` : ''}).`,
      evidence,
      diagnosis: 'token-rejected',
      fix: { text: 'Sign in again; if it is refused right after signing in, the token is for another resource: tell the server’s operator.', action: { kind: 'sign-in' } },
    }
  }
  return {
    status: 'fail',
    summary: 'The server answers 401 with a fresh token exactly as without one: it never sees the token (a gateway or reverse proxy drops the Authorization header, or the server does not read it).',
    evidence,
    diagnosis: 'bearer-ignored',
    fix: { text: 'Tell the server’s operator: the Authorization header does not reach the MCP server (check the gateway or proxy in front of it).' },
  }
}

/** MCP server features, tools: the list, how many and how fast. Without the session id a stateful server refuses it. */
export const toolsListProbe: Probe = {
  id: 'tools-list',
  title: 'List the tools',
  needsReach: true,
  applies: (context) => context.findings.initialized === true,
  bound: (context) => context.bounds.requestMs,
  async run(context, signal) {
    const { findings } = context
    const url = findings.endpoint ?? context.url
    const exchange = await postMcp(context.fetch, url, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, requestOptions(context, signal))
    const evidence = [`POST ${url.pathname} tools/list → HTTP ${exchange.status} in ${describeMs(exchange.elapsedMs)}`]
    const result = exchange.message?.result as { tools?: { name?: unknown }[] } | undefined
    if (result && Array.isArray(result.tools)) {
      const names = result.tools.map((tool) => String(tool.name)).slice(0, 20)
      return { status: 'pass', summary: `${result.tools.length} tools in ${describeMs(exchange.elapsedMs)}.`, evidence: [...evidence, `tools: ${names.join(', ')}${result.tools.length > 20 ? ', …' : ''}`] }
    }
    const said = exchange.message?.error ? String(exchange.message.error.message ?? '') : (exchange.text ?? '').slice(0, 200)
    if (said) evidence.push(`said: ${said}`)
    if (!findings.sessionId && (exchange.status === 400 || exchange.status === 404)) {
      return {
        status: 'fail',
        summary: 'The server gave no Mcp-Session-Id on initialize, yet refuses requests without one: no client can keep a session with it.',
        evidence,
        diagnosis: 'no-session-id',
        fix: { text: 'Tell the server’s operator: the initialize response must carry the Mcp-Session-Id header (a gateway may strip it, or not expose it to clients).' },
      }
    }
    return { status: 'fail', summary: `tools/list failed (HTTP ${exchange.status}${said ? `: ${said}` : ''}).`, evidence, diagnosis: 'request-failed', fix: { text: 'Tell the server’s operator what the doctor saw.' } }
  },
}

/** MCP TR, listening for messages from the server: a GET stream is optional (405 says not offered). */
export const getStreamProbe: Probe = {
  id: 'get-stream',
  title: 'Check the stream for server messages (GET)',
  needsReach: true,
  applies: (context) => context.findings.initialized === true,
  bound: (context) => context.bounds.httpMs,
  async run(context, signal) {
    const { findings } = context
    const url = findings.endpoint ?? context.url
    const options = requestOptions(context, signal)
    const response = await context.fetch(url, {
      headers: {
        ...options.headers,
        accept: 'text/event-stream',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.sessionId ? { 'mcp-session-id': options.sessionId } : {}),
        ...(options.protocolVersion ? { 'mcp-protocol-version': options.protocolVersion } : {}),
      },
      redirect: 'manual',
      signal,
    })
    const type = response.headers.get('content-type') ?? ''
    if (response.status === 200 && type.startsWith('text/event-stream')) {
      await response.body?.cancel().catch(() => undefined)
      return { status: 'pass', summary: 'Offered: the server can send notifications between requests.' }
    }
    await readText(response)
    if (response.status === 405) return { status: 'pass', summary: 'Not offered (HTTP 405), which is allowed: server messages come only with responses.' }
    return { status: 'warn', summary: `Unexpected answer to the GET stream: HTTP ${response.status}.`, evidence: [`GET ${url.pathname} → HTTP ${response.status} ${type}`], fix: { text: 'Clients may not get notifications from this server; tell its operator.' } }
  },
}

/** A tool the person named, called with no arguments (they say it only reads). */
export const toolCallProbe: Probe = {
  id: 'tool-call',
  title: 'Call a tool',
  needsReach: true,
  applies: (context) => context.findings.initialized === true && context.input.callTool !== undefined,
  bound: (context) => context.bounds.requestMs,
  async run(context, signal) {
    const name = context.input.callTool as string
    const url = context.findings.endpoint ?? context.url
    const exchange = await postMcp(context.fetch, url, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name, arguments: {} } }, requestOptions(context, signal))
    const evidence = [`POST ${url.pathname} tools/call ${name} → HTTP ${exchange.status} in ${describeMs(exchange.elapsedMs)}`]
    const result = exchange.message?.result as { isError?: unknown } | undefined
    if (result && result.isError !== true) return { status: 'pass', summary: `${name} answered in ${describeMs(exchange.elapsedMs)}.`, evidence }
    const said = exchange.message?.error ? String(exchange.message.error.message ?? '') : result ? 'the tool reported an error' : `HTTP ${exchange.status}`
    return { status: 'warn', summary: `${name} failed: ${said}.`, evidence, fix: { text: 'The tool may need arguments, or failed on the server; the connection itself works.' } }
  },
}
