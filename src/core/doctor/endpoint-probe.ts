import { parseBearerChallenge } from '../oauth/www-authenticate'
import type { DoctorContext, Probe, ProbeOutcome } from './doctor-context'
import { describeMs } from './describe-duration'
import { wordsForFailure } from './failure-words'
import { classifyInitializeAnswer, initializeMessage, postMcp, readText, type InitializeAnswer } from './mcp-exchange'

/** An MCP endpoint found at a URL: Streamable HTTP (answers a POSTed initialize) or the 2024-11-05 HTTP+SSE one. */
export interface FoundEndpoint {
  readonly url: URL
  readonly transport: 'streamable-http' | 'sse'
  readonly answer: InitializeAnswer
}

export interface EndpointSearch {
  readonly fetch: typeof fetch
  readonly headers?: Readonly<Record<string, string>>
  readonly signal: AbortSignal
  /** Bound of each exchange. */
  readonly httpMs: number
}

/** The usual places of an MCP endpoint on the same origin, best first, without `asked` itself. */
export function candidateEndpoints(asked: URL): URL[] {
  const candidates = [
    ...(asked.pathname.length > 1 && asked.pathname.endsWith('/') ? [asked.pathname.slice(0, -1)] : []),
    '/mcp',
    '/sse',
    '/',
  ].map((path) => new URL(path, asked.origin))
  return candidates.filter((url, i) => url.href !== asked.href && candidates.findIndex((u) => u.href === url.href) === i)
}

/**
 * MCP TR backward compatibility: a 2024-11-05 server answers a GET on its endpoint with an SSE
 * stream whose first event is `endpoint` (or asks for sign-in first).
 */
