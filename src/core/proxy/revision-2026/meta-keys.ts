/**
 * The `_meta` keys of MCP 2026-07-28 (basic, `_meta`; SEP-2575) that every request and answer of a
 * stateless server carries. The SDK v2 exports the same names, but importing them from its entry
 * point loads the whole client (800 kB of code, a third of a proxy's start): they are spelled out
 * here, and a test keeps them equal to the SDK's.
 */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion'
export const CLIENT_INFO_META_KEY = 'io.modelcontextprotocol/clientInfo'
export const CLIENT_CAPABILITIES_META_KEY = 'io.modelcontextprotocol/clientCapabilities'
export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo'
export const LOG_LEVEL_META_KEY = 'io.modelcontextprotocol/logLevel'
