/**
 * One abort listener per signal, however many requests wait on it: the SDK's transport gives all
 * its requests one signal, and a listener each would pass Node's limit of ten at the 11th request
 * in flight (a MaxListenersExceededWarning on stderr, which clients keep in their logs).
 * `AbortSignal.any` is no way out: on Node 20 a combined signal with a listener lives as long as
 * its sources, so one per request grows memory for as long as the transport lives.
 */
export class AbortWatch {
  readonly #waiting = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>()

  /** Calls `onabort` with the signal's reason when it aborts; returns the call that stops watching. */
  watch(signal: AbortSignal, onabort: (reason: unknown) => void): () => void {
    let waiting = this.#waiting.get(signal)
    if (!waiting) {
      const set = new Set<(reason: unknown) => void>()
      signal.addEventListener(
        'abort',
        () => {
          const callbacks = [...set]
          set.clear()
          for (const callback of callbacks) callback(signal.reason)
        },
        { once: true },
      )
      this.#waiting.set(signal, set)
      waiting = set
    }
    // A callback may be added more than once; each watch removes only its own.
    const own = (reason: unknown) => onabort(reason)
    waiting.add(own)
    return () => waiting.delete(own)
  }
}
