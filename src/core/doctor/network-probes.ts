import { lookup } from 'node:dns/promises'
import { isIP, connect as tcpConnect, type Socket } from 'node:net'
import { connect as tlsConnect, rootCertificates, type DetailedPeerCertificate, type PeerCertificate, type SecureContext, type TLSSocket } from 'node:tls'
import { certificateProblem, isUntrustedIssuerCode } from '../net/certificate-problem'
import { TrustStore } from '../net/trust-store'
import type { DoctorContext, Probe, ProbeOutcome } from './doctor-context'
import { describeMs } from './describe-duration'

/** The port a URL connects to. */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
}

/** The host without IPv6 brackets, as `net` and `dns` want it. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

/** With a proxy in effect, a failed direct route is only a warning: the proxy check decides. */
function viaProxyNote(context: DoctorContext): string | undefined {
  return context.findings.proxy ? `A proxy is set (${context.findings.proxy.host}); MCP Tray may reach the server through it.` : undefined
}

export const dnsProbe: Probe = {
  id: 'dns',
  title: 'Look up the host name',
  bound: (context) => context.bounds.dnsMs,
  async run(context) {
    const host = hostOf(context.url)
    if (isIP(host)) {
      context.findings.addresses = [host]
      return { status: 'pass', summary: `${host} is an IP address; nothing to look up.` }
    }
    try {
      const found = await (context.deps.lookup ?? ((name: string) => lookup(name, { all: true })))(host)
      context.findings.addresses = found.map((entry) => entry.address)
      return { status: 'pass', summary: `${host} is ${context.findings.addresses.join(', ')}.` }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
      const proxy = viaProxyNote(context)
      if (proxy) context.findings.directFailed = true
      else context.findings.blocked = `${host} could not be looked up`
      return {
        status: proxy ? 'warn' : 'fail',
        summary: `${host} could not be looked up (${code}).`,
        evidence: [`dns lookup ${host}: ${code}`, ...(proxy ? [proxy] : [])],
        diagnosis: 'dns-failed',
        fix: {
          text: 'Check the host name for typos. If it only resolves on a company network, connect to it (VPN), or set the proxy that network uses in MCP Tray’s settings.',
        },
      }
    }
  },
  timedOut(context, ms) {
    context.findings.blocked ??= `${context.url.hostname} could not be looked up`
    return {
      status: 'fail',
      summary: `Looking up ${context.url.hostname} took longer than ${describeMs(ms)}.`,
      diagnosis: 'dns-failed',
      fix: { text: 'The name server is not answering: check the network connection (and VPN), then try again.' },
    }
  },
}

/** Connects to the host's port and closes; resolves with the socket's local view or rejects with the socket error. */
function connectOnce(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = tcpConnect({ host, port })
    const stop = (): void => {
      socket.destroy()
      reject(signal.reason)
    }
    signal.addEventListener('abort', stop, { once: true })
    socket.once('connect', () => {
      signal.removeEventListener('abort', stop)
      socket.destroy()
      resolve()
    })
    socket.once('error', (error) => {
      signal.removeEventListener('abort', stop)
      reject(error)
    })
  })
}

export const tcpProbe: Probe = {
  id: 'tcp',
  title: 'Connect to the server',
  applies: (context) => context.findings.addresses !== undefined,
  bound: (context) => context.bounds.connectMs,
  async run(context, signal) {
    const host = hostOf(context.url)
    const port = portOf(context.url)
    const started = performance.now()
    try {
      await connectOnce(host, port, signal)
      return { status: 'pass', summary: `Connected to ${context.url.host} in ${describeMs(performance.now() - started)}.` }
    } catch (error) {
      signal.throwIfAborted()
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
      const proxy = viaProxyNote(context)
      if (proxy) context.findings.directFailed = true
      else context.findings.blocked = `nothing answers at ${context.url.host}`
      const refused = code === 'ECONNREFUSED'
      return {
        status: proxy ? 'warn' : 'fail',
        summary: refused ? `Nothing listens at ${context.url.host}: the connection was refused.` : `Could not connect to ${context.url.host} (${code}).`,
        evidence: [`tcp connect ${host}:${port}: ${code}`, ...(proxy ? [proxy] : [])],
        diagnosis: refused ? 'connection-refused' : 'connect-failed',
        fix: {
          text: refused
            ? 'The server is down or listens on another port: check the URL’s port, or that the server runs.'
            : 'Check the network connection; a company network may require a VPN or a proxy (set it in MCP Tray’s settings).',
        },
      }
    }
  },
  timedOut(context, ms) {
    const proxy = viaProxyNote(context)
    if (proxy) context.findings.directFailed = true
    else context.findings.blocked = `${context.url.host} does not accept connections`
    return {
      status: proxy ? 'warn' : 'fail',
      summary: `No connection to ${context.url.host} within ${describeMs(ms)}.`,
      evidence: [`tcp connect ${context.url.host}: no answer within ${describeMs(ms)}`, ...(proxy ? [proxy] : [])],
      diagnosis: 'connect-timeout',
      fix: { text: 'A firewall drops the connection, or this network only lets traffic out through a proxy: set the proxy in MCP Tray’s settings, or connect the VPN.' },
    }
  },
}

function handshake(context: DoctorContext, signal: AbortSignal, secureContext?: SecureContext): Promise<TLSSocket> {
  const host = hostOf(context.url)
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port: portOf(context.url),
      ...(isIP(host) ? {} : { servername: host }),
      // Not rejecting lets the check say *why* a certificate is not trusted.
      rejectUnauthorized: false,
      ...(secureContext ? { secureContext } : context.deps.ca?.length ? { ca: [...rootCertificates, ...context.deps.ca] } : {}),
    })
    const stop = (): void => {
      socket.destroy()
      reject(signal.reason)
    }
    signal.addEventListener('abort', stop, { once: true })
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', stop)
      resolve(socket)
    })
    socket.once('error', (error) => {
      signal.removeEventListener('abort', stop)
      reject(error)
    })
  })
}

