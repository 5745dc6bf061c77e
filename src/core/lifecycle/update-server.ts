import type { ServerOptionsChange } from '../../shared/server-view'
import { clientSecretKey } from '../oauth/server-auth-record'
import type { ServerEntry } from '../registry/server-entry'
import { storeServerHeaders } from '../registry/server-headers'
import { withOption } from './add-server'
import type { LifecycleDeps } from './lifecycle-deps'

/**
 * Changes a server's options (`null` removes one, an absent key keeps it). Header values and a
 * client secret go to the vault; the registry keeps the header names only. The entry is checked
 * whole before anything is saved. A changed scope or client id applies from the next sign-in.
 */
export async function updateServer(deps: Pick<LifecycleDeps, 'registry' | 'engine'>, name: string, change: ServerOptionsChange): Promise<ServerEntry> {
  const { registry, engine } = deps
  let next: ServerEntry = registry.require(name)
  for (const key of ['timeoutMs', 'scope', 'clientId', 'redirect', 'audience'] as const) {
    if (change[key] !== undefined) next = withOption(next, key, change[key])
  }
  if (change.headers !== undefined) next = withOption(next, 'headerNames', Object.keys(change.headers).length > 0 ? Object.keys(change.headers) : null)
  const saved = registry.replace(name, next)
  if (change.headers !== undefined) await storeServerHeaders(engine.vault, name, change.headers)
  if (change.clientSecret === null) await engine.vault.delete(clientSecretKey(name))
  else if (change.clientSecret !== undefined) await engine.vault.set(clientSecretKey(name), { clientSecret: change.clientSecret })
  return saved
}
