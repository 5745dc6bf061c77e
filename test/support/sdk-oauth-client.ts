import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js'
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js'
import { completeSignIn } from '../fixtures/remote-server/sign-in'

/**
 * The SDK's own OAuth client, as a third party would use it against our fixture: an in-memory
 * `OAuthClientProvider` whose "browser" walks the login and consent pages over HTTP.
 */
export class InMemoryOAuthProvider implements OAuthClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:3334/oauth/callback'
  #client: OAuthClientInformationMixed | undefined
  #tokens: OAuthTokens | undefined
  #verifier = ''
  /** The redirect the authorization server sent the browser to, after sign-in. */
  lastRedirect: URL | undefined

  constructor(readonly scope?: string) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'SDK test client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...(this.scope ? { scope: this.scope } : {}),
    }
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#client
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.#client = info
  }
  tokens(): OAuthTokens | undefined {
    return this.#tokens
  }
  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens
  }
  async redirectToAuthorization(url: URL): Promise<void> {
    this.lastRedirect = await completeSignIn(url.href)
  }
  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier
  }
  codeVerifier(): string {
    return this.#verifier
  }
}

/** Signs in with the SDK's client against `mcpUrl` and returns a connected client. */
export async function connectWithSdkOAuth(mcpUrl: string, provider = new InMemoryOAuthProvider()): Promise<Client> {
  const first = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider })
  try {
    await new Client({ name: 'sdk-test', version: '1.0.0' }).connect(first)
    throw new Error('expected the server to ask for sign-in')
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error
  }
  const code = provider.lastRedirect?.searchParams.get('code')
  if (!code) throw new Error(`sign-in gave no code: ${provider.lastRedirect?.href}`)
  await first.finishAuth(code)
  const client = new Client({ name: 'sdk-test', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }))
  return client
}
