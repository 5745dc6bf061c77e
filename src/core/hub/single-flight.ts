/**
 * At most one run of an operation per key at a time: callers that arrive while one runs share its
 * result. The hub keys sign-in by server and refresh by the stale token, so however many proxies
 * ask, a server sees one sign-in and one refresh.
 */
export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T>>()

  run(key: string, operation: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key)
    if (running) return running
    const started = operation().finally(() => this.#running.delete(key))
    this.#running.set(key, started)
    return started
  }

  isRunning(key: string): boolean {
    return this.#running.has(key)
  }
}