function nameOf(subject: PeerCertificate['subject'] | undefined): string {
  if (!subject) return 'unknown'
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)
  return first(subject.CN) || first(subject.O) || 'unknown'
}

/**
 * A certificate from an authority Node does not know: is it one the operating system's store
 * trusts (a company CA, a TLS-inspecting proxy or VPN)? Then trusting that store is the fix.
 */
async function untrustedIssuer(context: DoctorContext, signal: AbortSignal, chain: DetailedPeerCertificate, evidence: string[], code: string): Promise<ProbeOutcome> {
  const settingOn = context.input.trustSystemCertificates ?? context.deps.network?.trust.trustSystem ?? true
  const system = await new TrustStore({ trustSystemCertificates: true, env: context.env }).withSystemCertificates()
  let systemTrusts = false
  if (system) {
    const again = await handshake(context, signal, system).catch(() => undefined)
    systemTrusts = again?.authorized === true
    again?.destroy()
  }
  if (systemTrusts && settingOn) {
    delete context.findings.blocked
    return { status: 'pass', summary: `Trusted through the operating system’s certificate store (issued by ${nameOf(chain.issuer)}).`, evidence }
  }
  const words = certificateProblem(code, chain, { host: context.url.hostname, systemTrusted: settingOn })
  return {
    status: 'fail',
    summary: `${words.message} A proxy, VPN or antivirus on this network may be intercepting TLS.`,
    evidence: [...evidence, `the operating system’s store ${systemTrusts ? 'trusts it' : system ? 'does not trust it either' : 'could not be read'}`],
    diagnosis: 'tls-unknown-ca',
    fix: systemTrusts
      ? { text: 'The operating system’s certificate store trusts this authority: let MCP Tray trust that store too.', action: { kind: 'trust-system-ca' } }
      : { text: words.hint },
  }
}

export const tlsProbe: Probe = {
  id: 'tls',
  title: 'Check the TLS certificate',
  applies: (context) => context.url.protocol === 'https:' && !context.findings.blocked && context.findings.addresses !== undefined,
  bound: (context) => context.bounds.connectMs * 2,
  async run(context, signal) {
    let socket: TLSSocket
    try {
      socket = await handshake(context, signal)
    } catch (error) {
      signal.throwIfAborted()
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      context.findings.blocked = 'the TLS handshake failed'
      return {
        status: 'fail',
        summary: `The TLS handshake with ${context.url.host} failed (${code}).`,
        evidence: [`tls handshake: ${code}`],
        diagnosis: 'tls-handshake-failed',
        fix: { text: 'Something between you and the server breaks TLS (a proxy or firewall), or the server does not speak TLS on this port: check the URL’s scheme and port.' },
      }
    }
    try {
      const certificate = socket.getPeerCertificate(true)
      const issuer = nameOf(certificate.issuer)
      const subject = nameOf(certificate.subject)
      const evidence = [
        `subject: ${subject}`,
        `issuer: ${issuer}`,
        `valid: ${certificate.valid_from} to ${certificate.valid_to}`,
        ...(certificate.subjectaltname ? [`names: ${certificate.subjectaltname}`] : []),
        `protocol: ${socket.getProtocol() ?? 'unknown'}`,
      ]
      const problem = socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted')
      if (!problem) return { status: 'pass', summary: `Trusted certificate for ${subject}, issued by ${issuer}.`, evidence }
      context.findings.blocked = 'the server’s certificate is not trusted'
      if (isUntrustedIssuerCode(problem)) return await untrustedIssuer(context, signal, certificate, [...evidence, `verify: ${problem}`], problem)
      if (problem === 'CERT_HAS_EXPIRED') {
        return {
          status: 'fail',
          summary: `The server’s certificate expired on ${certificate.valid_to}.`,
          evidence: [...evidence, `verify: ${problem}`],
          diagnosis: 'tls-expired',
          fix: { text: 'Tell the server’s operator: its certificate must be renewed. (If the date looks wrong, check this machine’s clock.)' },
        }
      }
      if (problem === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        return {
          status: 'fail',
          summary: `The certificate is for ${certificate.subjectaltname ?? subject}, not ${context.url.hostname}.`,
          evidence: [...evidence, `verify: ${problem}`],
          diagnosis: 'tls-hostname-mismatch',
          fix: { text: 'Check the host name in the URL; if it is right, something on the way answers in the server’s place (a proxy or captive portal).' },
        }
      }
      return {
        status: 'fail',
        summary: `The certificate is not trusted: ${problem}.`,
        evidence: [...evidence, `verify: ${problem}`],
        diagnosis: 'tls-untrusted',
        fix: { text: 'Tell the server’s operator what the check says; if this network intercepts TLS, let MCP Tray use the system certificate store.', action: { kind: 'trust-system-ca' } },
      }
    } finally {
      socket.destroy()
    }
  },
  timedOut(context, ms) {
    context.findings.blocked = 'the TLS handshake did not finish'
    return {
      status: 'fail',
      summary: `The TLS handshake with ${context.url.host} did not finish within ${describeMs(ms)}.`,
      diagnosis: 'tls-handshake-failed',
      fix: { text: 'Something on the way holds the connection (a firewall or a proxy that must be used): check the network and the proxy settings.' },
    }
  },
}
