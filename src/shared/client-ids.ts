/** The MCP clients whose config files MCP Tray can write an entry into. */
export const clientIds = ['claude-desktop', 'cursor', 'vscode', 'windsurf', 'claude-code'] as const
export type ClientId = (typeof clientIds)[number]

export function isClientId(value: unknown): value is ClientId {
  return typeof value === 'string' && (clientIds as readonly string[]).includes(value)
}
