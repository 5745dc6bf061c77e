import type { SignInEvent } from '../../shared/dashboard-events'
import type { PendingSignIn } from '../../shared/server-view'
import { safeText } from '../../shared/safe-text'

/**
 * The address in a progress sentence, for flows that give none as data: the last one (earlier ones
 * name the server), without the sentence's closing punctuation.
 */
function addressIn(words: string): string | undefined {
  const found = words.match(/https?:\/\/[^\s"'<>]+/g)
  return found?.at(-1)?.replace(/[.,;:!?)\]]+$/, '')
}

/**
 * The sign-ins waiting for a person in a browser, as every surface shows them: what the flow said
 * last and the address to open when no browser opened by itself. Fed by the sign-in flow's
 * progress and the status board; tells listeners each change as a `SignInEvent`.
 */
export class PendingSignIns {
  readonly #pending = new Map<string, PendingSignIn>()
  readonly #listeners = new Set<(event: SignInEvent) => void>()
  readonly #now: () => Date

  constructor(now: () => Date = () => new Date()) {
    this.#now = now
  }

  /** The flow said something about `server`'s sign-in (`url`: the authorization request, when known). */
  progress(server: string, message: string, url?: string): void {
    const words = safeText(message)
    const address = url ?? addressIn(words)
    const previous = this.#pending.get(server)
    const next: PendingSignIn = {
      message: words,
      since: previous?.since ?? this.#now().toISOString(),
      ...((address ?? previous?.url) === undefined ? {} : { url: address ?? previous?.url }),
    }
    this.#pending.set(server, next)
    this.#tell({ server, state: 'waiting', message: words, ...(next.url === undefined ? {} : { url: next.url }) })
  }

  /** The sign-in ended, well or not. */
  finished(server: string, state: 'signed-in' | 'failed', message: string): void {
    if (!this.#pending.delete(server)) return
    this.#tell({ server, state, message: safeText(message) })
  }

  get(server: string): PendingSignIn | undefined {
    return this.#pending.get(server)
  }

  has(server: string): boolean {
    return this.#pending.has(server)
  }

  onChange(listener: (event: SignInEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #tell(event: SignInEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event)
      } catch {
        // one listener's failure must not silence the others
      }
    }
  }
}
