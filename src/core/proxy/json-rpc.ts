import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

/**
 * Just enough JSON-RPC 2.0 to relay messages without reinterpreting them: what kind a message
 * is, its id and method, and the error responses the proxy itself writes.
 */
export type RpcKind = 'request' | 'notification' | 'response' | 'error'
export type RpcId = string | number

export interface RpcErrorObject {
  readonly code: number
  readonly message: string
  readonly data?: unknown
}

/** JSON-RPC and MCP error codes the proxy answers with. */
export const rpcErrorCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  /** The same code the SDK uses for its own request timeouts. */
  requestTimeout: -32001,
  /** The server could not be reached or answered with an HTTP error. */
  upstreamFailure: -32000,
} as const

type Loose = Record<string, unknown>

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isId(value: unknown): value is RpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
}

/** The kind of a JSON-RPC 2.0 message, or `undefined` when the value is not one. */
export function rpcKindOf(value: unknown): RpcKind | undefined {
  if (!isRecord(value) || value.jsonrpc !== '2.0') return undefined
  if (typeof value.method === 'string') return 'id' in value ? (isId(value.id) ? 'request' : undefined) : 'notification'
  if ('result' in value && isId(value.id)) return 'response'
  if (isRecord(value.error) && (isId(value.id) || value.id === null)) return 'error'
  return undefined
}

export function rpcIdOf(message: unknown): RpcId | undefined {
  return isRecord(message) && isId(message.id) ? message.id : undefined
}

export function rpcMethodOf(message: unknown): string | undefined {
  return isRecord(message) && typeof message.method === 'string' ? message.method : undefined
}

/** `1` and `"1"` are different ids: keys keep them apart. */
export function idKey(id: RpcId): string {
  return `${typeof id}:${id}`
}

export function progressTokenOf(message: unknown): RpcId | undefined {
  if (!isRecord(message) || !isRecord(message.params) || !isRecord(message.params._meta)) return undefined
  const token = message.params._meta.progressToken
  return isId(token) ? token : undefined
}

/** The `progressToken` of a `notifications/progress`. */
export function notifiedProgressTokenOf(message: unknown): RpcId | undefined {
  if (rpcMethodOf(message) !== 'notifications/progress' || !isRecord(message) || !isRecord(message.params)) return undefined
  const token = message.params.progressToken
  return isId(token) ? token : undefined
}

/** The `protocolVersion` of an initialize result. */
export function protocolVersionOf(message: unknown): string | undefined {
  if (!isRecord(message) || !isRecord(message.result)) return undefined
  const version = message.result.protocolVersion
  return typeof version === 'string' ? version : undefined
}

export function errorResponse(id: RpcId | null, error: RpcErrorObject): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error } as unknown as JSONRPCMessage
}

/**
 * Methods a server answers without changing anything, so resending one that may have reached the
 * server is harmless. `tools/call` is not one of them, nor is anything unknown.
 */
const idempotentMethods = new Set([
  'initialize',
  'ping',
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
])

export function isIdempotentMethod(method: string | undefined): boolean {
  return method !== undefined && idempotentMethods.has(method)
}
