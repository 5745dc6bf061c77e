interface Waiting {
  /** Undefined once it left the queue, so that a request that gave up holds nothing (its body) any more. */
  start: (() => void) | undefined
}

/**
 * At most `limit` requests hold a connection to one server at a time; the others wait here, in the
 * order they came. Node's agent can queue too, but it keeps a request that gave up waiting (aborted)
 * in its queue and opens a new connection for it when one closes: one that leaves this queue
 * never opens a connection.
 */
export class ConnectionQueue {
  readonly #limit: number
  #active = 0
  #waiting: Waiting[] = []
  #head = 0
  #left = 0

  constructor(limit: number) {
    this.#limit = limit
  }

  /** Runs `start` once a connection is free (at once if one is); returns the call that leaves the queue before that. */
  enter(start: () => void): () => void {
    if (this.#active < this.#limit) {
      this.#active += 1
      start()
      return () => undefined
    }
    const entry: Waiting = { start }
    this.#waiting.push(entry)
    return () => {
      if (entry.start === undefined) return
      entry.start = undefined
      this.#left += 1
      this.#compact()
    }
  }

  /** A request is done with its connection: the next one waiting gets it. */
  leave(): void {
    this.#active -= 1
    while (this.#head < this.#waiting.length) {
      const entry = this.#waiting[this.#head]!
      this.#head += 1
      const start = entry.start
      if (start === undefined) {
        this.#left -= 1
        continue
      }
      entry.start = undefined
      this.#active += 1
      this.#compact()
      start()
      return
    }
    this.#compact()
  }

  /** Keeps the queue's array as long as what still waits in it, give or take half. */
  #compact(): void {
    const queued = this.#waiting.length - this.#head
    if (queued === 0) {
      this.#waiting = []
      this.#head = 0
      this.#left = 0
    } else if (this.#head + this.#left > 1024 && (this.#head + this.#left) * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head).filter((entry) => entry.start !== undefined)
      this.#head = 0
      this.#left = 0
    }
  }
}
