import type { InstallOutcome, RemoveOutcome } from '../../shared/server-view'
import type { ClientConfigs } from '../clients/client-configs'
import { signOutWatched } from '../hub/watched-sign-in'
import type { ClaudeDesktopControl } from './claude-desktop'
import { installsOf, needsRestart, outcomeOf, requireReadable } from './client-installs'
import type { LifecycleDeps } from './lifecycle-deps'
import { forgetServerSecrets } from './server-secrets'

/**
 * Removes a server for good: its entries leave every client file that starts it through MCP Tray
 * (and are remembered as removed, so the config guard never puts them back), it is signed out
 * (revoked where the server offers it), its secrets are deleted and the registry forgets it.
 * Entries go first: should a file fail, the server is still there and removing it again finishes
 * the job, instead of an entry that starts a server MCP Tray no longer knows.
 */
export async function removeServer(
  deps: LifecycleDeps,
  parts: { configs: ClientConfigs; claude: ClaudeDesktopControl },
  name: string,
): Promise<RemoveOutcome> {
  const { registry, engine, signIns, status } = deps
  registry.require(name)
  const { installs, unreadable } = await installsOf(parts.configs, name)
  requireReadable(unreadable, `remove ${name}`)
  const uninstalled: InstallOutcome[] = []
  for (const install of installs) {
    for (const key of install.keys) {
      const change = await parts.configs.uninstall(install.client, key)
      uninstalled.push(outcomeOf(change, await needsRestart(install.client, change.changed, parts.claude)))
    }
  }
  const hadSignIn = (await engine.tokens.status(name)).state !== 'signed-out'
  await signOutWatched({ engine, signIns, observer: status }, name)
  await forgetServerSecrets(engine.vault, name)
  registry.remove(name)
  status.forget(name)
  return { server: name, signedOut: hadSignIn, uninstalled }
}
