import { ensureDataDir, resolveDataDir } from '../../core/data/data-dir'
import { browserOpenerFor } from '../../core/oauth/browser-opener'
import { createOAuthEngine, type OAuthEngine } from '../../core/oauth/oauth-engine'
import { openConfStore } from '../../core/registry/registry-store'
import { ServerRegistry } from '../../core/registry/server-registry'
import { AesGcmFileCipher } from '../../core/vault/aes-gcm-file-cipher'
import { safeText } from '../../shared/safe-text'

/** The composition root of the CLI's sign-in commands: data dir, registry, vault, engine. */
export async function openHeadlessOAuth(): Promise<{ dataDir: string; registry: ServerRegistry; engine: OAuthEngine }> {
  const dataDir = await ensureDataDir(resolveDataDir())
  const registry = new ServerRegistry(openConfStore(dataDir))
  const engine = createOAuthEngine({
    dataDir,
    cipher: await AesGcmFileCipher.open(dataDir),
    browser: browserOpenerFor(process.env),
    settings: registry.settings(),
  })
  engine.signIn.onProgress((message) => process.stderr.write(`${safeText(message)}\n`))
  return { dataDir, registry, engine }
}

/** "expires in 4 min", "expired 3 h ago": how a person reads an expiry (past or future by the time, not by the rounding). */
export function describeExpiry(expiresAt: number | undefined, now = Date.now()): string {
  if (expiresAt === undefined) return 'no expiry given'
  const minutes = Math.max(1, Math.round(Math.abs(expiresAt - now) / 60_000))
  const span = minutes >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes} min`
  return expiresAt > now ? `expires in ${span}` : `expired ${span} ago`
}
