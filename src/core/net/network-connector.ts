import { connect as tcpConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect, type DetailedPeerCertificate, type SecureContext, type TLSSocket } from 'node:tls'
import { certificateProblem, isUntrustedIssuerCode } from './certificate-problem'
import type { ProxyRules } from './proxy-rules'
import { openTunnel, proxyUnreachable } from './proxy-tunnel'
import type { TrustStore } from './trust-store'

/** Where a connection goes: the origin of the request, as `fetch` and `node:http` both know it. */
export interface ConnectTarget {
  readonly protocol: 'http:' | 'https:'
  /** A host name or IP address (IPv6 with or without brackets). */
  readonly hostname: string
  readonly port: number
}

export interface ConnectorOptions {
  readonly rules: ProxyRules
  readonly trust: TrustStore
  /** Bound on reaching the server (proxy and TLS handshake included); 15 s by default. */
  readonly timeoutMs?: number
}

/** A chain TLS could not verify, before it is put in words. */
class Unverified extends Error {
  constructor(
    readonly code: string,
    readonly chain: DetailedPeerCertificate | undefined,
  ) {
    super(code)
  }
}

/**
 * Opens the connections of every outgoing request (the proxy's upstream, the hub's sign-ins, the
 * doctor): directly or through a CONNECT tunnel of the proxy the rules name, then TLS for https.
 * A certificate signed by an authority Node does not know is tried once more with the system's
 * store when that is trusted; a refused certificate becomes an error naming its authority.
 * Nothing is ever sent over a connection whose certificate was not verified.
 */
export class NetworkConnector {
  readonly #options: ConnectorOptions
  /** Hosts whose certificates needed the system store: later connections use it at once. */
  readonly #needsSystemStore = new Set<string>()

  constructor(options: ConnectorOptions) {
    this.#options = options
  }

  async open(target: ConnectTarget): Promise<Socket> {
    const timeoutMs = this.#options.timeoutMs ?? 15_000
    const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1')
    const deadline = new Deadline(timeoutMs, `${hostname}:${target.port}`)
    try {
      const transport = (): Promise<Socket> => deadline.track(this.#transport({ ...target, hostname }, deadline.signal))
      if (target.protocol === 'http:') return await transport()
      const { trust } = this.#options
      const key = `${hostname}:${target.port}`
      const system = this.#needsSystemStore.has(key) ? await trust.withSystemCertificates() : undefined
      try {
        return await deadline.track(secure(await transport(), hostname, system))
      } catch (error) {
        if (!(error instanceof Unverified)) throw error
        const retryWith = !system && isUntrustedIssuerCode(error.code) ? await trust.withSystemCertificates() : undefined
        if (!retryWith) throw certificateProblem(error.code, error.chain, { host: hostname, systemTrusted: trust.trustSystem })
        try {
          const socket = await deadline.track(secure(await transport(), hostname, retryWith))
          this.#needsSystemStore.add(key)
          return socket
        } catch (retryError) {
          if (!(retryError instanceof Unverified)) throw retryError
          throw certificateProblem(retryError.code, retryError.chain, { host: hostname, systemTrusted: true })
        }
      }
    } finally {
      deadline.clear()
    }
  }

  /** A TCP connection to the server, or a tunnel to it through the proxy. */
  async #transport(target: ConnectTarget, signal: AbortSignal): Promise<Socket> {
    const url = new URL(`${target.protocol}//${isIP(target.hostname) === 6 ? `[${target.hostname}]` : target.hostname}:${target.port}`)
    const proxy = this.#options.rules.proxyFor(url)
    if (!proxy) return tcp(target.hostname, target.port, signal)
    const proxyHost = proxy.hostname.replace(/^\[(.*)\]$/, '$1')
    const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80))
    let toProxy: Socket
    try {
      toProxy = await tcp(proxyHost, proxyPort, signal)
      if (proxy.protocol === 'https:') toProxy = await secure(toProxy, proxyHost, await this.#options.trust.withSystemCertificates())
    } catch (error) {
      if (error instanceof Unverified) throw certificateProblem(error.code, error.chain, { host: proxyHost, systemTrusted: this.#options.trust.trustSystem })
      throw proxyUnreachable(proxy, error as Error)
    }
    return openTunnel(toProxy, proxy, target)
  }
}

function tcp(host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port, signal })
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

/**
 * TLS over `socket`, verified by us rather than by Node so that a refused chain can still be
 * read: RFC 5280 path validation by OpenSSL plus RFC 9110 §4.3.4 name checking by Node, and the
 * socket is handed on only when both passed (`authorized`).
 */
function secure(socket: Socket, hostname: string, context: SecureContext | undefined): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      host: hostname,
      ...(isIP(hostname) ? {} : { servername: hostname }),
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: false,
      ...(context ? { secureContext: context } : {}),
    })
    tls.once('secureConnect', () => {
      tls.off('error', reject)
      if (tls.authorized) return resolve(tls)
      const chain = tls.getPeerCertificate(true)
      tls.destroy()
      reject(new Unverified(String(tls.authorizationError), Object.keys(chain).length > 0 ? chain : undefined))
    })
    tls.once('error', reject)
  })
}

/**
 * One time limit over the steps of a connection: when it ends, every socket opened for it is
 * destroyed (through `signal`) and the step running fails with a time-out error.
 */
class Deadline {
  readonly #controller = new AbortController()
  readonly #timer: NodeJS.Timeout
  readonly #expired: Promise<never>

  constructor(ms: number, what: string) {
    this.#expired = new Promise<never>((_resolve, reject) => {
      this.#controller.signal.addEventListener('abort', () => reject(this.#controller.signal.reason as Error), { once: true })
    })
    this.#expired.catch(() => undefined)
    this.#timer = setTimeout(() => {
      this.#controller.abort(Object.assign(new Error(`Connecting to ${what} took longer than ${Math.round(ms / 1000)} s.`), { code: 'ETIMEDOUT' }))
    }, ms)
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** `step`, or the time-out error when time runs out first. */
  track<T>(step: Promise<T>): Promise<T> {
    return Promise.race([step, this.#expired])
  }

  clear(): void {
    clearTimeout(this.#timer)
  }
}
