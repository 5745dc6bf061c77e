import type { DoctorStep } from '../../shared/doctor-report'
import type { Network } from '../net/network'
import type { ProtectedResourceMetadata } from '../oauth/protected-resource'
import type { AuthorizationServerMetadata } from '../oauth/server-metadata'
import type { Clock } from '../oauth/token-refresher'
import type { BearerChallenge } from '../oauth/www-authenticate'

/** What the doctor is asked to look at. */
export interface DoctorInput {
  /** The MCP endpoint's URL. */
  readonly url: string
  /** The registry's name for it, when the person named a server. */
  readonly server?: string
  /** What the person typed (a URL or a name); defaults to `server` or `url`. */
  readonly target?: string
  /** Extra headers configured for the server: sent with every MCP request, their values never shown. */
  readonly headers?: Readonly<Record<string, string>>
  /** A pre-registered client id configured for the server. */
  readonly clientId?: string
  /** The loopback redirect URI a sign-in sends (default `http://127.0.0.1:3334/oauth/callback`). */
  readonly redirectUri?: string
  /** The app's proxy setting; without it HTTPS_PROXY / HTTP_PROXY of the environment. */
  readonly proxyUrl?: string
  /** The app's setting: trust the operating system's certificate store as well as Node's (default true). */
  readonly trustSystemCertificates?: boolean
  /** Once signed in, call this tool with no arguments (the person says it only reads). */
  readonly callTool?: string
  /** Try RFC 7591 dynamic registration when that is how MCP Tray would register (default true). */
  readonly tryRegistration?: boolean
}

/** An access token to check the server with, and what the token store knows of it. Never shown. */
export interface DoctorAccess {
  readonly accessToken: string
  /** Epoch ms, by this machine's clock. */
  readonly expiresAt?: number
}

/** A client registration MCP Tray keeps for the server's authorization server. */
export interface DoctorStoredClient {
  readonly issuer: string
  readonly clientId: string
}

/** How long each kind of probe may take, in ms. */
export interface DoctorBounds {
  /** DNS lookup. */
  readonly dnsMs: number
  /** TCP connect, TLS handshake, a proxy's CONNECT. */
  readonly connectMs: number
  /** One HTTP exchange (metadata, registration, the authorization request). */
  readonly httpMs: number
  /** The `initialize` exchange: longer than this and the doctor reports it as too slow. */
  readonly initializeMs: number
  /** `initialize` slower than this is a warning: clients with short limits give up. */
  readonly slowInitializeMs: number
  /** Getting a token through the sign-in (a refresh at most; the doctor never opens a browser). */
  readonly tokenMs: number
  /** `tools/list` and the optional tool call. */
  readonly requestMs: number
}

export const defaultDoctorBounds: DoctorBounds = {
  dnsMs: 5_000,
  connectMs: 5_000,
  httpMs: 10_000,
  initializeMs: 15_000,
  slowInitializeMs: 5_000,
  tokenMs: 20_000,
  requestMs: 15_000,
}

export interface DoctorDeps {
  /** HTTP for every probe (the network's, else Node's fetch); it must honour the abort signal. */
  readonly fetch?: typeof fetch
  /**
   * MCP Tray's network (its proxy rules and trusted authorities): the HTTP checks then reach the
   * server the way every connection does, through the proxy when one applies.
   */
  readonly network?: Pick<Network, 'fetch' | 'trust'>
  /** The current access token for `input.server` (the hub's sign-in, or the vault); `undefined` when signed out. */
  readonly getAccessToken?: (signal: AbortSignal) => Promise<DoctorAccess | undefined>
  /** The dynamic registration MCP Tray keeps for the server, to check the authorization server still knows it. */
  readonly storedClient?: () => Promise<DoctorStoredClient | undefined>
  readonly bounds?: Partial<DoctorBounds>
  readonly clock?: Clock
  /** Where HTTPS_PROXY, NO_PROXY… are read (process.env by default). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Stops the whole run. */
  readonly signal?: AbortSignal
  /** How host names are looked up (node:dns `lookup`, which reads the hosts file, by default). */
  readonly lookup?: (host: string) => Promise<readonly { readonly address: string }[]>
  /** Extra CA certificates (PEM) the TLS check trusts besides Node's (e.g. the system store). */
  readonly ca?: readonly string[]
}

/** One probe's verdict; the runner adds the id, the title and the time it took. */
export type ProbeOutcome = Omit<DoctorStep, 'id' | 'title' | 'durationMs'>

/** What the probes learn as they go, for the probes after them. One per run. */
export interface DoctorFindings {
  addresses?: readonly string[]
  /** Why the HTTP probes cannot run (DNS, TCP or TLS failed), shown as their skip reason. */
  blocked?: string
  /** A proxy applies to the URL (the app's setting or the environment's), credentials removed. */
  proxy?: URL
  /** The direct route failed (DNS or TCP) while a proxy is set: the proxy check decides. */
  directFailed?: boolean
  /** The URL the MCP probes use: the one asked about, or the path that answered instead. */
  endpoint?: URL
  /** Which transport the endpoint speaks. */
  transport?: 'streamable-http' | 'sse'
  /** What `initialize` without a token got. */
  access?: 'open' | 'challenge' | 'not-mcp' | 'failed'
  challenge?: BearerChallenge
  /** False: a 401 without a Bearer challenge. */
  challengeUsable?: boolean
  resourceMetadata?: ProtectedResourceMetadata
  issuer?: string
  authorizationServer?: AuthorizationServerMetadata
  /** A client id to send in the authorization request check. */
  clientId?: string
  /** Where `clientId` comes from: the server's configuration, MCP Tray's kept registration, or one the doctor just made. */
  clientKind?: 'configured' | 'stored' | 'registered'
  token?: DoctorAccess
  /** A session started with `initialize` (with the token, or to a server that needs none). */
  initialized?: boolean
  sessionId?: string
  protocolVersion?: string
  /** The server's clock minus ours (from `Date` headers), in ms. */
  clockOffsetMs?: number
}

/** Everything a probe can use. */
export interface DoctorContext {
  readonly input: DoctorInput
  readonly url: URL
  readonly fetch: typeof fetch
  readonly bounds: DoctorBounds
  readonly clock: Clock
  readonly env: Readonly<Record<string, string | undefined>>
  readonly deps: DoctorDeps
  readonly findings: DoctorFindings
  readonly redirectUri: string
}

/** One probe: an id, a title, its time bound, and what to say when the bound is reached. */
export interface Probe {
  readonly id: string
  readonly title: string
  /** Needs the server reachable: when an earlier step found it is not, shown as skipped with the reason. */
  readonly needsReach?: boolean
  /** False: the probe does not apply to this run, and is not shown (e.g. TLS for http://). */
  applies?(context: DoctorContext): boolean
  bound(context: DoctorContext): number
  run(context: DoctorContext, signal: AbortSignal): Promise<ProbeOutcome>
  timedOut?(context: DoctorContext, ms: number): ProbeOutcome
}

export const defaultRedirectUri = 'http://127.0.0.1:3334/oauth/callback'
