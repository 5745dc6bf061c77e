import type { HubConnection } from '../hub/hub-client'
import { signInProgressEvent, type SignInProgress } from '../hub/hub-protocol'
import type { RefreshParams, StepUpParams, TokenParams, TokenReply } from '../hub/token-handlers'
import type { ScopeChallenge, TokenSource } from './token-source'

export interface HubTokenSourceOptions {
  readonly server: string
  /** Connects to a hub that is already running, or fails fast. */
  readonly connect: () => Promise<HubConnection>
  /** Connects to the hub, starting it when none runs. */
  readonly connectOrStart: () => Promise<HubConnection>
  /** Bound on a refresh or step-up, which may include an interactive sign-in. */
  readonly refreshTimeoutMs: number
  /**
   * Told once per address when the hub's sign-in for this server waits for a person in a browser:
   * the proxy says where on its stderr, which lands in the client's log.
   */
  readonly onSignInWaiting?: (url: string) => void
}

/**
 * Tokens from the hub, held in memory only. Asking for a token never starts a hub (a server that
 * needs no sign-in never causes one); a 401 does, because only the hub can sign in or refresh.
 * When the hub goes away the proxy keeps relaying with the token it holds.
 */
export class HubTokenSource implements TokenSource {
  readonly #options: HubTokenSourceOptions
  #token: string | undefined
  /** Whether the hub was asked once already: after that only a 401 asks again, not every request. */
  #asked = false
  #connection: HubConnection | undefined
  #closed = false
  readonly #told = new Set<string>()

  constructor(options: HubTokenSourceOptions) {
    this.#options = options
  }

  async getToken(): Promise<string | undefined> {
    if (this.#token !== undefined || this.#asked) return this.#token
    this.#asked = true
    const connection = await this.#connect(this.#options.connect).catch(() => undefined)
    if (!connection) return undefined
    const reply = await connection.call<TokenReply>('token', { server: this.#options.server } satisfies TokenParams)
    this.#token = reply.token ?? undefined
    return this.#token
  }

  refresh(stale: string, challenge?: ScopeChallenge): Promise<string | undefined> {
    return this.#signIn('refresh', { server: this.#options.server, stale, ...challenge } satisfies RefreshParams)
  }

  /** The hub runs the step-up sign-in (one per server however many proxies ask) and hands back its token. */
  stepUp(stale: string, challenge: ScopeChallenge): Promise<string | undefined> {
    return this.#signIn('step-up', { server: this.#options.server, stale, ...challenge } satisfies StepUpParams)
  }

  /** A call that may take a whole interactive sign-in: it starts the hub when none runs. */
  async #signIn(method: 'refresh' | 'step-up', params: RefreshParams | StepUpParams): Promise<string | undefined> {
    if (this.#closed) return undefined
    const connection = await this.#connect(this.#options.connectOrStart)
    const reply = await connection.call<TokenReply>(method, params, { timeoutMs: this.#options.refreshTimeoutMs })
    this.#token = reply.token ?? undefined
    return this.#token
  }

  close(): void {
    this.#closed = true
    this.#connection?.close()
    this.#connection = undefined
  }

  async #connect(how: () => Promise<HubConnection>): Promise<HubConnection> {
    if (this.#connection) return this.#connection
    const connection = await how()
    connection.onEvent((event) => {
      const progress = event.data as Partial<SignInProgress> | undefined
      if (event.event !== signInProgressEvent || progress?.server !== this.#options.server || typeof progress.url !== 'string') return
      if (this.#told.has(progress.url)) return
      this.#told.add(progress.url)
      this.#options.onSignInWaiting?.(progress.url)
    })
    connection.onClose(() => {
      if (this.#connection === connection) this.#connection = undefined
    })
    this.#connection = connection
    return connection
  }
}
