/** What a masked value reads as, in every text this process emits. */
export const redacted = '[redacted]'

const sensitiveKeys = new Set([
  'authorization',
  'proxy-authorization',
  'access_token',
  'accesstoken',
  'refresh_token',
  'refreshtoken',
  'id_token',
  'idtoken',
  'token',
  'client_secret',
  'clientsecret',
  'client_assertion',
  'secret',
  'code',
  'code_verifier',
  'password',
  'private_key',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
])

/** Whether a field of this name holds a credential (string values only: JSON-RPC `error.code` is a number). */
export function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(key.toLowerCase())
}

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

  /**
   * Remembers the credentials in a stored record (tokens, a client secret, configured headers):
   * every string under a credential's field name, and every value of a `headers` map.
   */
  addFieldsOf(record: unknown, depth = 0): void {
    if (typeof record !== 'object' || record === null || depth > 4) return
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'string' && isSensitiveKey(key)) this.add(value)
      else if (key === 'headers' && typeof value === 'object' && value !== null) {
        for (const header of Object.values(value)) if (typeof header === 'string') this.addHeaderValue(header)
      } else this.addFieldsOf(value, depth + 1)
    }
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
