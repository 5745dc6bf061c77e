import type { Settings } from '../registry/server-entry'
import type { Cipher } from '../vault/cipher'
import { Vault } from '../vault/vault'
import type { BrowserOpener } from './browser-opener'
import { SignInFlow } from './sign-in-flow'
import { TokenRefresher, type Clock, type TokenRequestBudget } from './token-refresher'
import { TokenService } from './token-service'

export interface OAuthEngineOptions {
  readonly dataDir: string
  readonly cipher: Cipher
  readonly browser: BrowserOpener
  readonly settings: Pick<Settings, 'callbackPort' | 'signInTimeoutMs' | 'clientMetadataUrl'>
  /** Overrides `settings.clientMetadataUrl`. */
  readonly clientMetadataUrl?: string
  readonly fetch?: typeof fetch
  readonly clock?: Clock
  readonly budget?: TokenRequestBudget
}

/** The OAuth engine as one hub (or one CLI command) uses it: one vault, one budget, one flow per server. */
export interface OAuthEngine {
  readonly vault: Vault
  readonly signIn: SignInFlow
  readonly tokens: TokenService
}

/** Wires the engine's parts; the composition roots (cli, main, hub) call this once. */
export function createOAuthEngine(options: OAuthEngineOptions): OAuthEngine {
  const vault = new Vault(options.dataDir, options.cipher)
  const shared = {
    ...(options.fetch ? { fetch: options.fetch } : {}),
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
    ...shared,
  })
  return { vault, signIn, tokens: new TokenService({ vault, refresher, ...shared }) }
}
