import type { ServerState, ServerStatus } from '../../shared/dashboard-api'
import type { LogEvent } from '../logs/log-event'
import { isAnswer, isClientRequest, isError } from '../logs/log-outcomes'
import { redactText } from '../logs/redaction'
import type { SecretValues } from '../logs/secret-values'
import type { HubPeer } from './hub-server'

/** What the token handlers tell the status model about sign-in. */
export interface SignInObserver {
  signingIn(server: string): void
  signedIn(server: string): void
  signInNeeded(server: string, problem: string): void
  /** A person signed out: only the proxies still attached need a sign-in now; with none, it is idle. */
  signedOut(server: string, problem: string): void
}

interface Entry {
  /** Proxy processes (by pid) attached, each with the connections it holds to the hub. */
  readonly proxies: Map<number, Set<HubPeer>>
  requests: number
  errors: number
  lastActivity: string | undefined
  lastError: string | undefined
  /** The last request either answered (false) or failed (true). */
  failing: boolean
  signingIn: boolean
  signInNeeded: boolean
}

const maxErrorChars = 300

/**
 * The live status of every server, derived from the proxies attached to the hub, the log events
 * they send and what the token handlers say about sign-in. Listeners hear of each server whose
 * status changed, at most once per `coalesceMs` (events arrive by the hundred).
 */
export class ServerStatusBoard implements SignInObserver {
  readonly #entries = new Map<string, Entry>()
  readonly #knownServers: () => readonly string[]
  readonly #listeners = new Set<(statuses: readonly ServerStatus[]) => void>()
  readonly #changed = new Set<string>()
  readonly #coalesceMs: number
  #timer: NodeJS.Timeout | undefined

  /** Secret values the hub holds: a problem a server described with one of them in it shows it masked. */
  readonly #secrets: SecretValues | undefined

  constructor(options: { knownServers?: () => readonly string[]; coalesceMs?: number; secrets?: SecretValues } = {}) {
    this.#secrets = options.secrets
    this.#knownServers = options.knownServers ?? (() => [])
    this.#coalesceMs = options.coalesceMs ?? 100
  }

  /** Counts `peer`'s process among the server's proxies (once per process, however many connections). */
  attach(server: string, peer: HubPeer): void {
    const entry = this.#entry(server)
    let connections = entry.proxies.get(peer.pid)
    if (!connections) {
      connections = new Set()
      entry.proxies.set(peer.pid, connections)
      this.#change(server)
    }
    connections.add(peer)
  }

  /** A connection closed: its process stops counting once none of its connections is left. */
  detach(peer: HubPeer): void {
    for (const [server, entry] of this.#entries) {
      const connections = entry.proxies.get(peer.pid)
      if (!connections?.delete(peer) || connections.size > 0) continue
      entry.proxies.delete(peer.pid)
      this.#change(server)
    }
  }

  record(server: string, events: readonly LogEvent[]): void {
    if (events.length === 0) return
    const entry = this.#entry(server)
    for (const event of events) {
      if (entry.lastActivity === undefined || event.time > entry.lastActivity) entry.lastActivity = event.time
      if (isClientRequest(event)) entry.requests += 1
      // Counted as the log's "errors only" shows them (log-outcomes.ts), tool errors included.
      if (isError(event)) {
        entry.errors += 1
        // A JSON-RPC error or a tool error is the server answering, and a dropped stream comes back
        // by itself: only requests the proxy failed or gave up on make it failing.
        const failsRequests = event.outcome !== 'error' && event.outcome !== 'tool-error' && event.kind !== 'proxy'
        // While sign-in is needed, its reason says more than the failures it causes; while requests
        // fail, the last of them says more than the stream trouble that follows them.
        if (!entry.signInNeeded && !(event.kind === 'proxy' && entry.failing)) entry.lastError = sentence(event)
        if (failsRequests) entry.failing = true
      }
      if (isAnswer(event) && (event.outcome === 'ok' || event.outcome === 'tool-error')) {
        entry.failing = false
        // The server answers again: whatever needed a sign-in was fixed.
        entry.signInNeeded = false
      }
    }
    this.#change(server)
  }

