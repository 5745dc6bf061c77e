import type { Vault } from '../vault/vault'

/**
 * What a known authorization server does differently from RFC 6749/8707 as MCP uses them, and
 * how MCP Tray copes without the person having to know.
 */
export interface IssuerBehaviour {
  readonly name: string
  matches(issuer: URL): boolean
  /**
   * How to get a refresh token: Google issues one only for `access_type=offline` and, to issue
   * it again on a later sign-in, `prompt=consent` (it ignores the `offline_access` scope).
   */
  readonly offline?: 'access-type'
  /** Words for a sign-in that needs the server's `audience` setting (Auth0: without it, no API token). */
  readonly audienceAdvice?: string
}

/**
 * The table of known behaviours, keyed by issuer. A rejected RFC 8707 `resource` is not listed:
 * it is detected (`invalid_target`, or Microsoft Entra ID's AADSTS9010010) and remembered per
 * issuer, so it covers every server that does it.
 */
export const knownIssuerBehaviours: readonly IssuerBehaviour[] = [
  {
    name: 'Google',
    matches: (issuer) => issuer.origin === 'https://accounts.google.com',
    offline: 'access-type',
  },
  {
    name: 'Auth0',
    matches: (issuer) => issuer.protocol === 'https:' && /\.auth0\.com$/i.test(issuer.hostname),
    audienceAdvice:
      'Auth0 issues a token for an API only when the sign-in names its audience (the API identifier in the Auth0 dashboard); without it the server may refuse the token.',
  },
]

/** What MCP Tray learned about one issuer by trying. Kept in the vault beside its registration. */
export interface LearnedQuirks {
  /** The issuer refused the RFC 8707 `resource` parameter: sign-ins and refreshes leave it out. */
  readonly omitResource?: true
}

export const quirksKey = (issuer: string): `issuer:${string}` => `issuer:${issuer}#quirks`

export function behaviourOf(issuer: string, table: readonly IssuerBehaviour[]): IssuerBehaviour | undefined {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    return undefined
  }
  return table.find((behaviour) => behaviour.matches(url))
}

export async function learnedQuirks(vault: Pick<Vault, 'get'>, issuer: string): Promise<LearnedQuirks> {
  return (await vault.get<LearnedQuirks>(quirksKey(issuer))) ?? {}
}

export async function rememberQuirk(vault: Pick<Vault, 'get' | 'set'>, issuer: string, quirk: LearnedQuirks): Promise<void> {
  await vault.set(quirksKey(issuer), { ...(await learnedQuirks(vault, issuer)), ...quirk })
}

/**
 * RFC 8707 §2: `invalid_target` is how a server says it will not take the `resource` given;
 * Microsoft Entra ID says AADSTS9010010 ("the resource parameter provided in the request
 * doesn't match with the requested scopes"), under `invalid_target` or `invalid_request`.
 */
export function isResourceRejection(error: string | undefined, description: string | undefined): boolean {
  return error === 'invalid_target' || /\bAADSTS9010010\b/.test(description ?? '')
}

/** The parameters a known issuer needs in the authorization request, besides the RFC's own. */
export function extraAuthorizationParameters(behaviour: IssuerBehaviour | undefined, audience: string | undefined): Record<string, string> {
  return {
    ...(behaviour?.offline === 'access-type' ? { access_type: 'offline', prompt: 'consent' } : {}),
    ...(audience ? { audience } : {}),
  }
}
