import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls'

/** OpenSSL's verdicts that mean "signed by an authority not on the trusted list". */
const untrustedCodes = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
])

export function isUntrustedIssuerCode(code: string | undefined): boolean {
  return code !== undefined && untrustedCodes.has(code)
}

/**
 * A server certificate TLS refused, in words: which authority issued it and how to trust it.
 * `code` keeps OpenSSL's verdict (e.g. `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`), as Node's own TLS
 * errors do, so code that sorts socket errors by code still recognises it. The message holds the
 * whole explanation (what happened, then what to do), since code that knows nothing of this class
 * shows only that; `summary` and `hint` are its two parts.
 */
export class CertificateError extends Error {
  override readonly name = 'CertificateError'
  readonly code: string
  readonly summary: string
  readonly hint: string
  /** The authority to trust, as its subject reads (`"Corp Root CA" (Corp Inc)`), when it is the problem. */
  readonly authority: string | undefined

  constructor(code: string, summary: string, hint: string, authority?: string) {
    super(`${summary} ${hint}`)
    this.code = code
    this.summary = summary
    this.hint = hint
    this.authority = authority
  }
}

export interface CertificateContext {
  /** The host name the connection was for. */
  readonly host: string
  /** The system store was trusted (and consulted) as well as Node's list. */
  readonly systemTrusted: boolean
}

/**
 * Explains why a server's certificate chain was refused (RFC 5280 §6 path validation failed),
 * from the chain the server presented: for an unknown authority, names it and gives the two ways
 * to trust it: NODE_EXTRA_CA_CERTS, or the operating system's store with the setting on.
 */
export function certificateProblem(code: string, chain: PeerCertificate | DetailedPeerCertificate | undefined, context: CertificateContext): CertificateError {
  const { host } = context
  const leaf = chain && Object.keys(chain).length > 0 ? chain : undefined
  if (isUntrustedIssuerCode(code)) {
    const top = topOfChain(leaf)
    const selfSigned = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || (top !== undefined && top === leaf && isSelfIssued(top))
    const authority = top ? nameOf(isSelfIssued(top) ? top.subject : top.issuer) : undefined
    const store = context.systemTrusted
      ? 'or add it to the operating system’s certificate store (MCP Tray already trusts that store)'
      : 'or add it to the operating system’s certificate store and turn on “Trust the system’s certificates” in MCP Tray’s settings'
    const what = selfSigned ? 'that certificate' : 'that authority’s certificate'
    const hint =
      `Trust it in one of two ways: save ${what} as a PEM file and set NODE_EXTRA_CA_CERTS to the file’s path ` +
      `(where MCP Tray runs, and in the env of the client’s MCP Tray entry), ${store}. Ask your IT department for the certificate if you do not have it.`
    const message = selfSigned
      ? `${host} presents a self-signed certificate${authority ? ` (${authority})` : ''}, which this computer does not trust.`
      : `The certificate of ${host} was issued by ${authority ?? 'a certificate authority'}, which this computer does not trust.`
    return new CertificateError(code, message, hint, authority)
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return new CertificateError(code, `The certificate of ${host} expired${leaf?.valid_to ? ` on ${leaf.valid_to}` : ''}.`, 'The server’s operator must renew it; if the date looks wrong, check this computer’s clock.')
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return new CertificateError(code, `The certificate of ${host} is not valid yet${leaf?.valid_from ? ` (from ${leaf.valid_from})` : ''}.`, 'Check this computer’s clock.')
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = leaf?.subjectaltname?.replace(/DNS:|IP Address:/g, '') || (leaf ? nameOf(leaf.subject) : undefined)
    return new CertificateError(
      code,
      `The certificate of ${host} is for ${names ?? 'another name'}, not ${host}.`,
      'Check the server URL; if it is right, the server is misconfigured or something on the network intercepts the connection.',
    )
  }
  return new CertificateError(code, `The certificate of ${host} could not be verified (${code}).`, 'Check the server URL, the network, and this computer’s clock.')
}

/** The last certificate the server sent (its chain may stop below the root). */
function topOfChain(leaf: PeerCertificate | DetailedPeerCertificate | undefined): PeerCertificate | undefined {
  let current = leaf
  for (let depth = 0; current && depth < 10; depth += 1) {
    const next = (current as DetailedPeerCertificate).issuerCertificate
    if (!next || next === current || next.fingerprint256 === current.fingerprint256 || Object.keys(next).length === 0) return current
    current = next
  }
  return current
}

function isSelfIssued(cert: PeerCertificate): boolean {
  return nameOf(cert.subject) === nameOf(cert.issuer)
}

/** `"Corp Root CA" (Corp Inc)`: the common name, and the organisation when it adds something. */
function nameOf(name: PeerCertificate['subject'] | undefined): string | undefined {
  if (!name) return undefined
  const pick = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)
  const cn = pick(name.CN)
  const org = pick(name.O)
  if (cn && org && !cn.includes(org)) return `“${cn}” (${org})`
  if (cn ?? org) return `“${cn ?? org}”`
  return undefined
}
