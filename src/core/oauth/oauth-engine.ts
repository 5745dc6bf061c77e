import { createNetwork, type Network } from '../net/network'
import type { Settings } from '../registry/server-entry'
import type { Cipher } from '../vault/cipher'
import { Vault } from '../vault/vault'
import type { BrowserOpener } from './browser-opener'
import type { IssuerBehaviour } from './issuer-quirks'
import { SignInFlow } from './sign-in-flow'
import { TokenRefresher, type Clock, type TokenRequestBudget } from './token-refresher'
import { TokenService } from './token-service'

export interface OAuthEngineOptions {
  readonly dataDir: string
  readonly cipher: Cipher
  readonly browser: BrowserOpener
  readonly settings: Pick<Settings, 'callbackPort' | 'signInTimeoutMs' | 'clientMetadataUrl'> & Partial<Pick<Settings, 'proxyUrl' | 'trustSystemCertificates'>>
  /** Overrides `settings.clientMetadataUrl`. */
  readonly clientMetadataUrl?: string
  /** How requests leave the machine; by default one made from the settings and `env` (proxy, certificates). */
  readonly network?: Network
  /** HTTPS_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS… (default: this process's environment). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Replaces the network's fetch entirely (tests). */
  readonly fetch?: typeof fetch
  /** Known authorization-server behaviours by issuer (tests give their fixtures' issuers). */
  readonly behaviours?: readonly IssuerBehaviour[]
  /** When to explain a redirect URI error page to someone still waiting (default 15 s). */
  readonly redirectAdviceAfterMs?: number
  readonly clock?: Clock
  readonly budget?: TokenRequestBudget
}

/** The OAuth engine as one hub (or one CLI command) uses it: one vault, one budget, one flow per server. */
export interface OAuthEngine {
  /** The fetch every OAuth request goes through (proxy and certificates honoured): the hub's other requests can use it too. */
  readonly fetch: typeof fetch
  /** The network that fetch runs on (absent when a test replaced the fetch): the doctor checks with it. */
  readonly network: Network | undefined
  readonly vault: Vault
  readonly signIn: SignInFlow
  readonly tokens: TokenService
}

/** Wires the engine's parts; the composition roots (cli, main, hub) call this once. */
export function createOAuthEngine(options: OAuthEngineOptions): OAuthEngine {
  const vault = new Vault(options.dataDir, options.cipher)
  const network = options.fetch
    ? undefined
    : (options.network ??
      createNetwork({
        env: options.env ?? process.env,
        proxyUrl: options.settings.proxyUrl,
        trustSystemCertificates: options.settings.trustSystemCertificates,
      }))
  const fetchImpl = options.fetch ?? network!.fetch
  const shared = {
    fetch: fetchImpl,
    ...(options.clock ? { clock: options.clock } : {}),
  }
  const clientMetadataUrl = options.clientMetadataUrl ?? options.settings.clientMetadataUrl
  const refresher = new TokenRefresher({ ...(options.clock ? { clock: options.clock } : {}), ...(options.budget ? { budget: options.budget } : {}) })
  const signIn = new SignInFlow({
    vault,
    refresher,
    browser: options.browser,
    callbackPort: options.settings.callbackPort,
    timeoutMs: options.settings.signInTimeoutMs,
    ...(clientMetadataUrl ? { clientMetadataUrl } : {}),
    ...(options.behaviours ? { behaviours: options.behaviours } : {}),
    ...(options.redirectAdviceAfterMs !== undefined ? { redirectAdviceAfterMs: options.redirectAdviceAfterMs } : {}),
    ...shared,
  })
  return { fetch: fetchImpl, network, vault, signIn, tokens: new TokenService({ vault, refresher, ...shared }) }
}