export async function isLegacySse(url: URL, search: EndpointSearch): Promise<InitializeAnswer | undefined> {
  const signal = AbortSignal.any([search.signal, AbortSignal.timeout(search.httpMs)])
  const response = await search.fetch(url, { headers: { ...search.headers, accept: 'text/event-stream' }, redirect: 'manual', signal })
  const challenge = response.headers.get('www-authenticate')
  if (response.status === 401 && challenge && /bearer/i.test(challenge)) {
    await response.body?.cancel().catch(() => undefined)
    return { kind: 'challenge', header: challenge }
  }
  if (response.status !== 200 || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) {
    await response.body?.cancel().catch(() => undefined)
    return undefined
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let seen = ''
  try {
    while (seen.length < 4096) {
      const { done, value } = await reader.read()
      if (done) break
      seen += value
      if (/^event:\s*endpoint\s*$/m.test(seen)) return { kind: 'open' }
      if (/\n\n/.test(seen) && !/^event:\s*endpoint/m.test(seen)) break
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return undefined
}

/** Whether `url` is an MCP endpoint, and which kind; `undefined` when it is not (or does not answer). */
export async function probeEndpointAt(url: URL, search: EndpointSearch): Promise<FoundEndpoint | undefined> {
  try {
    const signal = AbortSignal.any([search.signal, AbortSignal.timeout(search.httpMs)])
    const answer = classifyInitializeAnswer(await postMcp(search.fetch, url, initializeMessage(), { ...(search.headers ? { headers: search.headers } : {}), signal }))
    if (answer.kind === 'open' || answer.kind === 'challenge') return { url, transport: 'streamable-http', answer }
    if (answer.kind === 'not-mcp' && answer.why !== 'redirect' && answer.why !== 'web-page') {
      const legacy = await isLegacySse(url, search)
      if (legacy) return { url, transport: 'sse', answer: legacy }
    }
  } catch {
    search.signal.throwIfAborted()
  }
  return undefined
}

/** Tries the usual paths in order and returns the first that is an MCP endpoint. */
export async function findEndpoint(asked: URL, search: EndpointSearch): Promise<FoundEndpoint | undefined> {
  const results = await Promise.all(candidateEndpoints(asked).map((url) => probeEndpointAt(url, search)))
  return results.find((found) => found !== undefined)
}

function notMcpSummary(answer: Extract<InitializeAnswer, { kind: 'not-mcp' }>, url: URL): string {
  switch (answer.why) {
    case 'redirect':
      return `${url.pathname} redirects (HTTP ${answer.status}${answer.location ? ` to ${answer.location}` : ''}) instead of answering as an MCP endpoint.`
    case 'web-page':
      return `${url.pathname} is a web page (HTTP ${answer.status}, HTML), not an MCP endpoint.`
    case 'not-found':
      return `Nothing is at ${url.pathname} (HTTP 404).`
    default:
      return `${url.pathname} refuses MCP’s initialize (HTTP ${answer.status}).`
  }
}

function describeChallenge(header: string): string[] {
  const challenge = parseBearerChallenge(header)
  if (!challenge) return [`WWW-Authenticate: (no Bearer challenge) ${header.slice(0, 120)}`]
  return [
    'WWW-Authenticate: Bearer',
    challenge.resourceMetadata ? `  resource_metadata: ${challenge.resourceMetadata}` : '  resource_metadata: (none; clients look at the well-known location)',
    ...(challenge.scope ? [`  scope: ${challenge.scope}`] : []),
    ...(challenge.error ? [`  error: ${challenge.error}`] : []),
  ]
}

/**
 * MCP AZ authorization flow step 1: `initialize` without a token must get a 401 with a usable
 * `WWW-Authenticate` (RFC 9728 §5.1), or work without sign-in. Anything else is looked into: a web
 * page, a 404 or a redirect where the endpoint should be sends the doctor to the usual paths.
 */
export const endpointProbe: Probe = {
  id: 'mcp-endpoint',
  title: 'Reach the MCP endpoint',
  needsReach: true,
    bound: (context) => context.bounds.initializeMs + context.bounds.httpMs,
  async run(context, signal) {
    const { findings } = context
    const headers = context.input.headers ?? {}
    const askSignal = AbortSignal.any([signal, AbortSignal.timeout(context.bounds.initializeMs)])
    let answer: InitializeAnswer
    let elapsedMs: number
    try {
      const exchange = await postMcp(context.fetch, context.url, initializeMessage(), { headers, signal: askSignal })
      answer = classifyInitializeAnswer(exchange)
      elapsedMs = exchange.elapsedMs
      if (answer.kind === 'open' && answer.sessionId) void closeSession(context, answer.sessionId)
    } catch (error) {
      signal.throwIfAborted()
      if (askSignal.aborted) return slowInitialize(context, context.bounds.initializeMs)
      const words = wordsForFailure(error, { url: context.url.href })
      findings.blocked = 'the endpoint could not be reached'
      return { status: 'fail', summary: words.message, evidence: [`POST ${context.url.href} initialize: ${words.code}`], fix: { text: words.hint }, ...(words.diagnosis ? { diagnosis: words.diagnosis } : {}) }
    }
    const evidence = [`POST ${context.url.pathname} initialize (no token) → HTTP ${statusOf(answer)} in ${describeMs(elapsedMs)}`]

    if (answer.kind === 'not-mcp' && answer.why !== 'redirect' && answer.why !== 'web-page') {
      const legacy = await isLegacySse(context.url, { fetch: context.fetch, headers, signal, httpMs: context.bounds.httpMs }).catch(() => undefined)
      if (legacy) {
        findings.endpoint = context.url
        findings.transport = 'sse'
        return accessOutcome(context, legacy, [...evidence, `GET ${context.url.pathname} → an HTTP+SSE stream with an endpoint event`], elapsedMs, 'sse')
      }
    }
    if (answer.kind === 'not-mcp') {
      findings.access = 'not-mcp'
      const found = await findEndpoint(context.url, { fetch: context.fetch, headers, signal, httpMs: context.bounds.httpMs })
      const summary = notMcpSummary(answer, context.url)
      if (!found) {
        findings.blocked = 'no MCP endpoint was found'
        return {
          status: 'fail',
          summary: `${summary} No MCP endpoint answers at ${candidateEndpoints(context.url).map((u) => u.pathname).join(', ')} either.`,
          evidence,
          diagnosis: 'not-mcp-endpoint',
          fix: { text: 'Check the server’s documentation for its MCP URL (it often ends in /mcp or /sse).' },
        }
      }
      findings.endpoint = found.url
      findings.transport = found.transport
      const kind = found.transport === 'sse' ? 'an HTTP+SSE (2024-11-05) endpoint' : 'the MCP endpoint'
      const outcome = accessOutcome(context, found.answer, evidence, elapsedMs, found.transport)
      return {
        status: 'fail',
        summary: `${summary} ${found.url.href} is ${kind}.`,
        evidence: [...evidence, `${found.url.pathname} answers as ${kind}`, ...(outcome.evidence ?? []).slice(evidence.length)],
        diagnosis: 'not-mcp-endpoint',
        fix: { text: `Use ${found.url.href} as the server’s URL.`, action: { kind: 'use-url', url: found.url.href } },
      }
    }
    findings.endpoint = context.url
    findings.transport = 'streamable-http'
    return accessOutcome(context, answer, evidence, elapsedMs, 'streamable-http')
  },
  timedOut: (context, ms) => slowInitialize(context, ms),
}

function statusOf(answer: InitializeAnswer): string {
  if (answer.kind === 'open') return '200'
  if (answer.kind === 'challenge') return '401'
  if (answer.kind === 'rpc-error') return '200 (JSON-RPC error)'
  return String(answer.status)
}

/** What the unauthenticated answer means for sign-in. */
function accessOutcome(context: DoctorContext, answer: InitializeAnswer, evidence: string[], elapsedMs: number, transport: 'streamable-http' | 'sse'): ProbeOutcome {
  const { findings } = context
  const legacyNote = transport === 'sse' ? ' (the older HTTP+SSE transport, which MCP Tray also speaks)' : ''
  switch (answer.kind) {
    case 'challenge': {
      findings.access = 'challenge'
      findings.challenge = parseBearerChallenge(answer.header) ?? {}
      findings.challengeUsable = true
      return { status: 'pass', summary: `Asks for sign-in: HTTP 401 with a WWW-Authenticate challenge${legacyNote}.`, evidence: [...evidence, ...describeChallenge(answer.header)] }
    }
    case 'no-challenge': {
      findings.access = 'challenge'
      findings.challenge = {}
      findings.challengeUsable = false
      return {
        status: 'warn',
        summary: 'HTTP 401 without a WWW-Authenticate challenge: clients that rely on it cannot find where to sign in.',
        evidence: [...evidence, 'WWW-Authenticate: (missing)'],
        diagnosis: 'no-www-authenticate',
        fix: { text: 'Tell the server’s operator: a 401 must carry `WWW-Authenticate: Bearer resource_metadata="…"` (RFC 9728 §5.1, MCP authorization).' },
      }
    }
    case 'open': {
      findings.access = 'open'
      if (answer.protocolVersion) findings.protocolVersion = answer.protocolVersion
      const facts = [
        ...(answer.serverName ? [`server: ${answer.serverName}`] : []),
        ...(answer.protocolVersion ? [`protocol version: ${answer.protocolVersion}`] : []),
      ]
      if (elapsedMs > context.bounds.slowInitializeMs) {
        return { ...slowWarning(context, elapsedMs), evidence: [...evidence, ...facts] }
      }
      return { status: 'pass', summary: `Answers initialize without sign-in${legacyNote}.`, evidence: [...evidence, ...facts] }
    }
    case 'rpc-error':
      findings.access = 'failed'
      return {
        status: 'fail',
        summary: `The server refused initialize: ${answer.message}`,
        evidence,
        diagnosis: 'initialize-refused',
        fix: { text: 'The server did not accept MCP Tray’s initialize; tell the server’s operator what it said.' },
      }
    case 'server-error':
      findings.access = 'failed'
      findings.blocked = `the server answers HTTP ${answer.status}`
      return {
        status: 'fail',
        summary: `The server is failing: HTTP ${answer.status} to initialize.`,
        evidence,
        diagnosis: 'server-error',
        fix: { text: answer.status === 502 || answer.status === 503 || answer.status === 504 ? 'The server (or the gateway before it) is down or overloaded: try again later, or check its status page.' : 'Try again later; if it persists, tell the server’s operator.' },
      }
    default:
      findings.access = 'failed'
      return {
        status: 'fail',
        summary: `Unexpected answer to initialize: HTTP ${'status' in answer ? answer.status : '?'}${answer.kind === 'other' && answer.contentType ? ` (${answer.contentType})` : ''}.`,
        evidence,
        diagnosis: 'unexpected-answer',
        fix: { text: 'Check the URL; if it is right, tell the server’s operator what the doctor saw.' },
      }
  }
}

/** How long the MCP SDK's clients wait for any answer by default; some clients wait less. */
export const sdkClientWaitMs = 60_000

function slowWarning(context: DoctorContext, elapsedMs: number): ProbeOutcome {
  return {
    status: 'warn',
    summary: `initialize took ${describeMs(elapsedMs)}: clients with a short limit give up before it answers.`,
    diagnosis: 'slow-initialize',
    fix: { text: `The server is slow to start a session (more than ${describeMs(context.bounds.slowInitializeMs)}); if your client gives up, raise its limit, or tell the server’s operator.` },
  }
}

export function slowInitialize(context: DoctorContext, ms: number): ProbeOutcome {
  context.findings.access ??= 'failed'
  context.findings.blocked ??= 'initialize does not answer'
  return {
    status: 'fail',
    summary: `initialize got no answer within ${describeMs(ms)}: clients give up and try again (a server or gateway logs that as HTTP 499, the client closed the request).`,
    evidence: [`POST ${context.url.pathname} initialize: no answer within ${describeMs(ms)}`, `MCP SDK clients wait ${describeMs(sdkClientWaitMs)} by default; many wait less`],
    diagnosis: 'slow-initialize',
    fix: { text: 'The server is overloaded or stuck before it answers: tell the server’s operator; a proxy’s longer limit (`mcp-tray proxy --timeout`) only helps if it answers eventually.' },
  }
}

/** MCP TR session management: ends a session the doctor opened (405 is fine). Bounded, never fails the run. */
export async function closeSession(context: DoctorContext, sessionId: string, token?: string): Promise<void> {
  try {
    const response = await context.fetch(context.findings.endpoint ?? context.url, {
      method: 'DELETE',
      headers: { ...context.input.headers, 'mcp-session-id': sessionId, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(2_000),
    })
    await readText(response)
  } catch {
    // a session left behind expires on the server
  }
}
