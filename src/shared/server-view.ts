import type { ClientId } from './client-ids'

/**
 * - `idle`: no proxy attached; `connected`: at least one proxy relays for it;
 * - `signing-in`: the hub runs a sign-in for it; `sign-in-needed`: its sign-in is gone and only
 *   a person can sign in again; `error`: its last request failed (see `lastError`).
 */
export type ServerState = 'idle' | 'connected' | 'signing-in' | 'sign-in-needed' | 'error'

/** A server as the hub's status board sees it now. */
export interface ServerStatus {
  readonly server: string
  readonly state: ServerState
  /** How many proxy processes relay for it now. */
  readonly proxies: number
  /** ISO 8601 time of its last log event, when it had one since the hub started. */
  readonly lastActivity?: string
  /** Requests relayed to it since the hub started. */
  readonly requests: number
  /** Failed requests, timeouts and error answers since the hub started. */
  readonly errors: number
  /** The last error, as a sentence (credentials masked, control characters removed). */
  readonly lastError?: string
}

/** Where the browser comes back to after sign-in (RFC 8252 §7.3 loopback redirect). */
export type RedirectHost = '127.0.0.1' | 'localhost' | '[::1]'

export interface RedirectSettings {
  readonly host: RedirectHost
  /** 0 or absent: the app's callback port setting. */
  readonly port?: number
  readonly path?: string
}

/** A server's options as a person set them. Header values and client secrets never appear here. */
export interface ServerOptions {
  /** How long the proxy waits for an answer before it answers with an error, in ms. */
  readonly timeoutMs?: number
  /** Scopes to ask for, space-separated. */
  readonly scope?: string
  /** Names of the extra HTTP headers sent with every request (values are in the vault). */
  readonly headerNames?: readonly string[]
  /** A client id the authorization server issued to the person. */
  readonly clientId?: string
  readonly redirect?: RedirectSettings
  /** An `audience` parameter some authorization servers need (Auth0). */
  readonly audience?: string
}

/** A change to a server's options; `null` removes an option. Header values go to the vault. */
export interface ServerOptionsChange {
  readonly timeoutMs?: number | null
  readonly scope?: string | null
  readonly clientId?: string | null
  readonly clientSecret?: string | null
  /** Replaces every extra header: name → value (an empty object removes them all). */
  readonly headers?: Readonly<Record<string, string>>
  readonly redirect?: RedirectSettings | null
  readonly audience?: string | null
}

/** What the page may know of a server's sign-in (STYLE 7): never a token. */
export interface SignInSummary {
  readonly state: 'signed-out' | 'signed-in' | 'sign-in-needed' | 'error'
  /** Who is signed in, when the authorization server said (`sub`, e-mail or name). */
  readonly subject?: string
  readonly issuer?: string
  /** Epoch ms when the access token expires, when known. */
  readonly expiresAt?: number
  readonly scopes?: readonly string[]
  /** Why sign-in is needed, or what went wrong, in words. */
  readonly problem?: string
}

/** A sign-in waiting for the person in a browser. */
export interface PendingSignIn {
  /** The address to open when no browser opened by itself. */
  readonly url?: string
  /** The latest thing the sign-in told the person. */
  readonly message: string
  /** ISO 8601 time it started. */
  readonly since: string
}

/** One server as every view shows it: its entry, live status, sign-in and where it is installed. */
export interface ServerView extends ServerStatus {
  readonly url: string
  readonly options: ServerOptions
  readonly signIn: SignInSummary
  /** The clients whose config files start it through MCP Tray. */
  readonly clients: readonly ClientId[]
  /** Latencies of its most recent answers, oldest first (for a sparkline), in ms. */
  readonly recentLatencyMs: readonly number[]
  readonly pendingSignIn?: PendingSignIn
  /** The MCP protocol revision the server answered with, when known (e.g. `2025-11-25`). */
  readonly revision?: string
  /** The doctor's name for what is wrong, when the last failure has one (see `mcp-tray doctor`). */
  readonly diagnosis?: string
}

/** What a URL turned out to be, before it is saved: the Add server view's live preview. */
export interface ServerPreview {
  /** The URL as it will be saved (normalised). */
  readonly url: string
  /** The name `addServer` will give it unless another is given. */
  readonly suggestedName: string
  /** The name it is already saved under, if it is. */
  readonly existing?: string
  readonly reachable: boolean
  readonly mcp: 'found' | 'not-found' | 'unknown'
  readonly transport?: 'streamable-http' | 'sse'
  readonly signInRequired: boolean
  readonly authorizationServer?: string
  /** How MCP Tray will identify itself to the authorization server. */
  readonly registration?: 'pre-registered' | 'client-metadata-document' | 'dynamic' | 'client-id-needed'
  readonly scopes?: readonly string[]
  /** What is wrong, in words, with what to do. */
  readonly problem?: string
  /** A URL that answers as an MCP endpoint when this one does not (e.g. the `/mcp` path). */
  readonly suggestedUrl?: string
  readonly durationMs: number
}

/** What a person gives to add a server. Secrets go to the vault and never come back. */
export interface AddServerRequest {
  readonly url: string
  readonly name?: string
  readonly timeoutMs?: number
  readonly scope?: string
  readonly clientId?: string
  readonly clientSecret?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly redirect?: RedirectSettings
}

/** One client app MCP Tray can write into, as the Settings and Install views show it. */
export interface ClientInfo {
  readonly id: ClientId
  readonly displayName: string
  /** The config file MCP Tray reads and writes for it. */
  readonly file: string
  readonly exists: boolean
  /** Whether Connect installs into it (Claude Desktop by default; others as the person enabled). */
  readonly enabled: boolean
  /** Servers whose entry in that file starts them through MCP Tray. */
  readonly servers: readonly string[]
  /** What to do after the file changed for the client to load it. */
  readonly reloadAdvice: string
  /** Why the file cannot be read (it does not parse…): MCP Tray leaves it untouched until it is fixed. */
  readonly problem?: string
}

/** One config file change. */
export interface InstallOutcome {
  readonly client: ClientId
  readonly file: string
  readonly changed: boolean
  readonly backup?: string
  /** The client must be restarted to load the change. */
  readonly restartNeeded: boolean
}

export interface SignOutOutcome {
  readonly revoked: boolean
  readonly problem?: string
}

export interface RemoveOutcome {
  readonly server: string
  readonly signedOut: boolean
  readonly uninstalled: readonly InstallOutcome[]
}
