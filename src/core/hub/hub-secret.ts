import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { replaceFileAtomically } from '../data/atomic-file'

/**
 * The secret a client presents to the hub, created with mode 0600; whoever can read it is the
 * user. Callers hold the hub's start lock, so only one process creates it; it is written whole by
 * a rename, so a client reading it at that moment never sees it half written.
 */
export async function readOrCreateHubSecret(secretPath: string): Promise<string> {
  const existing = await readHubSecret(secretPath)
  if (existing !== undefined) return existing
  const secret = randomBytes(32).toString('base64url')
  await replaceFileAtomically(secretPath, secret, 0o600)
  return secret
}

/** Reads the secret a client needs, or undefined when no hub has created one yet. */
export async function readHubSecret(secretPath: string): Promise<string | undefined> {
  try {
    const secret = (await readFile(secretPath, 'utf8')).trim()
    return secret === '' ? undefined : secret
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Compares secrets in constant time. */
export function secretsMatch(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(presented)
  return a.length === b.length && timingSafeEqual(a, b)
}
