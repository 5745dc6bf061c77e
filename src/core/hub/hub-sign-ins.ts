import type { SignInFlow, SignInResult, SignInRunOptions } from '../oauth/sign-in-flow'
import type { ServerEntry } from '../registry/server-entry'

/**
 * The engine's interactive sign-in as the hub's handlers share it. The engine already runs one flow
 * per server at a time (callers that arrive while it runs share it); this also remembers when each
 * server's last flow finished, so that a request made before then (a `mcp-tray login`, a proxy's
 * first 401 whose vault read straddled the end of the flow) is answered by that flow instead of
 * opening the browser a second time; and what a running flow has told the person, for whoever
 * joins it late.
 */
export class HubSignIns {
  readonly #flow: Pick<SignInFlow, 'run' | 'isRunning' | 'onProgress'>
  readonly #now: () => number
  /** Server name → when its last sign-in through this hub finished (epoch ms). Only registered names. */
  readonly #finished = new Map<string, number>()
  /** Server name → what its flow has told the person so far (where to sign in), while it runs. */
  readonly #told = new Map<string, { readonly message: string; readonly url?: string }[]>()
  readonly #stopListening: () => void

  constructor(flow: Pick<SignInFlow, 'run' | 'isRunning' | 'onProgress'>, now: () => number = Date.now) {
    this.#flow = flow
    this.#now = now
    this.#stopListening = flow.onProgress((message, server, detail) => this.#told.get(server)?.push({ message, ...(detail?.url ? { url: detail.url } : {}) }))
  }

  now(): number {
    return this.#now()
  }

  /** Runs the server's sign-in, or joins the one running. */
  async run(server: ServerEntry, options: SignInRunOptions = {}): Promise<SignInResult> {
    if (!this.#flow.isRunning(server.name)) this.#told.set(server.name, [])
    const result = await this.#flow.run(server, options)
    this.#finished.set(server.name, this.#now())
    return result
  }

  /** Whether a sign-in to `server` finished at or after `time` (epoch ms). */
  finishedSince(server: string, time: number): boolean {
    const at = this.#finished.get(server)
    return at !== undefined && at >= time
  }

  /**
   * What the server's running flow has told the person so far, for someone who joins it late (a
   * `mcp-tray login` after a proxy's first 401 started it): the address to sign in at, above all.
   */
  toldSoFar(server: string): readonly string[] {
    return this.#flow.isRunning(server) ? (this.#told.get(server) ?? []).map((told) => told.message) : []
  }

  /** The address the server's running flow waits at, for someone who joins it late. */
  addressSoFar(server: string): string | undefined {
    return this.#flow.isRunning(server) ? this.#told.get(server)?.findLast((told) => told.url !== undefined)?.url : undefined
  }

  isRunning(server: string): boolean {
    return this.#flow.isRunning(server)
  }

  /** Stops following the flow's progress (the hub closes; the engine may outlive it). */
  close(): void {
    this.#stopListening()
  }

  /** The server was signed out: no earlier sign-in answers a later request. */
  forget(server: string): void {
    this.#finished.delete(server)
  }
}
