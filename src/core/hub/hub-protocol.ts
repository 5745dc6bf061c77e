/**
 * What travels between a proxy (or the CLI) and the hub over the local socket: requests with an
 * id, answers with the same id, and events the hub pushes. The first request must be `hello`
 * with the secret from the hub's 0600 file.
 */
export interface HubRequest {
  readonly id: number
  readonly method: string
  readonly params?: unknown
}

export interface HubErrorPayload {
  readonly code: string
  readonly message: string
  readonly hint?: string
}

export type HubReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: HubErrorPayload }

export interface HubEvent {
  readonly event: string
  readonly data: unknown
}

/** The event the hub sends its CLI clients with a sign-in's progress: `{ server, message }`. */
export const signInProgressEvent = 'sign-in-progress'

/** A sign-in's progress in words, as the hub passes it on. Never a token. */
export interface SignInProgress {
  readonly server: string
  readonly message: string
  /** The address to open to sign in, while the flow waits for the browser. */
  readonly url?: string
}

export interface HelloParams {
  readonly secret: string
  readonly role: 'proxy' | 'cli' | 'dashboard'
  readonly pid: number
}

/** Bound on one message either way; log batches and tokens are far below it. */
export const maxHubMessageBytes = 8 * 1024 * 1024

export function isHubRequest(value: unknown): value is HubRequest {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Record<string, unknown>
  return typeof candidate.id === 'number' && typeof candidate.method === 'string'
}

export function isHubReply(value: unknown): value is HubReply {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Record<string, unknown>
  return typeof candidate.id === 'number' && ('result' in candidate || 'error' in candidate)
}

export function isHubEvent(value: unknown): value is HubEvent {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).event === 'string'
}
