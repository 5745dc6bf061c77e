import { TrayError } from '../../shared/tray-error'
import { CertificateError, isUntrustedIssuerCode } from './certificate-problem'
import { ProxyError } from './proxy-tunnel'

/**
 * The TrayError for a request that failed at the network's edge (a certificate refused, a proxy
 * that failed), found anywhere in the error's causes (`fetch failed` → its cause, a token error →
 * its cause…); `undefined` for any other failure, which the caller describes itself.
 */
export function networkFailure(error: unknown): TrayError | undefined {
  const seen = new Set<unknown>()
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current)
    if (current instanceof CertificateError) {
      const code = isUntrustedIssuerCode(current.code) ? 'certificate_untrusted' : 'certificate_invalid'
      return new TrayError(code, current.summary, { hint: current.hint, cause: error })
    }
    if (current instanceof ProxyError) {
      const code = current.code === 'PROXY_AUTH_REQUIRED' ? 'proxy_auth_required' : current.code === 'PROXY_REFUSED' ? 'proxy_refused' : 'proxy_unreachable'
      return new TrayError(code, current.summary, { hint: current.hint, cause: error })
    }
  }
  return undefined
}
