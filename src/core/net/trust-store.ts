import { readFile } from 'node:fs/promises'
import * as tls from 'node:tls'

/** Node 22.15+ (and so Electron 36+) reads the operating system's store itself; Node 20 does not. */
type GetCACertificates = (type: 'default' | 'system' | 'bundled' | 'extra') => string[]

/**
 * The certificate authorities TLS connections trust: Node's own (its bundled roots plus
 * NODE_EXTRA_CA_CERTS, which Node adds by itself), and, when the setting is on, the operating
 * system's store, which is where a company's private CA usually lives. The system store is read
 * only after a server's certificate failed with Node's own list: reading and parsing it costs
 * about 150 ms, which a proxy's start must not pay when no private CA is involved.
 */
export class TrustStore {
  readonly trustSystem: boolean
  readonly #env: Readonly<Record<string, string | undefined>>
  #withSystem: Promise<tls.SecureContext | undefined> | undefined

  constructor(options: { trustSystemCertificates: boolean; env: Readonly<Record<string, string | undefined>> }) {
    this.trustSystem = options.trustSystemCertificates
    this.#env = options.env
  }

  /**
   * A context that trusts Node's authorities and the system's, built once; `undefined` when the
   * setting is off or the store cannot be read (then Node's own list is all there is).
   */
  withSystemCertificates(): Promise<tls.SecureContext | undefined> {
    if (!this.trustSystem) return Promise.resolve(undefined)
    this.#withSystem ??= this.#build().catch(() => undefined)
    return this.#withSystem
  }

  async #build(): Promise<tls.SecureContext | undefined> {
    const system = await systemCertificates(this.#env)
    if (system.length === 0) return undefined
    const ca = new Set([...(await nodeCertificates(this.#env)), ...system])
    return tls.createSecureContext({ ca: [...ca] })
  }
}

/** What Node trusts by default: its bundled roots and the NODE_EXTRA_CA_CERTS file. */
async function nodeCertificates(env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const get = (tls as { getCACertificates?: GetCACertificates }).getCACertificates
  if (get) return get('default')
  const extraFile = env.NODE_EXTRA_CA_CERTS
  const extra = extraFile ? await readFile(extraFile, 'utf8').then(pemCertificates, () => []) : []
  return [...tls.rootCertificates, ...extra]
}

/** The operating system's trusted authorities: Node's reader where it has one, else the `system-ca` package. */
async function systemCertificates(env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const get = (tls as { getCACertificates?: GetCACertificates }).getCACertificates
  if (get) {
    try {
      return get('system')
    } catch {
      // an older Node that knows only 'default': fall through to the package
    }
  }
  const { systemCertsAsync } = await import('system-ca')
  return systemCertsAsync({ env: { ...env } as NodeJS.ProcessEnv })
}

/** The PEM certificates in a file's text. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}
