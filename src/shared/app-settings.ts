import type { ClientId } from './client-ids'

/** The app's settings as the Settings view shows and edits them. */
export interface AppSettings {
  /** First port tried for the OAuth loopback callback (RFC 8252 §7.3). */
  readonly callbackPort: number
  /** How long a sign-in waits for the browser to come back, in ms. */
  readonly signInTimeoutMs: number
  /** How long a proxy waits for an answer when the server has no timeout of its own, in ms. */
  readonly defaultTimeoutMs: number
  /** Clients Connect installs into besides Claude Desktop. */
  readonly enabledClients: readonly ClientId[]
  /** Start the app when the person logs in; absent where the shell cannot (headless). */
  readonly startAtLogin?: boolean
  /** Where MCP Tray's OAuth Client ID Metadata Document is published (https, with a path). */
  readonly clientMetadataUrl?: string
  /** The headless dashboard's loopback port (a fixed one, so the address can be bookmarked). */
  readonly dashboardPort: number
  /** A hub a proxy started stops after this many minutes with nothing needing it. */
  readonly idleStopMinutes: number
  /** An HTTP(S) proxy for every outgoing request, for clients that do not pass HTTPS_PROXY. */
  readonly proxyUrl?: string
  /** Trust the operating system's certificate store as well as Node's. */
  readonly trustSystemCertificates: boolean
  /** Largest single message accepted from a server or a client, in bytes. */
  readonly maxMessageBytes: number
}

/** A change to the settings; `null` clears an optional one. */
export type AppSettingsChange = {
  readonly [K in keyof AppSettings]?: undefined extends AppSettings[K] ? AppSettings[K] | null : AppSettings[K]
}
