import * as client from 'openid-client'
import { TrayError } from '../../shared/tray-error'
import type { ServerEntry } from '../registry/server-entry'
import type { Vault } from '../vault/vault'
import { buildAuthorizationUrl, selectScopes, withOfflineAccess } from './authorization-request'
import type { BrowserOpener } from './browser-opener'
import { CallbackServer, type ValidatedCallback } from './callback-server'
import { createPkcePair, type PkcePair } from './pkce'
import { discoverProtectedResource } from './protected-resource'
import {
  planRegistration,
  processRegistrationResponse,
  registrationRequest,
  type ClientRegistration,
} from './registration'
import { clientSecretKey, issuerKey, serverKey, statusOf, type AuthStatus, type ServerAuthRecord } from './server-auth-record'
import { discoverAuthorizationServer, requirePkceS256, type AuthorizationServerMetadata } from './server-metadata'
import { probeRequest, processProbeResponse } from './server-probe'
import { systemClock, type Clock, type TokenRefresher } from './token-refresher'
import { clientConfiguration, exchangeCode, oauthErrorCode, oauthErrorDescription, type StoredTokens } from './tokens'
import type { BearerChallenge } from './www-authenticate'
import { readServerHeaders } from '../registry/server-headers'
import { pinsPort } from '../registry/redirect-uri'
import { networkFailure } from '../net/network-failure'
import {
  behaviourOf,
  extraAuthorizationParameters,
  isResourceRejection,
  knownIssuerBehaviours,
  learnedQuirks,
  rememberQuirk,
  type IssuerBehaviour,
} from './issuer-quirks'
import { redirectTroubleAdvice } from './redirect-advice'

/** How many step-up sign-ins in a row one server may ask for. */
export const maxStepUps = 3

export interface SignInFlowOptions {
  readonly vault: Vault
  readonly browser: BrowserOpener
  readonly refresher: TokenRefresher
  /** First callback port (3334 in the app; 0 in tests). */
  readonly callbackPort: number
  readonly timeoutMs: number
  readonly clientMetadataUrl?: string
  readonly fetch?: typeof fetch
  readonly clock?: Clock
  /** Known authorization-server behaviours by issuer (default: `knownIssuerBehaviours`). */
  readonly behaviours?: readonly IssuerBehaviour[]
  /** After this long without the browser coming back, say what an error page about the redirect URI means (default 15 s). */
  readonly redirectAdviceAfterMs?: number
}

/** What a progress message points at, so that nobody has to find it in the words. */
export interface SignInProgressDetail {
  /** The authorization request to open in a browser, while the flow waits for it. */
  readonly url?: string
}

/** Progress in words for the person, with the server it is about. Never contains a token. */
export type SignInProgressListener = (message: string, server: string, detail: SignInProgressDetail) => void

export interface SignInRunOptions {
  readonly signal?: AbortSignal
  /** A challenge the caller already has: the 401 of a request, or a 403 `insufficient_scope`. */
  readonly challenge?: BearerChallenge
}

export interface SignInResult {
  readonly status: AuthStatus
  readonly redirectUri: string
  /** Set when the configured callback port was taken and the next free one was used. */
  readonly movedFrom?: number
}

/**
 * The interactive sign-in, MCP AZ end to end: probe, RFC 9728 discovery, RFC 8414 discovery,
 * registration, RFC 8252 loopback callback, authorization request with PKCE S256, `state`,
 * `resource` and scopes, RFC 9207 check, code exchange. At most one runs per server at a time:
 * callers that arrive while it runs share its result.
 */
export class SignInFlow {
  readonly #options: SignInFlowOptions
  readonly #running = new Map<string, Promise<SignInResult>>()
  readonly #stepUps = new Map<string, number>()
  readonly #progressListeners = new Set<SignInProgressListener>()
  readonly #signedInListeners = new Set<(serverName: string) => void>()

  constructor(options: SignInFlowOptions) {
    this.#options = options
  }

