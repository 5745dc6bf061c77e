/** What a `Bearer` challenge asks of the client (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  /** RFC 9728 §5.1: where the protected-resource metadata is. */
  readonly resourceMetadata?: string
  /** RFC 6750 §3: space-separated scopes the resource wants. */
  readonly scope?: string
  /** RFC 6750 §3.1: `invalid_token`, `insufficient_scope`, `invalid_request`. */
  readonly error?: string
  readonly errorDescription?: string
}

/**
 * RFC 9110 §11.6.1 / RFC 6750 §3: finds the `Bearer` challenge in a `WWW-Authenticate` header
 * (which may hold several challenges) and returns its parameters, or `undefined` when there is none.
 */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined
  for (const challenge of splitChallenges(header)) {
    if (challenge.scheme.toLowerCase() !== 'bearer') continue
    const p = challenge.params
    return {
      ...(p.resource_metadata ? { resourceMetadata: p.resource_metadata } : {}),
      ...(p.scope ? { scope: p.scope } : {}),
      ...(p.error ? { error: p.error } : {}),
      ...(p.error_description ? { errorDescription: p.error_description } : {}),
    }
  }
  return undefined
}

interface Challenge {
  scheme: string
  params: Record<string, string>
}

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/

function splitChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = []
  let rest = header.trim()
  let current: Challenge | undefined
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, '')
    const name = token.exec(rest)?.[0]
    if (!name) break
    const afterName = rest.slice(name.length)
    const param = /^\s*=\s*/.exec(afterName)
    if (current && param && !/^\s*=\s*=*\s*(,|$)/.test(afterName)) {
      rest = afterName.slice(param[0].length)
      let value: string
      if (rest.startsWith('"')) {
        let i = 1
        value = ''
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === '\\' && i + 1 < rest.length) i += 1
          value += rest[i]
          i += 1
        }
        rest = rest.slice(i + 1)
      } else {
        value = token.exec(rest)?.[0] ?? ''
        rest = rest.slice(value.length)
      }
      current.params[name.toLowerCase()] = value
      continue
    }
    // A new challenge: scheme, then optionally a token68 we ignore.
    current = { scheme: name, params: {} }
    challenges.push(current)
    rest = afterName.replace(/^\s+[A-Za-z0-9\-._~+/]+=*\s*(?=,|$)/, '')
  }
  return challenges
}
