import type { RedirectSettings } from '../../shared/server-view'

/** A remote server as client configs need it: what to import from an `mcp-remote` entry. */
export interface DirectoryServer {
  readonly name: string
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly clientId?: string
  readonly clientSecret?: string
  readonly scope?: string
  /** The redirect URI a static client was registered for. */
  readonly redirect?: RedirectSettings
}

/**
 * The part of MCP Tray's server registry that installing and migrating entries needs. The CLI
 * and the app wire it to the registry (and the vault, for client secrets).
 */
export interface ServerDirectory {
  get(name: string): Promise<{ readonly name: string; readonly url: string } | undefined>
  /** Adds the server, or returns the one already listed for the same URL; resolves to the name it is listed under. */
  add(server: DirectoryServer): Promise<{ readonly name: string }>
}