  run(server: ServerEntry, options: SignInRunOptions = {}): Promise<SignInResult> {
    const running = this.#running.get(server.name)
    if (running) return running
    const started = this.#runWithReRegistration(server, options)
      .catch((error: unknown) => {
        // A refused certificate or a failing proxy, in its own words wherever in the flow it happened.
        throw networkFailure(error) ?? error
      })
      .finally(() => this.#running.delete(server.name))
    this.#running.set(server.name, started)
    started.then(
      () => {
        for (const listener of this.#signedInListeners) {
          try {
            listener(server.name)
          } catch {
            // a listener's failure must not fail the sign-in
          }
        }
      },
      () => undefined,
    )
    return started
  }

  /** Calls `listener` after each flow that signed in (once per flow, however many shared it); returns how to stop. */
  onSignedIn(listener: (serverName: string) => void): () => void {
    this.#signedInListeners.add(listener)
    return () => this.#signedInListeners.delete(listener)
  }

  /**
   * Tells `listener` what each flow tells the person (where to sign in if no browser opens, a
   * moved callback port, success): the CLI prints it, the hub passes it on. Returns how to stop.
   */
  onProgress(listener: SignInProgressListener): () => void {
    this.#progressListeners.add(listener)
    return () => this.#progressListeners.delete(listener)
  }

  isRunning(serverName: string): boolean {
    return this.#running.has(serverName)
  }

  async #runWithReRegistration(server: ServerEntry, options: SignInRunOptions, retried = new Set<string>()): Promise<SignInResult> {
    try {
      return await this.#run(server, options)
    } catch (error) {
      // Each recoverable failure is retried once: a dynamic registration the server forgot
      // (invalid_client; it was dropped, so the flow registers again), and a `resource` the issuer
      // refused (now remembered, so the flow leaves it out).
      if (!(error instanceof TrayError) || !['registration_forgotten', 'resource_rejected'].includes(error.code) || retried.has(error.code)) throw error
      if (error.code === 'registration_forgotten') {
        this.#progress(server.name, `The authorization server no longer knows MCP Tray's registration; registering again.`)
      }
      return this.#runWithReRegistration(server, options, new Set([...retried, error.code]))
    }
  }

