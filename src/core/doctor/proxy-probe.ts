import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { DoctorContext, Probe } from './doctor-context'
import { describeMs } from './describe-duration'
import { maskProxy, proxyRulesFrom } from '../net/proxy-rules'
import { hostOf, portOf } from './network-probes'

/** The proxy settings in effect for one URL, as MCP Tray's network reads them. Credentials never shown. */
export interface ProxySettings {
  /** The proxy a request to the URL goes through. */
  readonly proxy?: URL
  /** `the environment` (HTTPS_PROXY…) or `MCP Tray’s setting`. */
  readonly source?: string
  /** A proxy is configured but NO_PROXY (or the loopback bypass) sends this URL directly. */
  readonly bypassed?: boolean
  /** What the rules say, in words, with each proxy variable set (`NAME=value`, credentials hidden). */
  readonly evidence: readonly string[]
}

const variableNames = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'] as const

function hideCredentials(raw: string): string {
  return raw.replace(/\/\/([^@/]*)@/, (_match, credentials: string) => `//${credentials.split(':').map(() => '***').join(':')}@`)
}

/** The proxy an outgoing request to `url` would use, by the same rules as MCP Tray's network. */
export function proxySettingsFor(url: URL, appProxy: string | undefined, env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const rules = proxyRulesFrom(env, appProxy)
  const variables = variableNames.filter((name) => env[name]?.trim()).map((name) => `${name}=${hideCredentials(env[name] as string)}`)
  const evidence = [rules.describe(), ...rules.problems, ...variables]
  const proxy = rules.proxyFor(url)
  const fromEnv = variableNames.some((name) => !name.toLowerCase().startsWith('no_') && env[name]?.trim())
  const configured = fromEnv || Boolean(appProxy?.trim())
  if (!proxy) return { evidence, ...(configured ? { bypassed: true } : {}) }
  return { proxy, source: fromEnv ? 'the environment' : 'MCP Tray’s setting', evidence }
}

/** HTTP CONNECT (RFC 9110 §9.3.6) to the server through the proxy: the status the proxy answers, or the socket error. */
function connectThrough(proxy: URL, target: URL, signal: AbortSignal): Promise<number> {
  const send = proxy.protocol === 'https:' ? httpsRequest : httpRequest
  const authority = `${hostOf(target).includes(':') ? `[${hostOf(target)}]` : hostOf(target)}:${portOf(target)}`
  const credentials = proxy.username ? Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64') : undefined
  return new Promise((resolve, reject) => {
    const request = send({
      host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(credentials ? { 'proxy-authorization': `Basic ${credentials}` } : {}) },
      signal,
    })
    request.once('connect', (response, socket) => {
      socket.destroy()
      resolve(response.statusCode ?? 0)
    })
    // A proxy that answers CONNECT with a plain response (not 2xx) lands here in some Node versions.
    request.once('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.once('error', reject)
    request.end()
  })
}

/** The proxy settings in effect, and whether the proxy lets a connection to the server through. */
export const proxyProbe: Probe = {
  id: 'proxy',
  title: 'Check the proxy settings',
  bound: (context) => context.bounds.connectMs,
  async run(context, signal) {
    if (context.findings.directFailed && !context.deps.network) context.findings.blocked = `${context.url.host} is reachable only through the proxy, and these HTTP checks go direct`
    const settings = proxySettingsFor(context.url, context.input.proxyUrl, context.env)
    const evidence = [...settings.evidence]
    if (!settings.proxy) {
      const summary = settings.bypassed ? `A proxy is set, but ${context.url.hostname} is reached directly (NO_PROXY).` : 'No proxy: MCP Tray connects directly.'
      return { status: 'pass', summary, evidence }
    }
    const shown = maskProxy(new URL(`${settings.proxy.protocol}//${settings.proxy.host}`))
    const fromEnv = settings.source === 'the environment'
    let status: number
    try {
      status = await connectThrough(settings.proxy, context.url, signal)
    } catch (error) {
      signal.throwIfAborted()
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      return {
        status: context.findings.directFailed ? 'fail' : 'warn',
        summary: `The proxy ${shown} (${settings.source}) cannot be reached (${code}).`,
        evidence: [...evidence, `CONNECT through ${shown}: ${code}`],
        diagnosis: 'proxy-unreachable',
        fix: { text: 'Check the proxy address (and that you are on the network it belongs to); remove the setting if this network needs none.' },
      }
    }
    evidence.push(`CONNECT ${context.url.host} through ${shown} → HTTP ${status}`)
    if (status >= 200 && status < 300) {
      if (context.findings.directFailed && fromEnv) {
        return {
          status: 'fail',
          summary: `${context.url.host} is reachable only through the proxy ${shown}, which comes from this shell’s environment (HTTPS_PROXY or HTTP_PROXY): client apps start MCP Tray without it.`,
          evidence,
          diagnosis: 'proxy-needed',
          fix: { text: `Set ${shown} as the proxy in MCP Tray’s settings, so that every connection uses it.` },
        }
      }
      return { status: 'pass', summary: `The proxy ${shown} (${settings.source}) lets connections to ${context.url.host} through.`, evidence }
    }
    const why = status === 407 ? (settings.proxy.username ? 'refused the credentials in its URL (HTTP 407)' : 'asks for credentials (HTTP 407)') : `refused to connect to ${context.url.host} (HTTP ${status})`
    return {
      status: 'fail',
      summary: `The proxy ${shown} (${settings.source}) ${why}.`,
      evidence,
      diagnosis: 'proxy-refused',
      fix: {
        text:
          status === 407
            ? 'Put the proxy user and password in the proxy URL (http://user:password@host:port), or ask IT for the proxy MCP Tray should use.'
            : `Ask IT to allow ${context.url.host} through the proxy${context.findings.directFailed ? '' : `, or add it to NO_PROXY: it is reachable directly`}.`,
      },
    }
  },
  timedOut: (context, ms) => ({
    status: 'fail',
    summary: `The proxy did not answer within ${describeMs(ms)}.`,
    diagnosis: 'proxy-unreachable',
    fix: { text: 'Check the proxy address and the network it belongs to.' },
  }),
}

/** For the DNS and TCP probes: the proxy that applies, computed once at the start. */
export function proxyFor(context: Pick<DoctorContext, 'url' | 'input' | 'env'>): URL | undefined {
  return proxySettingsFor(context.url, context.input.proxyUrl, context.env).proxy
}
