import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { DoctorContext, Probe } from './doctor-context'
import { describeMs } from './describe-duration'
import { hostOf, portOf } from './network-probes'

/** The proxy settings in effect for one URL, as curl and most tools read them. Values are redacted. */
export interface ProxySettings {
  /** The proxy that applies, without credentials in what is shown. */
  readonly proxy?: URL
  /** Where it comes from: `settings` (MCP Tray's) or the variable's name. */
  readonly source?: string
  /** The NO_PROXY entry that exempts the URL, when one does. */
  readonly exemptBy?: string
  /** Every proxy variable set, `NAME=value` with credentials hidden. */
  readonly variables: readonly string[]
}

const variableNames = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'] as const

function hideCredentials(raw: string): string {
  return raw.replace(/\/\/([^@/]*)@/, (_match, credentials: string) => `//${credentials.split(':').map(() => '***').join(':')}@`)
}

/** Whether a NO_PROXY entry (`*`, `host`, `.domain`, `host:port`) exempts the URL. */
function noProxyEntryMatches(entry: string, url: URL): boolean {
  const trimmed = entry.trim().toLowerCase()
  if (!trimmed) return false
  if (trimmed === '*') return true
  const [name, port] = trimmed.startsWith('[') ? [trimmed.replace(/\]:\d+$/, ']'), /\]:(\d+)$/.exec(trimmed)?.[1]] : trimmed.split(':')
  if (port && Number(port) !== portOf(url)) return false
  const host = url.hostname.toLowerCase()
  const bare = (name ?? '').replace(/^\*?\./, '')
  return host === bare || host.endsWith(`.${bare}`)
}

/**
 * The proxy an outgoing request to `url` would use: MCP Tray's setting first, then HTTPS_PROXY
 * (https) or HTTP_PROXY (http), then ALL_PROXY, unless NO_PROXY exempts the host.
 */
export function proxySettingsFor(url: URL, appProxy: string | undefined, env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const variables = variableNames.filter((name) => env[name]).map((name) => `${name}=${hideCredentials(env[name] as string)}`)
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? ''
  const exemptBy = noProxy.split(',').find((entry) => noProxyEntryMatches(entry, url))
  const candidates: [string, string | undefined][] = [
    ['settings', appProxy],
    ...(url.protocol === 'https:' ? ([['HTTPS_PROXY', env.HTTPS_PROXY ?? env.https_proxy]] as [string, string | undefined][]) : []),
    ['HTTP_PROXY', url.protocol === 'http:' ? (env.HTTP_PROXY ?? env.http_proxy) : undefined],
    ['ALL_PROXY', env.ALL_PROXY ?? env.all_proxy],
  ]
  const [source, raw] = candidates.find(([, value]) => value) ?? []
  if (!source || !raw) return { variables }
  if (exemptBy !== undefined && source !== 'settings') return { variables, exemptBy: exemptBy.trim() }
  try {
    return { proxy: new URL(raw.includes('://') ? raw : `http://${raw}`), source, variables }
  } catch {
    return { variables }
  }
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
    if (context.findings.directFailed) context.findings.blocked = `${context.url.host} is reachable only through the proxy, and the doctor’s HTTP checks go direct`
    const settings = proxySettingsFor(context.url, context.input.proxyUrl, context.env)
    const evidence = settings.variables.length ? [...settings.variables] : ['no proxy variables are set']
    if (context.input.proxyUrl) evidence.unshift(`MCP Tray’s proxy setting: ${hideCredentials(context.input.proxyUrl)}`)
    if (!settings.proxy) {
      const summary = settings.exemptBy ? `A proxy is set, but NO_PROXY (${settings.exemptBy}) exempts ${context.url.hostname}: direct connection.` : 'No proxy: MCP Tray connects directly.'
      return { status: 'pass', summary, evidence }
    }
    const shown = `${settings.proxy.protocol}//${settings.proxy.host}`
    const fromEnv = settings.source !== 'settings'
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
          summary: `${context.url.host} is reachable only through the proxy ${shown}, which comes from this shell’s ${settings.source}: client apps start MCP Tray without it.`,
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
