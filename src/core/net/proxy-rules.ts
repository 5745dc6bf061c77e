import { BlockList, isIP } from 'node:net'

/** The environment variables proxy rules are read from (process.env in the apps, a plain object in tests). */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>

/** Which proxy a request goes through, and why, in words for the doctor and the logs. */
export interface ProxyChoice {
  readonly proxy: URL | undefined
  /** `env`: HTTPS_PROXY and friends; `settings`: the app's proxy setting; `none`: nothing configured. */
  readonly source: 'env' | 'settings' | 'none'
}

export interface ProxyRules {
  /** The proxy for a request to `url`, or `undefined` to connect directly. */
  proxyFor(url: URL): URL | undefined
  /** Where the rules came from and what they say, for the doctor (credentials masked). */
  describe(): string
  /** Settings that were ignored, in words (a SOCKS proxy, a URL that does not parse). */
  readonly problems: readonly string[]
}

/** Bypassed when the proxy comes from the app's setting and NO_PROXY says nothing: a remote proxy cannot reach this machine's loopback. */
const loopbackBypass = 'localhost,127.0.0.0/8,::1'

/**
 * The de facto proxy convention of curl, wget, Go and Node tools: `https_proxy` for https URLs,
 * `http_proxy` for http ones, `all_proxy` for either, lower case before upper case; `no_proxy`
 * lists hosts to reach directly. When the environment names no proxy at all, the app's own
 * setting (`proxyUrl`, for clients that do not pass the environment on) applies to both schemes.
 * A request to a host NO_PROXY covers is never proxied, whichever source the proxy came from.
 */
export function proxyRulesFrom(env: ProxyEnvironment, settingsProxyUrl?: string): ProxyRules {
  const problems: string[] = []
  const read = (name: string): string | undefined => nonEmpty(env[name.toLowerCase()]) ?? nonEmpty(env[name.toUpperCase()])
  const fromEnv = {
    'https:': read('https_proxy') ?? read('all_proxy'),
    'http:': read('http_proxy') ?? read('all_proxy'),
  }
  const useEnv = fromEnv['https:'] !== undefined || fromEnv['http:'] !== undefined
  const settings = useEnv ? undefined : nonEmpty(settingsProxyUrl)
  const proxies = {
    'https:': parseProxyUrl(useEnv ? fromEnv['https:'] : settings, problems),
    'http:': parseProxyUrl(useEnv ? fromEnv['http:'] : settings, problems),
  }
  const noProxyText = read('no_proxy') ?? (settings !== undefined ? loopbackBypass : undefined)
  const bypass = parseNoProxy(noProxyText ?? '')
  const source: ProxyChoice['source'] = useEnv ? 'env' : settings !== undefined ? 'settings' : 'none'

  return {
    problems: [...new Set(problems)],
    proxyFor(url) {
      const proxy = url.protocol === 'https:' || url.protocol === 'wss:' ? proxies['https:'] : proxies['http:']
      if (!proxy || bypass.covers(url)) return undefined
      return proxy
    },
    describe() {
      if (source === 'none') return 'No proxy is configured: every request goes directly.'
      const where = source === 'env' ? 'the environment (HTTPS_PROXY, HTTP_PROXY)' : 'MCP Tray’s proxy setting'
      const shown = [...new Set([proxies['https:'], proxies['http:']].filter((p) => p !== undefined).map(maskProxy))]
      const list = shown.length > 0 ? shown.join(' and ') : 'no usable proxy'
      return `Requests go through ${list}, from ${where}${noProxyText ? `, except to ${noProxyText}` : ''}.`
    },
  }
}

/** A proxy URL with its password hidden, for showing. */
export function maskProxy(proxy: URL): string {
  const shown = new URL(proxy.href)
  if (shown.password) shown.password = '****'
  return shown.href.replace(/\/$/, '')
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/** `proxy.corp:8080` means `http://proxy.corp:8080`, as curl reads it; only http and https proxies are supported. */
function parseProxyUrl(text: string | undefined, problems: string[]): URL | undefined {
  if (text === undefined) return undefined
  let url: URL
  try {
    url = new URL(text.includes('://') ? text : `http://${text}`)
  } catch {
    problems.push(`The proxy "${text.replace(/\/\/[^@/]*@/, '//****@')}" is not a URL; requests go directly.`)
    return undefined
  }
  if (/\.pac$|\/wpad\.dat$/i.test(url.pathname) || url.protocol.startsWith('pac+')) {
    problems.push(
      `The proxy ${maskProxy(url)} is an automatic configuration (PAC) file, which MCP Tray does not read; give the address of the proxy it names (host:port) instead. Requests go directly.`,
    )
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`The proxy ${maskProxy(url)} is a ${url.protocol.replace(':', '')} proxy, which MCP Tray does not support; requests go directly.`)
    return undefined
  }
  return url
}

interface Bypass {
  covers(url: URL): boolean
}

/**
 * NO_PROXY as curl and Go read it: entries separated by commas or spaces; `*` alone bypasses
 * every host; `example.com`, `.example.com` and `*.example.com` cover the domain and its
 * subdomains; `host:port` only that port; an IP address or CIDR block (`10.0.0.0/8`) covers
 * the addresses in it. Matching ignores case and IPv6 brackets.
 */
export function parseNoProxy(text: string): Bypass {
  const entries = text.toLowerCase().split(/[\s,]+/).filter(Boolean)
  if (entries.includes('*')) return { covers: () => true }
  const blocks = new BlockList()
  const names: { suffix: string; port: number | undefined }[] = []
  for (const entry of entries) {
    const cidr = /^\[?([0-9a-f:.]+)\]?\/(\d{1,3})$/.exec(entry)
    if (cidr && isIP(cidr[1]!)) {
      blocks.addSubnet(cidr[1]!, Number(cidr[2]), isIP(cidr[1]!) === 6 ? 'ipv6' : 'ipv4')
      continue
    }
    const [host, port] = splitHostPort(entry)
    const bare = host.replace(/^\*?\.?/, '')
    if (!bare) continue
    if (isIP(bare) && port === undefined) blocks.addAddress(bare, isIP(bare) === 6 ? 'ipv6' : 'ipv4')
    else names.push({ suffix: bare, port: port === undefined ? undefined : Number(port) })
  }
  return {
    covers(url) {
      const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
      const port = Number(url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80))
      const family = isIP(host)
      if (family !== 0 && blocks.check(host, family === 6 ? 'ipv6' : 'ipv4')) return true
      return names.some((n) => (n.port === undefined || n.port === port) && (host === n.suffix || host.endsWith(`.${n.suffix}`)))
    },
  }
}

/** `[::1]:8080` → `::1`, `8080`; `host:80` → `host`, `80`; a bare IPv6 address has no port. */
function splitHostPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[(.*)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return [bracketed[1]!, bracketed[2]]
  if (isIP(entry) === 6) return [entry, undefined]
  const withPort = /^(.*):(\d+)$/.exec(entry)
  return withPort ? [withPort[1]!, withPort[2]] : [entry, undefined]
}
