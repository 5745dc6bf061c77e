import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'

/**
 * The secret a client presents to the hub. Created once with mode 0600 (`wx`, so two hubs racing
 * to create it cannot overwrite each other's); whoever can read it is the user.
 */
export async function readOrCreateHubSecret(secretPath: string): Promise<string> {
  try {
    return (await readFile(secretPath, 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const secret = randomBytes(32).toString('base64url')
  try {
    await writeFile(secretPath, secret, { mode: 0o600, flag: 'wx' })
    return secret
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(secretPath, 'utf8')).trim()
    throw error
  }
}

/** Reads the secret a client needs, or undefined when no hub has created one yet. */
export async function readHubSecret(secretPath: string): Promise<string | undefined> {
  try {
    return (await readFile(secretPath, 'utf8')).trim()
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
