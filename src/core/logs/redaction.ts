/**
 * Keeps credentials out of logs: fields that carry tokens or codes are replaced, and anything in
 * free text that looks like a bearer token or a JWT is masked. Used for every preview.
 */
export const redacted = '[redacted]'

const sensitiveKeys = new Set([
  'authorization',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code',
  'code_verifier',
  'password',
])

const textPatterns: readonly RegExp[] = [
  // `Authorization: Bearer abc…`, `bearer abc…`
  /\b(bearer)\s+[A-Za-z0-9._~+/=-]+/gi,
  // JWTs (three base64url parts, the first starting like a JSON header)
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // form or query encoded credentials: access_token=…, "code":"…" split over text
  /\b(access_token|refresh_token|id_token|client_secret|code_verifier|code)=([^&\s"']+)/gi,
]

/** Masks bearer tokens, JWTs and `name=value` credentials in free text. */
export function redactText(text: string): string {
  let result = text
  result = result.replace(textPatterns[0]!, (_m, word: string) => `${word} ${redacted}`)
  result = result.replace(textPatterns[1]!, redacted)
  result = result.replace(textPatterns[2]!, (_m, name: string) => `${name}=${redacted}`)
  return result
}

/** Whether a field of this name holds a credential (string values only: JSON-RPC `error.code` is a number). */
export function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(key.toLowerCase())
}

export interface PreviewOptions {
  /** Longest preview, in characters (default 240). */
  readonly maxLength?: number
  /** Longer strings inside the value are shortened to this many characters first (default 120). */
  readonly maxStringLength?: number
}

/**
 * A short JSON excerpt of `value` with credentials removed. Long strings are cut before the
 * value is serialized, so a 32 MiB message costs no more than a small one.
 */
export function redactedPreview(value: unknown, options: PreviewOptions = {}): string {
  const maxLength = options.maxLength ?? 240
  const maxString = options.maxStringLength ?? 120
  let json: string
  try {
    json =
      JSON.stringify(value, function (key, item: unknown) {
        if (typeof item !== 'string') return item
        if (key !== '' && isSensitiveKey(key)) return redacted
        return item.length > maxString ? `${item.slice(0, maxString)}…(${item.length} chars)` : item
      }) ?? String(value)
  } catch {
    json = String(value)
  }
  const text = redactText(json)
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text
}