  signingIn(server: string): void {
    this.#entry(server).signingIn = true
    this.#change(server)
  }

  signedIn(server: string): void {
    const entry = this.#entry(server)
    entry.signingIn = false
    entry.signInNeeded = false
    entry.failing = false
    this.#change(server)
  }

  signInNeeded(server: string, problem: string): void {
    const entry = this.#entry(server)
    entry.signingIn = false
    entry.signInNeeded = true
    entry.lastError = clip(redactText(problem, this.#secrets))
    this.#change(server)
  }

  signedOut(server: string, problem: string): void {
    const entry = this.#entry(server)
    if (entry.proxies.size > 0) return this.signInNeeded(server, problem)
    // A sign-in still running (which may sign it in again) goes on showing.
    entry.signInNeeded = false
    entry.failing = false
    this.#change(server)
  }

  /** Whether the board has seen the server since the hub started. */
  tracks(server: string): boolean {
    return this.#entries.has(server)
  }

  /** How many servers the board has seen since the hub started. */
  tracked(): number {
    return this.#entries.size
  }

  /** The server was removed or renamed: it shows no more, until a proxy reports under that name again. */
  forget(server: string): void {
    if (this.#entries.delete(server)) this.#change(server)
  }

  /** Every server known to the registry or seen since the hub started, by name. */
  list(): ServerStatus[] {
    const names = new Set([...this.#knownServers(), ...this.#entries.keys()])
    return [...names].sort().map((name) => this.get(name))
  }

  get(server: string): ServerStatus {
    const entry = this.#entries.get(server)
    if (!entry) return { server, state: 'idle', proxies: 0, requests: 0, errors: 0 }
    return {
      server,
      state: stateOf(entry),
      proxies: entry.proxies.size,
      requests: entry.requests,
      errors: entry.errors,
      ...(entry.lastActivity === undefined ? {} : { lastActivity: entry.lastActivity }),
      ...(entry.lastError === undefined ? {} : { lastError: entry.lastError }),
    }
  }

  /** Calls `listener` with the servers whose status changed; returns how to stop. */
  onChange(listener: (statuses: readonly ServerStatus[]) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  close(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#listeners.clear()
  }

  #entry(server: string): Entry {
    let entry = this.#entries.get(server)
    if (!entry) {
      entry = { proxies: new Map(), requests: 0, errors: 0, lastActivity: undefined, lastError: undefined, failing: false, signingIn: false, signInNeeded: false }
      this.#entries.set(server, entry)
    }
    return entry
  }

  #change(server: string): void {
    this.#changed.add(server)
    if (this.#timer !== undefined || this.#listeners.size === 0) return
    this.#timer = setTimeout(() => this.#emit(), this.#coalesceMs)
    this.#timer.unref()
  }

  #emit(): void {
    this.#timer = undefined
    const statuses = [...this.#changed].sort().map((name) => this.get(name))
    this.#changed.clear()
    for (const listener of this.#listeners) {
      try {
        listener(statuses)
      } catch {
        // one listener's failure must not silence the others
      }
    }
  }
}

function stateOf(entry: Entry): ServerState {
  if (entry.signingIn) return 'signing-in'
  if (entry.signInNeeded) return 'sign-in-needed'
  if (entry.failing) return 'error'
  return entry.proxies.size > 0 ? 'connected' : 'idle'
}

function sentence(event: LogEvent): string {
  const what = event.tool === undefined ? (event.method ?? event.kind) : `${event.method ?? event.kind} ${event.tool}`
  return clip(redactText(event.preview ? `${what}: ${event.preview}` : `${what} ${event.outcome}`))
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > maxErrorChars ? `${line.slice(0, maxErrorChars - 1)}…` : line
}
