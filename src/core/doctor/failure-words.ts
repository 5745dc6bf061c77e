import { safeText } from '../../shared/safe-text'
import { TrayError } from '../../shared/tray-error'
import { CertificateError } from '../net/certificate-problem'
import { ProxyError } from '../net/proxy-tunnel'

/**
 * One failure in the words every surface uses (CLI, status, proxy errors, tray, dashboard):
 * what happened, what to do, and the doctor's name for it when the doctor can say more.
 */
export interface FailureWords {
  /** A stable snake_case code, as `TrayError.code`. */
  readonly code: string
  readonly message: string
  readonly hint: string
  /** The doctor's diagnosis name, e.g. `connection-refused`; surfaces then name `mcp-tray doctor <target>`. */
  readonly diagnosis?: string
}

/** Who or what the failure is about, to put names into the words. */
export interface FailureSubject {
  /** The server's name in MCP Tray, when it has one. */
  readonly server?: string
  /** The URL that was being reached. */
  readonly url?: string
}

/** Node's names for a certificate from an authority it does not trust. */
const unknownCaCodes = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
])

/** The socket and TLS error codes (Node's and undici's) the words below name. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** Microsoft Entra ID's words for a `resource` parameter it will not take alongside v2 scopes. */
const entraResourceRejected = /AADSTS9010010/

interface Found {
  readonly systemCode?: string
  readonly host?: string
  readonly oauthError?: string
  readonly oauthDescription?: string
  readonly trayCodes: readonly string[]
  readonly messages: readonly string[]
  /** The network's own words for a refused certificate (which authority, how to trust it). */
  readonly certificate?: { readonly message: string; readonly hint: string }
}

/** Looks through an error and its causes for what can be named. */
function inspect(error: unknown): Found {
  const trayCodes: string[] = []
  const messages: string[] = []
  let systemCode: string | undefined
  let host: string | undefined
  let oauthError: string | undefined
  let oauthDescription: string | undefined
  let certificate: Found['certificate']
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current !== undefined && current !== null && !seen.has(current) && seen.size < 10) {
    seen.add(current)
    if (current instanceof TrayError) trayCodes.push(current.code)
    if (current instanceof Error) messages.push(current.message)
    if (!certificate && current instanceof CertificateError) certificate = { message: current.summary, hint: current.hint }
    if (typeof current === 'object') {
      const record = current as Record<string, unknown>
      if (!systemCode && typeof record.code === 'string' && (networkCodes.has(record.code) || unknownCaCodes.has(record.code))) systemCode = record.code
      if (!host && typeof record.hostname === 'string') host = record.hostname
      if (!host && typeof record.address === 'string') host = typeof record.port === 'number' ? `${record.address}:${record.port}` : record.address
      // openid-client / oauth4webapi ResponseBodyError: RFC 6749 §5.2 `error` and `error_description`.
      if (!oauthError && typeof record.error === 'string') oauthError = record.error
      if (!oauthDescription && typeof record.error_description === 'string') oauthDescription = record.error_description
    }
    current = (current as { cause?: unknown }).cause
  }
  return {
    ...(systemCode ? { systemCode } : {}),
    ...(host ? { host } : {}),
    ...(oauthError ? { oauthError } : {}),
    ...(oauthDescription ? { oauthDescription } : {}),
    ...(certificate ? { certificate } : {}),
    trayCodes,
    messages,
  }
}

function hostOf(subject: FailureSubject, found: Found): string {
  if (subject.url) {
    try {
      return new URL(subject.url).host
    } catch {
      // fall through
    }
  }
  return found.host ?? 'the server'
}

/**
 * Turns any failure (a TrayError, a `fetch failed` with its socket error, an OAuth error
 * response) into the words people see. Text from outside is made safe to show.
 */
