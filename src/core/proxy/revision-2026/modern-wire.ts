import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, PROTOCOL_VERSION_META_KEY } from './meta-keys'

/**
 * The request shape of MCP 2026-07-28 (stateless): the per-request `_meta` envelope (basic, `_meta`,
 * SEP-2575) and the standard and custom HTTP headers (transports, SEP-2243). Pure functions.
 */

/** The revisions without `initialize` this proxy speaks upstream, newest first. */
export const modernRevisions = ['2026-07-28'] as const

export function isModernRevision(version: unknown): version is string {
  return typeof version === 'string' && version >= '2026-07-28'
}

/** What the client said about itself in its `initialize`, carried on every request of a stateless revision. */
export interface ClientIdentity {
  readonly protocolVersion: string
  readonly capabilities: Record<string, unknown>
  readonly clientInfo: Record<string, unknown> | undefined
}

/** `_meta` keyed by the reserved names; the client's own `_meta` keys are kept. */
export function withEnvelope(params: unknown, version: string, client: ClientIdentity, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = params !== null && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : {}
  const meta = base._meta !== null && typeof base._meta === 'object' ? (base._meta as Record<string, unknown>) : {}
  return {
    ...base,
    _meta: {
      ...meta,
      [PROTOCOL_VERSION_META_KEY]: version,
      [CLIENT_CAPABILITIES_META_KEY]: client.capabilities,
      ...(client.clientInfo ? { [CLIENT_INFO_META_KEY]: client.clientInfo } : {}),
      ...extra,
    },
  }
}

/** Which body field `Mcp-Name` mirrors, per method (transports, standard headers). */
const nameSource: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
}

const base64Prefix = '=?base64?'
const base64Suffix = '?='

/**
 * A header value as the spec's value encoding has it: plain when it is a safe visible-ASCII field
 * value (RFC 9110 §5.5) without surrounding whitespace, else `=?base64?<UTF-8 as Base64>?=`.
 */
export function encodeHeaderValue(value: string): string {
  const unsafe =
    value.length === 0 ||
    (value.startsWith(base64Prefix) && value.endsWith(base64Suffix)) ||
    value !== value.trim() ||
    [...value].some((char) => {
      const code = char.codePointAt(0)!
      return !(code === 9 || (code >= 32 && code <= 126))
    })
  return unsafe ? `${base64Prefix}${Buffer.from(value, 'utf8').toString('base64')}${base64Suffix}` : value
}

/** `MCP-Protocol-Version`, `Mcp-Method` and, where the method has one, `Mcp-Name`. */
export function standardHeaders(method: string, params: unknown, version: string): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': method }
  const field = nameSource[method]
  const value = field === undefined ? undefined : (params as Record<string, unknown> | undefined)?.[field]
  if (typeof value === 'string') headers['mcp-name'] = encodeHeaderValue(value)
  return headers
}

/** One `x-mcp-header` declaration of a tool: the argument at `path` goes in `Mcp-Param-<header>`. */
export interface ParamHeader {
  readonly path: readonly string[]
  readonly header: string
}

/** RFC 9110 §5.1 token. */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const headerTypes = new Set(['string', 'integer', 'boolean'])
/** Keywords whose subschemas are not reachable through `properties` alone: no `x-mcp-header` may sit under them. */
const unreachable = [
  'items', 'prefixItems', 'contains', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'propertyNames',
  'patternProperties', 'dependentSchemas', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else', '$defs', 'definitions',
]
const keyedUnreachable = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions'])

/**
 * The `x-mcp-header` declarations of a tool's input schema (server/tools, x-mcp-header): each a
 * non-empty RFC 9110 token, on a string, integer or boolean property reachable through
 * `properties` only, unique without regard to case. A tool breaking any rule is invalid, and a
 * client MUST exclude it: `{ invalid: reason }`.
 */
export function paramHeadersOf(inputSchema: unknown): { headers: ParamHeader[] } | { invalid: string } {
  const headers: ParamHeader[] = []
  const seen = new Map<string, string>()
  const visit = (node: unknown, path: string[], reachable: boolean): string | undefined => {
    if (node === null || typeof node !== 'object') return undefined
    const schema = node as Record<string, unknown>
    if ('x-mcp-header' in schema) {
      const name = schema['x-mcp-header']
      const where = path.join('.') || '<root>'
      if (!reachable || path.length === 0) return `${where}: x-mcp-header only on properties reachable through "properties"`
      if (typeof name !== 'string' || name.length === 0) return `${where}: x-mcp-header must be a non-empty string`
      if (!token.test(name)) return `${where}: x-mcp-header "${name}" is not an HTTP token`
      if (typeof schema.type !== 'string' || !headerTypes.has(schema.type)) return `${where}: x-mcp-header only on string, integer or boolean properties`
      const prior = seen.get(name.toLowerCase())
      if (prior !== undefined) return `x-mcp-header "${name}" repeats "${prior}"`
      seen.set(name.toLowerCase(), name)
      headers.push({ path, header: name })
    }
    if (schema.properties !== null && typeof schema.properties === 'object') {
      for (const [key, child] of Object.entries(schema.properties)) {
        const fault = visit(child, [...path, key], reachable)
        if (fault) return fault
      }
    }
    for (const keyword of unreachable) {
      const sub = schema[keyword]
      if (sub === undefined) continue
      const branches = Array.isArray(sub) ? sub : keyedUnreachable.has(keyword) && sub !== null && typeof sub === 'object' ? Object.values(sub) : [sub]
      for (const branch of branches) {
        const fault = visit(branch, [...path, `<${keyword}>`], false)
        if (fault) return fault
      }
    }
    return undefined
  }
  const fault = visit(inputSchema, [], true)
  return fault === undefined ? { headers } : { invalid: fault }
}

/** `Mcp-Param-<name>` for each declared argument present and primitive; null or absent ones are left out. */
export function paramHeaders(declarations: readonly ParamHeader[], args: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const { path, header } of declarations) {
    let value: unknown = args
    for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
    let text: string | undefined
    if (typeof value === 'string') text = value
    else if (typeof value === 'boolean') text = value ? 'true' : 'false'
    else if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) text = String(value)
    if (text !== undefined) out[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(text)
  }
  return out
}
