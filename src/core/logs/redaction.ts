import { safeText } from '../../shared/safe-text'
import { isSensitiveKey, redacted, type SecretValues } from './secret-values'

/**
 * Keeps credentials out of everything a process shows or keeps (stderr, log previews, a status):
 * the values it knows to be secret are masked wherever they appear, fields that carry tokens or
 * codes are replaced, and free text that looks like a credential (a bearer token, a JWT, an API
 * key) is masked. Text from outside is also made safe to show (no escape sequences or control
 * characters). Used for every preview.
 */
export { isSensitiveKey, redacted }


/** Credential shapes and their replacement; each keeps the name or scheme in front so the text still reads. */
const textPatterns: readonly (readonly [RegExp, string])[] = [
  // `Authorization: Bearer abc…`, `bearer abc…`
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${redacted}`],
  [/\b(authorization\s*["']?\s*[:=]\s*["']?\s*basic)\s+[A-Za-z0-9+/=]+/gi, `$1 ${redacted}`],
  // JWTs (three base64url parts, the first starting like a JSON header)
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, redacted],
  // form or query encoded credentials: access_token=…, "code":"…" split over text
  [/\b(access_token|refresh_token|id_token|client_secret|code_verifier|code)=([^&\s"']+)/gi, `$1=${redacted}`],
  // API keys by name: `api_key=…`, `apikey: …`, `x-api-key: …`, `"X-Api-Key": "…"`, `private_token=…`
  [/\b(x-api-key|api[_-]?key|x-auth-token|private[_-]?token)(\s*["']?\s*[:=]\s*["']?\s*)[^\s"'&,;]+/gi, `$1$2${redacted}`],
  // keys in a URL's query: `?key=…` (Google), `&token=…`, `&sig=…` (signed URLs)
  [/([?&](?:key|token|sig|signature)=)[^&\s"'#]+/gi, `$1${redacted}`],
  // API keys by shape: OpenAI/Anthropic `sk-…`, `sk-live-…`, Stripe `sk_live_…`/`rk_…`, GitHub, Slack, AWS, Google
  [/\bsk-(?:live-|test-|proj-|ant-)?[A-Za-z0-9_-]{12,}/g, redacted],
  [/\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,}/g, redacted],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})\b/g, redacted],
]

/**
 * Makes outside text safe to show and masks credentials in it: the values in `secrets` first,
 * then bearer tokens, JWTs, `name=value` credentials and API-key shapes.
 */
export function redactText(text: string, secrets?: SecretValues): string {
  let result = safeText(text)
  if (secrets) result = secrets.mask(result)
  for (const [pattern, replacement] of textPatterns) result = result.replace(pattern, replacement)
  return result
}

export interface PreviewOptions {
  /** Longest preview, in characters (default 240). */
  readonly maxLength?: number
  /** Longer strings inside the value are shortened to this many characters first (default 120). */
  readonly maxStringLength?: number
  /** Secret values this process holds, masked wherever they appear. */
  readonly secrets?: SecretValues
}

/** How far past the cut a long string is still scrubbed, so that a secret across the cut is masked whole. */
const scrubMargin = 2048

/**
 * A short JSON excerpt of `value` with credentials removed. Long strings are cut before the
 * value is serialized, and strings past the preview's length are not even looked at, so a
 * 32 MiB message costs no more than a small one; each string is scrubbed before it is cut, so a
 * long token is not left half shown.
 */
export function redactedPreview(value: unknown, options: PreviewOptions = {}): string {
  const maxLength = options.maxLength ?? 240
  const maxString = options.maxStringLength ?? 120
  // JSON.stringify calls the replacer in the order it writes: once this much is written, the rest is cut anyway.
  let written = 0
  let json: string
  try {
    json =
      JSON.stringify(value, function (key, item: unknown) {
        written += key.length + 4
        if (typeof item !== 'string') return item
        if (key !== '' && isSensitiveKey(key)) return redacted
        if (written > maxLength + scrubMargin) return ''
        if (item.length <= maxString) {
          written += item.length
          return item
        }
        const scrubbed = redactText(item.slice(0, maxString + scrubMargin), options.secrets)
        const shown = scrubbed.length > maxString ? `${scrubbed.slice(0, maxString)}…(${item.length} chars)` : scrubbed
        written += shown.length
        return shown
      }) ?? String(value)
  } catch {
    json = String(value)
  }
  const text = redactText(json.slice(0, maxLength + scrubMargin), options.secrets)
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text
}
