import { Agent as HttpAgent, type AgentOptions, type ClientRequestArgs } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import type { Duplex } from 'node:stream'
import type { Dispatcher } from 'undici'
import { NetworkConnector, type ConnectTarget } from './network-connector'
import { proxyRulesFrom, type ProxyEnvironment, type ProxyRules } from './proxy-rules'
import { TrustStore } from './trust-store'

/** What decides how requests leave this machine. */
export interface NetworkSettings {
  /** HTTPS_PROXY, HTTP_PROXY, NO_PROXY (either case), NODE_EXTRA_CA_CERTS. */
  readonly env: ProxyEnvironment
  /** The app's proxy setting, used when the environment names none. */
  readonly proxyUrl?: string | undefined
  /** Trust the operating system's certificate store as well as Node's (on unless turned off). */
  readonly trustSystemCertificates?: boolean | undefined
  /** Options for the `node:http` agents (socket limits, keep-alive); keep-alive is on by default. */
  readonly agentOptions?: AgentOptions
  /** Bound on opening one connection (proxy and TLS included), 15 s by default. */
  readonly connectTimeoutMs?: number
}

/**
 * How every outgoing request (proxy upstream, hub sign-ins and refreshes, doctor) reaches the
 * network: through the proxy the environment or the settings name, trusting Node's certificate
 * authorities plus the system's, with words for a refused certificate or a failing proxy.
 */
export interface Network {
  readonly rules: ProxyRules
  readonly trust: TrustStore
  /** The `node:http`/`node:https` agent for a request to `url`, shared. */
  agentFor(url: URL): HttpAgent
  /**
   * A new keep-alive agent of its own (socket limits in `options`) whose connections are opened the
   * same way: for callers that keep pools apart, as the proxy's upstream fetch does. The caller
   * destroys it.
   */
  createAgent(protocol: 'http:' | 'https:', options?: AgentOptions): HttpAgent
  /** `fetch` (Node's own, with a dispatcher on the same connections) for everything else. */
  readonly fetch: typeof fetch
  close(): Promise<void>
}

export function createNetwork(settings: NetworkSettings): Network {
  const rules = proxyRulesFrom(settings.env, settings.proxyUrl)
  const trust = new TrustStore({ trustSystemCertificates: settings.trustSystemCertificates ?? true, env: settings.env })
  const connector = new NetworkConnector({ rules, trust, ...(settings.connectTimeoutMs ? { timeoutMs: settings.connectTimeoutMs } : {}) })
  const agentOptions: AgentOptions = { keepAlive: true, ...settings.agentOptions }
  const agents = { 'http:': new ConnectorHttpAgent(connector, agentOptions), 'https:': new ConnectorHttpsAgent(connector, agentOptions) }
  // undici is loaded on the first fetch only: a proxy process relays through the agents and
  // should not pay for loading it at start.
  let dispatcher: Promise<Dispatcher> | undefined
  const dispatcherFor = (): Promise<Dispatcher> =>
    (dispatcher ??= import('undici').then(
      ({ Agent }) =>
        new Agent({
          connect: (options, callback) => {
            connector.open(targetOf(options.protocol, options.hostname, options.port)).then(
              (socket) => callback(null, socket),
              (error: Error) => callback(error, null),
            )
          },
        }),
    ))

  const networkFetch: typeof fetch = async (input, init) => {
    const using = await dispatcherFor()
    return fetch(input, { ...init, dispatcher: using } as RequestInit)
  }

  return {
    rules,
    trust,
    agentFor: (url) => (url.protocol === 'https:' ? agents['https:'] : agents['http:']),
    createAgent: (protocol, options = {}) =>
      protocol === 'https:' ? new ConnectorHttpsAgent(connector, { keepAlive: true, ...options }) : new ConnectorHttpAgent(connector, { keepAlive: true, ...options }),
    fetch: networkFetch,
    async close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
      if (dispatcher) await (await dispatcher).close()
    },
  }
}

function targetOf(protocol: string, hostname: string, port: string | number | undefined | null): ConnectTarget {
  const scheme = protocol === 'https:' ? 'https:' : 'http:'
  return { protocol: scheme, hostname, port: Number(port) || (scheme === 'https:' ? 443 : 80) }
}

type CreateCallback = (error: Error | null, stream: Duplex) => void

/** A keep-alive agent whose sockets the connector opens (directly or through the proxy). */
class ConnectorHttpAgent extends HttpAgent {
  readonly #connector: NetworkConnector

  constructor(connector: NetworkConnector, options: AgentOptions) {
    super(options)
    this.#connector = connector
  }

  override createConnection(options: ClientRequestArgs, callback?: CreateCallback): Duplex | null | undefined {
    openFor(this.#connector, 'http:', options, callback)
    return undefined
  }
}

/** The same for https: the connector verifies the certificate before the agent gets the socket. */
class ConnectorHttpsAgent extends HttpsAgent {
  readonly #connector: NetworkConnector

  constructor(connector: NetworkConnector, options: AgentOptions) {
    super(options)
    this.#connector = connector
  }

  override createConnection(options: ClientRequestArgs, callback?: CreateCallback): Duplex | null | undefined {
    openFor(this.#connector, 'https:', options, callback)
    return undefined
  }
}

function openFor(connector: NetworkConnector, protocol: 'http:' | 'https:', options: ClientRequestArgs, callback: CreateCallback | undefined): void {
  const hostname = options.hostname ?? options.host ?? 'localhost'
  connector.open(targetOf(protocol, hostname, options.port)).then(
    (socket) => callback?.(null, socket),
    (error: Error) => callback?.(error, undefined as unknown as Duplex),
  )
}