export function wordsForFailure(error: unknown, subject: FailureSubject = {}): FailureWords {
  const found = inspect(error)
  const host = hostOf(subject, found)
  const all = [...found.messages, found.oauthDescription ?? ''].join(' ')
  const code = found.systemCode
  const proxyFailure = proxyErrorIn(error)
  if (proxyFailure) {
    return {
      code: proxyFailure.code.toLowerCase(),
      message: safeText(proxyFailure.summary),
      hint: proxyFailure.hint,
      diagnosis: proxyFailure.code === 'PROXY_UNREACHABLE' ? 'proxy-unreachable' : 'proxy-refused',
    }
  }

  if (code === 'ECONNREFUSED') {
    return {
      code: 'connection_refused',
      message: `Nothing answers at ${host}: the connection was refused.`,
      hint: 'The server is down, or the port in its URL is wrong; check the URL, or try again once the server is back.',
      diagnosis: 'connection-refused',
    }
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      code: 'dns_failed',
      message: `${host} could not be found (the name does not resolve).`,
      hint: 'Check the address for typos; a company-only name needs its network (VPN) or proxy.',
      diagnosis: 'dns-failed',
    }
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return {
      code: 'connect_timeout',
      message: `${host} could not be reached: the connection got no answer.`,
      hint: 'Check the network; a firewall may drop it, or this network only lets traffic out through a proxy (set it in MCP Tray’s settings).',
      diagnosis: 'connect-timeout',
    }
  }
  if (code && unknownCaCodes.has(code)) {
    return {
      code: 'tls_unknown_ca',
      message: found.certificate?.message ?? `The certificate of ${host} comes from an authority this computer does not trust: a proxy, VPN or antivirus may be intercepting TLS.`,
      hint: found.certificate?.hint ?? 'If that authority is your company’s, let MCP Tray trust the system certificate store (or set NODE_EXTRA_CA_CERTS).',
      diagnosis: 'tls-unknown-ca',
    }
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return { code: 'tls_expired', message: found.certificate?.message ?? `The certificate of ${host} has expired.`, hint: 'Tell the server’s operator; if the date looks wrong, check this computer’s clock.', diagnosis: 'tls-expired' }
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { code: 'tls_hostname_mismatch', message: found.certificate?.message ?? `The certificate ${host} presented is for another name.`, hint: 'Check the host name in the URL; something on the way may answer in its place.', diagnosis: 'tls-hostname-mismatch' }
  }
  if (found.oauthError === 'invalid_target' || entraResourceRejected.test(all)) {
    return {
      code: 'resource_rejected',
      message: `The authorization server refused the \`resource\` parameter MCP Tray sends for ${subject.server ?? host}${entraResourceRejected.test(all) ? ' (Microsoft Entra ID’s AADSTS9010010)' : ''}.`,
      hint: 'The server’s metadata names a resource its authorization server does not accept; tell the server’s operator.',
      diagnosis: 'resource-rejected',
    }
  }
  if (found.oauthError === 'invalid_redirect_uri' || /invalid_redirect_uri|redirect_uri did not match|AADSTS50011/.test(all)) {
    return {
      code: 'redirect_uri_rejected',
      message: `The authorization server did not accept MCP Tray’s redirect address.`,
      hint: 'It may expect another form of it (http://localhost instead of http://127.0.0.1, or another port): change the redirect host in the server’s sign-in settings.',
      diagnosis: 'redirect-uri-rejected',
    }
  }
  if (found.oauthError === 'invalid_client' || found.trayCodes.includes('invalid_client') || found.trayCodes.includes('registration_forgotten')) {
    return {
      code: 'invalid_client',
      message: `The authorization server of ${subject.server ?? host} no longer knows MCP Tray’s client registration (invalid_client): it was reset or replaced.`,
      hint: `Sign in again${subject.server ? ` (\`mcp-tray login ${subject.server}\`)` : ''}: MCP Tray registers anew.`,
      diagnosis: 'invalid-client',
    }
  }
  const tray = error instanceof TrayError ? error : undefined
  const named = tray ? trayDiagnosis[tray.code] : undefined
  if (tray) {
    return { code: tray.code, message: safeText(tray.message), hint: tray.hint ?? 'Try again.', ...(named ? { diagnosis: named } : {}) }
  }
  if (found.messages.some((message) => /aborted|timeout|timed out/i.test(message)) || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return { code: 'no_answer', message: `${host} did not answer in time.`, hint: 'The server may be overloaded or unreachable; try again in a moment.', diagnosis: 'no-answer' }
  }
  const detail = safeText(found.messages.filter((m) => m && m !== 'fetch failed').at(-1) ?? found.messages[0] ?? String(error), { singleLine: true })
  return {
    code: 'unreachable',
    message: `MCP Tray could not reach ${host}${detail ? ` (${detail})` : ''}.`,
    hint: 'Check the URL and the network, then try again.',
  }
}

/** The network's failure at the proxy (before any server was reached), wherever it is in the causes. */
function proxyErrorIn(error: unknown): ProxyError | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof ProxyError) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** TrayError codes that name a doctor diagnosis. */
const trayDiagnosis: Readonly<Record<string, string>> = {
  registration_failed: 'registration-refused',
  registration_unavailable: 'no-registration',
  as_metadata_not_found: 'as-metadata-missing',
  resource_mismatch: 'resource-mismatch',
  pkce_s256_unsupported: 'no-pkce-s256',
  upstream_not_mcp: 'not-mcp-endpoint',
  upstream_timeout: 'slow-initialize',
  no_authorization_server: 'no-authorization-server',
}

/** "Run `mcp-tray doctor <target>` to see why." for a failure the doctor can explain. */
export function doctorHint(target: string): string {
  return `For a step-by-step diagnosis, run \`mcp-tray doctor ${target}\`.`
}

/** The words as one line for a person: message, hint, and the doctor when it has a diagnosis. */
export function describeFailure(error: unknown, subject: FailureSubject = {}): string {
  const words = wordsForFailure(error, subject)
  const target = subject.server ?? subject.url
  return [words.message, words.hint, ...(words.diagnosis && target ? [doctorHint(target)] : [])].join(' ')
}

/** The words as a TrayError (for surfaces that throw), with the doctor in the hint when it can say more. */
export function failureError(error: unknown, subject: FailureSubject = {}): TrayError {
  const words = wordsForFailure(error, subject)
  const target = subject.server ?? subject.url
  return new TrayError(words.code, words.message, {
    hint: words.diagnosis && target ? `${words.hint} ${doctorHint(target)}` : words.hint,
    cause: error,
  })
}
