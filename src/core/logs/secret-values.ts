/** What a masked value reads as, in every text this process emits. */
export const redacted = '[redacted]'

export interface SecretValuesOptions {
  /** Shorter values are not remembered: masking a common word everywhere would hide more than it protects (default 8). */
  readonly minLength?: number
  /** The oldest values are forgotten past this many: a long-running hub sees a new token every refresh (default 256). */
  readonly maxValues?: number
}

/**
 * The secrets one process holds (the tokens it was given, client secrets, configured header
 * values), so that anything it emits (stderr, log previews, a status) can be scrubbed of them by
 * value, whatever shape they have and wherever a server echoes them. One per process, passed to
 * what needs it; never module state.
 */
export class SecretValues {
  readonly #values = new Set<string>()
  readonly #minLength: number
  readonly #maxValues: number
  #pattern: RegExp | undefined

  constructor(options: SecretValuesOptions = {}) {
    this.#minLength = options.minLength ?? 8
    this.#maxValues = options.maxValues ?? 256
  }

  /** Remembers `value`, and its URL-encoded form when that differs (a server may echo it from a query or form). */
  add(value: string | undefined): void {
    if (value === undefined || value.length < this.#minLength) return
    for (const form of new Set([value, encodeURIComponent(value)])) {
      this.#values.delete(form)
      this.#values.add(form)
    }
    while (this.#values.size > this.#maxValues) this.#values.delete(this.#values.values().next().value as string)
    this.#pattern = undefined
  }

  /**
   * Remembers a configured header's value: the whole value and, for `<scheme> <credential>`
   * (`Bearer abc…`, `Basic …`), the credential alone, which is what a server echoes.
   */
  addHeaderValue(value: string): void {
    this.add(value.trim())
    const parts = value.trim().split(/\s+/)
    if (parts.length === 2) this.add(parts[1])
  }

  get size(): number {
    return this.#values.size
  }

  /** `text` with every remembered value replaced by `[redacted]`. */
  mask(text: string): string {
    if (this.#values.size === 0) return text
    this.#pattern ??= new RegExp(
      // Longest first, so that a value containing another is masked whole.
      [...this.#values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
      'g',
    )
    return text.replace(this.#pattern, redacted)
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
