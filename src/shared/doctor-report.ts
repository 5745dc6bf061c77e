/**
 * The doctor's findings about one remote MCP server, as every surface shows them (CLI table,
 * dashboard steps streamed as they run, the redacted Markdown report). Pure data: no secrets,
 * no token, no header value.
 */

export type DoctorStepStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'running'

/** A fix a surface can apply with one button; `text` of the `DoctorFix` says it in words. */
export type DoctorFixAction =
  /** Point the server entry at another URL (e.g. the `/mcp` path that answers). */
  | { readonly kind: 'use-url'; readonly url: string }
  /** Change the host of the loopback redirect URI the sign-in sends. */
  | { readonly kind: 'set-redirect-host'; readonly host: '127.0.0.1' | 'localhost' | '[::1]' }
  /** Sign in again (a fresh registration and token). */
  | { readonly kind: 'sign-in' }
  /** Trust the operating system's certificate store (a TLS-intercepting proxy or VPN). */
  | { readonly kind: 'trust-system-ca' }

export interface DoctorFix {
  readonly text: string
  readonly action?: DoctorFixAction
}

export interface DoctorStep {
  /** Stable id of the probe, e.g. `dns`, `tls`, `mcp-endpoint`, `tools-list`. */
  readonly id: string
  readonly title: string
  readonly status: DoctorStepStatus
  readonly durationMs?: number
  /** One line saying what was found. */
  readonly summary: string
  /** What was seen, line by line (status codes, header names, URLs), redacted. */
  readonly evidence?: readonly string[]
  readonly fix?: DoctorFix
  /** A named diagnosis, stable for programs, e.g. `no-www-authenticate`. */
  readonly diagnosis?: string
}

export interface DoctorReport {
  /** What the person asked about: the URL or the server's name. */
  readonly target: string
  readonly server?: string
  readonly url: string
  /** ISO 8601. */
  readonly startedAt: string
  readonly durationMs: number
  /** No step failed. */
  readonly healthy: boolean
  readonly steps: readonly DoctorStep[]
  /** The named diagnoses of the steps, in order, without repeats. */
  readonly diagnoses: readonly string[]
}
