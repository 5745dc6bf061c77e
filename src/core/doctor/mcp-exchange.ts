import { createParser } from 'eventsource-parser'

/** The MCP protocol revision the doctor offers in `initialize`. */
export const doctorProtocolVersion = '2025-11-25'

/** What one HTTP exchange with an MCP endpoint gave, as far as the doctor needs it. Never holds a token. */
export interface McpExchange {
  readonly status: number
  readonly headers: Headers
  readonly contentType: string
  /** The JSON-RPC response to the request, when one came (in JSON or in an SSE stream). */
  readonly message?: { readonly result?: unknown; readonly error?: { readonly code?: unknown; readonly message?: unknown } }
  /** The start of a body that was not a JSON-RPC response (an HTML page, an error text). */
  readonly text?: string
  readonly elapsedMs: number
}

export interface McpRequestOptions {
  readonly token?: string
  readonly sessionId?: string
  readonly protocolVersion?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly signal: AbortSignal
}

/** Most bytes of a non-MCP body the doctor reads: enough to tell a web page or an error. */
const maxTextBytes = 16 * 1024

export function initializeMessage(id: number | string = 0): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: doctorProtocolVersion, capabilities: {}, clientInfo: { name: 'mcp-tray-doctor', version: '1' } },
  }
}

/** The Streamable HTTP request headers (MCP TR: Accept both forms; the session and version once known). */
export function mcpHeaders(options: Omit<McpRequestOptions, 'signal'>): Record<string, string> {
  return {
    ...options.headers,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.sessionId ? { 'mcp-session-id': options.sessionId } : {}),
    ...(options.protocolVersion ? { 'mcp-protocol-version': options.protocolVersion } : {}),
  }
}

/**
 * MCP TR, sending messages to the server: POSTs one JSON-RPC message and reads its answer, JSON or
 * an SSE stream (until the response with the same id). Redirects are not followed: where the
 * endpoint sends a client is a finding.
 */
export async function postMcp(fetchImpl: typeof fetch, url: URL, message: Record<string, unknown>, options: McpRequestOptions): Promise<McpExchange> {
  const started = performance.now()
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: mcpHeaders(options),
    body: JSON.stringify(message),
    redirect: 'manual',
    signal: options.signal,
  })
  const contentType = (response.headers.get('content-type') ?? '').toLowerCase()
  const base = { status: response.status, headers: response.headers, contentType }
  const finish = (rest: Partial<McpExchange>): McpExchange => ({ ...base, ...rest, elapsedMs: performance.now() - started })
  if (contentType.startsWith('text/event-stream')) {
    return finish(await readSseResponse(response, message.id, options.signal))
  }
  const text = await readText(response)
  if (contentType.includes('json')) {
    const parsed = parseJson(text)
    if (isRpcResponse(parsed)) return finish({ message: parsed })
  }
  return finish({ text })
}

/** The body as text, at most `maxTextBytes`; the rest is dropped unread. */
export async function readText(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < maxTextBytes) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return Buffer.concat(chunks).subarray(0, maxTextBytes).toString('utf8')
}

async function readSseResponse(response: Response, id: unknown, signal: AbortSignal): Promise<Partial<McpExchange>> {
  if (!response.body) return { text: '' }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let found: McpExchange['message'] | undefined
  const parser = createParser({
    onEvent(event) {
      const parsed = parseJson(event.data)
      if (isRpcResponse(parsed) && (parsed as { id?: unknown }).id === id) found = parsed
    },
  })
  try {
    while (!found) {
      signal.throwIfAborted()
      const { done, value } = await reader.read()
      if (done) break
      parser.feed(value)
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return found ? { message: found } : { text: '' }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isRpcResponse(value: unknown): value is NonNullable<McpExchange['message']> {
  return typeof value === 'object' && value !== null && (value as { jsonrpc?: unknown }).jsonrpc === '2.0' && ('result' in value || 'error' in value)
}

/** What `initialize` answered, in the doctor's terms. */
export type InitializeAnswer =
  | { readonly kind: 'open'; readonly protocolVersion?: string; readonly serverName?: string; readonly sessionId?: string }
  | { readonly kind: 'challenge'; readonly header: string }
  | { readonly kind: 'no-challenge'; readonly status: number }
  | { readonly kind: 'not-mcp'; readonly why: 'redirect' | 'web-page' | 'not-found' | 'method-not-allowed' | 'bad-request'; readonly status: number; readonly location?: string }
  | { readonly kind: 'rpc-error'; readonly message: string }
  | { readonly kind: 'server-error'; readonly status: number }
  | { readonly kind: 'other'; readonly status: number; readonly contentType: string }

/**
 * Reads an unauthenticated `initialize` answer (MCP AZ authorization flow step 1; MCP TR backward
 * compatibility for the 4xx a 2024-11-05 server gives a POST).
 */
export function classifyInitializeAnswer(exchange: McpExchange): InitializeAnswer {
  const { status, headers, contentType } = exchange
  const challenge = headers.get('www-authenticate')
  if ((status === 401 || status === 403) && challenge && /(^|[\s,])bearer(\s|,|$)/i.test(challenge)) return { kind: 'challenge', header: challenge }
  if (status === 401) return { kind: 'no-challenge', status }
  if (status >= 300 && status < 400) {
    const location = headers.get('location')
    return { kind: 'not-mcp', why: 'redirect', status, ...(location ? { location } : {}) }
  }
  if (exchange.message) {
    if (exchange.message.error) return { kind: 'rpc-error', message: String(exchange.message.error.message ?? 'an error') }
    const result = exchange.message.result as { protocolVersion?: unknown; serverInfo?: { name?: unknown } } | undefined
    const sessionId = headers.get('mcp-session-id')
    return {
      kind: 'open',
      ...(typeof result?.protocolVersion === 'string' ? { protocolVersion: result.protocolVersion } : {}),
      ...(typeof result?.serverInfo?.name === 'string' ? { serverName: result.serverInfo.name } : {}),
      ...(sessionId ? { sessionId } : {}),
    }
  }
  if (contentType.includes('html')) return { kind: 'not-mcp', why: status === 404 ? 'not-found' : 'web-page', status }
  if (status === 404) return { kind: 'not-mcp', why: 'not-found', status }
  if (status === 405) return { kind: 'not-mcp', why: 'method-not-allowed', status }
  if (status === 400) return { kind: 'not-mcp', why: 'bad-request', status }
  if (status >= 500) return { kind: 'server-error', status }
  return { kind: 'other', status, contentType }
}
