import * as client from 'openid-client'

/** RFC 7636 §4.1–4.2: a code verifier and its S256 challenge. There is no other method. */
export interface PkcePair {
  readonly verifier: string
  readonly challenge: string
  readonly method: 'S256'
}

/** RFC 7636 §4.1 (43+ characters of high entropy) and §4.2 (`S256`). */
export async function createPkcePair(): Promise<PkcePair> {
  const verifier = client.randomPKCECodeVerifier()
  return { verifier, challenge: await client.calculatePKCECodeChallenge(verifier), method: 'S256' }
}