  async #run(server: ServerEntry, options: SignInRunOptions): Promise<SignInResult> {
    const { vault, signal } = { vault: this.#options.vault, signal: options.signal }
    const http = { ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}), ...(signal ? { signal } : {}) }
    const serverUrl = new URL(server.url)
    const previous = await vault.get<ServerAuthRecord>(serverKey(server.name))

    let challenge = options.challenge
    if (challenge?.error === 'insufficient_scope') this.#countStepUp(server.name, challenge, previous)
    else this.#stepUps.delete(server.name)
    if (!challenge) {
      const probe = await processProbeResponse(await probeRequest(serverUrl, await readServerHeaders(vault, server.name), http))
      if (probe.kind === 'open') {
        throw new TrayError('sign_in_not_required', `${server.name} answers without sign-in.`, { hint: 'Nothing to do.' })
      }
      challenge = probe.challenge
    }

    const resourceMetadata = await discoverProtectedResource(serverUrl, challenge, http)
    const issuer = resourceMetadata ? resourceMetadata.authorization_servers?.[0] : serverUrl.origin
    if (!issuer) {
      throw new TrayError('no_authorization_server', `${server.name} names no authorization server in its metadata.`, {
        hint: 'Tell the server operator: its protected-resource metadata lacks authorization_servers.',
      })
    }
    const { metadata } = await discoverAuthorizationServer(issuer, { ...http, legacy: !resourceMetadata })
    requirePkceS256(metadata)
    const clientSecret = (await vault.get<{ clientSecret: string }>(clientSecretKey(server.name)))?.clientSecret
    const plan = planRegistration(metadata, {
      ...(server.clientId ? { clientId: server.clientId } : {}),
      ...(clientSecret ? { clientSecret } : {}),
      ...(this.#options.clientMetadataUrl ? { clientMetadataUrl: this.#options.clientMetadataUrl } : {}),
    })

    const redirect = server.redirect
    const callback = await CallbackServer.listen({
      port: pinsPort(redirect) ? redirect!.port! : this.#options.callbackPort,
      pinned: plan.kind !== 'dynamic' || pinsPort(redirect),
      ...(redirect ? { host: redirect.host } : {}),
      ...(redirect?.path ? { path: redirect.path } : {}),
    })
    try {
      if (callback.movedFrom !== undefined) {
        this.#progress(server.name, `Port ${callback.movedFrom} is in use; using ${callback.redirectUri} as the sign-in redirect instead.`)
      }
      let registration: ClientRegistration
      if (plan.kind === 'dynamic') {
        const stored = await vault.get<ClientRegistration>(issuerKey(metadata.issuer))
        if (stored && stored.issuer === metadata.issuer && stored.redirectUris.includes(callback.redirectUri)) {
          registration = stored
        } else {
          registration = await processRegistrationResponse(metadata, callback.redirectUri, await registrationRequest(metadata, callback.redirectUri, http))
          await vault.set(issuerKey(metadata.issuer), registration)
        }
      } else {
        registration = { ...plan.registration, redirectUris: [callback.redirectUri] }
      }

      const config = clientConfiguration(metadata, registration, this.#options.fetch)
      const resource = resourceMetadata?.resource ?? server.url
      const scopes = withOfflineAccess(
        selectScopes({
          ...(server.scope ? { configured: server.scope } : {}),
          challenge,
          ...(resourceMetadata ? { resource: resourceMetadata } : {}),
          ...(challenge.error === 'insufficient_scope' && previous ? { previous: previous.scopes } : {}),
        }),
        metadata,
      )
      const behaviour = behaviourOf(metadata.issuer, this.#options.behaviours ?? knownIssuerBehaviours)
      // RFC 8707 `resource` is sent unless this issuer refused it before (see issuer-quirks.ts).
      const sentResource = (await learnedQuirks(vault, metadata.issuer)).omitResource ? undefined : resource
      if (behaviour?.audienceAdvice && !server.audience) {
        this.#progress(server.name, `${behaviour.audienceAdvice} Set it with \`mcp-tray set ${server.name} --audience <API identifier>\` if ${server.name} refuses the sign-in.`)
      }
      const pkce = await createPkcePair()
      const state = client.randomState()
      const extra = extraAuthorizationParameters(behaviour, server.audience)
      const url = buildAuthorizationUrl(config, { redirectUri: callback.redirectUri, state, pkce, resource: sentResource, scopes, extra })
      const waiting = callback.wait(
        { state, issuer: metadata.issuer, requireIss: metadata.authorization_response_iss_parameter_supported === true, serverName: server.name },
        { timeoutMs: this.#options.timeoutMs, ...(signal ? { signal } : {}) },
      )
      waiting.catch(() => undefined) // awaited below; a failure while the browser opens is not unhandled
      this.#progress(server.name, `Opening the browser to sign in to ${server.name} at ${url.origin}. If no browser opens, visit:\n${url.href}`, { url: url.href })
      await this.#options.browser.open(url.href).catch((error: unknown) => {
        this.#progress(server.name, `Could not open a browser (${error instanceof Error ? error.message : String(error)}); open the address above yourself.`, { url: url.href })
      })
      const advice = setTimeout(
        // With the address to open, still: the advice names the redirect URI, which is not one.
        () => this.#progress(server.name, redirectTroubleAdvice({ serverName: server.name, redirectUri: callback.redirectUri, issuer: metadata.issuer, registration }), { url: url.href }),
        this.#options.redirectAdviceAfterMs ?? 15_000,
      )
      const validated = await waiting
        .catch(async (error: unknown) => {
          // The issuer sent the browser back with its refusal of `resource`: remember, and sign in again without it.
          if (sentResource !== undefined && error instanceof TrayError && isResourceRejection(error.code.replace(/^authorization_/, ''), error.message)) {
            throw await this.#resourceRejected(server.name, metadata.issuer, error)
          }
          throw error
        })
        .finally(() => clearTimeout(advice))

      // The browser's page waits for this: it says "Signed in" only once the tokens are kept.
      let record: ServerAuthRecord
      try {
        const exchanged = await this.#exchange(server.name, { metadata, registration, validated, pkce, resource: sentResource })
        registration = exchanged.registration
        const tokens = exchanged.tokens
        record = {
          serverUrl: server.url,
          resource,
          ...(exchanged.resourceOmitted ? { resourceOmitted: true } : {}),
          issuer: metadata.issuer,
          metadata,
          ...(registration.kind === 'dynamic' ? { registrationKey: issuerKey(metadata.issuer) } : {}),
          clientId: registration.clientId,
          tokenEndpointAuthMethod: registration.tokenEndpointAuthMethod,
          scopes: tokens.scopes ?? scopes,
          tokens,
          state: 'signed-in',
        }
        await vault.set(serverKey(server.name), record)
      } catch (error) {
        callback.finish({ error })
        throw error
      }
      callback.finish({ signedIn: server.name })
      this.#progress(server.name, `Signed in to ${server.name}.`)
      return {
        status: statusOf(record),
        redirectUri: callback.redirectUri,
        ...(callback.movedFrom !== undefined ? { movedFrom: callback.movedFrom } : {}),
      }
    } finally {
      await callback.close()
    }
  }

  /**
   * RFC 6749 §4.1.3: the code exchange. A dynamic registration the server no longer knows
   * (`invalid_client`) is dropped so the flow registers again. A pre-registered confidential
   * client whose authentication method we guessed wrong (`invalid_client`; the code is not spent
   * because client authentication comes first) is tried once with the other secret method. A
   * `resource` the token endpoint refuses (RFC 8707 `invalid_target`) is remembered for the issuer
   * and the exchange tried once without it; if the code is spent by then, the flow starts again.
   */
  async #exchange(
    serverName: string,
    step: { metadata: AuthorizationServerMetadata; registration: ClientRegistration; validated: ValidatedCallback; pkce: PkcePair; resource: string | undefined },
  ): Promise<{ tokens: StoredTokens; registration: ClientRegistration; resourceOmitted: boolean }> {
    const clock = this.#options.clock ?? systemClock
    type Exchanged = { tokens: StoredTokens; registration: ClientRegistration; resourceOmitted: boolean }
    const attempt = async (registration: ClientRegistration, { resource } = { resource: step.resource }): Promise<Exchanged> => {
      this.#options.refresher.spend(serverName)
      const config = clientConfiguration(step.metadata, registration, this.#options.fetch)
      return { tokens: await exchangeCode(config, step.validated, step.pkce, resource, clock.now()), registration, resourceOmitted: resource === undefined }
    }
    try {
      return await attempt(step.registration)
    } catch (error) {
      if (step.resource !== undefined && isResourceRejection(oauthErrorCode(error), oauthErrorDescription(error))) {
        const rejected = await this.#resourceRejected(serverName, step.metadata.issuer, error)
        return attempt(step.registration, { resource: undefined }).catch(() => Promise.reject(rejected))
      }
      if (oauthErrorCode(error) !== 'invalid_client') throw error
      const { registration } = step
      if (registration.kind === 'dynamic') {
        await this.#options.vault.delete(issuerKey(step.metadata.issuer))
        throw new TrayError('registration_forgotten', 'The authorization server no longer knows this registration.', {
          hint: 'Sign in again; MCP Tray registers anew.',
          cause: error,
        })
      }
      const other = registration.tokenEndpointAuthMethod === 'client_secret_basic' ? 'client_secret_post' : 'client_secret_basic'
      if (!registration.clientSecret || registration.tokenEndpointAuthMethod === 'none') throw error
      return attempt({ ...registration, tokenEndpointAuthMethod: other })
    }
  }

  /**
   * Remembers that the issuer refuses RFC 8707 `resource` (said once: later sign-ins leave it out
   * silently) and returns the error that makes the flow start again without it.
   */
  async #resourceRejected(serverName: string, issuer: string, cause: unknown): Promise<TrayError> {
    await rememberQuirk(this.#options.vault, issuer, { omitResource: true })
    const said = oauthErrorDescription(cause) ?? (cause instanceof Error ? cause.message : undefined)
    this.#progress(
      serverName,
      `${new URL(issuer).host} does not accept the resource parameter (RFC 8707) MCP Tray sends with a sign-in${said ? ` (it said: ${said.replace(/\.$/, '')})` : ''}. ` +
        `MCP Tray leaves it out for this authorization server from now on.`,
    )
    return new TrayError('resource_rejected', `${issuer} refused the resource parameter of the sign-in.`, {
      hint: 'MCP Tray signs in again without it.',
      cause,
    })
  }

  /**
   * MCP AZ scope challenge handling: a step-up asks for the union of earlier and challenged scopes,
   * at most `maxStepUps` times in a row, and never when the union would not grow (no loop).
   */
  #countStepUp(serverName: string, challenge: BearerChallenge, previous: ServerAuthRecord | undefined): void {
    const count = (this.#stepUps.get(serverName) ?? 0) + 1
    const wanted = (challenge.scope ?? '').split(/\s+/).filter(Boolean)
    const have = new Set(previous?.tokens?.scopes ?? previous?.scopes ?? [])
    const grows = wanted.some((scope) => !have.has(scope))
    if (count > maxStepUps || (previous && !grows)) {
      throw new TrayError('scope_step_up_limit', `${serverName} keeps asking for more access (${challenge.scope ?? 'no scope named'}).`, {
        hint: 'MCP Tray stopped asking to avoid a loop; the server may not grant that scope to your account.',
      })
    }
    this.#stepUps.set(serverName, count)
  }

  #progress(server: string, message: string, detail: SignInProgressDetail = {}): void {
    for (const listener of this.#progressListeners) {
      try {
        listener(message, server, detail)
      } catch {
        // Telling someone how it goes must never cost the sign-in itself, or the other listeners.
      }
    }
  }
}
