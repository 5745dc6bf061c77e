import { TrayError } from '../../shared/tray-error'
import type { ClientConfigs } from '../clients/client-configs'
import { serverEntrySchema } from '../registry/server-entry'
import { installsOf, requireReadable } from './client-installs'
import type { LifecycleDeps } from './lifecycle-deps'
import { moveServerSecrets } from './server-secrets'

/**
 * Renames a server; everything follows it: its sign-in and secrets in the vault, and its entries in
 * the clients' files (an entry named after the server takes the new name, in one write per file;
 * an entry with a name of its own keeps it and starts the server under its new name). Clients that
 * run it now go on under the old name until they restart.
 */
export async function renameServer(deps: LifecycleDeps, configs: ClientConfigs, name: string, newName: string): Promise<void> {
  const { registry, engine, signIns, status } = deps
  const entry = registry.require(name)
  if (newName === name) return
  if (!serverEntrySchema.shape.name.safeParse(newName).success) {
    throw new TrayError('server_name_invalid', `"${newName}" cannot be a server name.`, {
      hint: 'Use letters, digits, dot, dash and underscore, at most 64, starting with a letter or digit.',
    })
  }
  if (registry.get(newName)) {
    throw new TrayError('server_name_taken', `Another server is already named "${newName}".`, { hint: 'Choose another name, or remove the other server first.' })
  }
  if (signIns.isRunning(name)) {
    throw new TrayError('server_busy', `A sign-in to ${name} is running; it was not renamed.`, { hint: 'Finish or cancel the sign-in, then rename it.' })
  }
  const { installs, unreadable } = await installsOf(configs, name)
  requireReadable(unreadable, `rename ${name}`)
  // The files first: one that refuses (an entry of someone else's under the new name) stops the
  // rename with every file that was moved put back.
  const moved: { client: (typeof installs)[number]['client']; from: string; to: string }[] = []
  try {
    for (const install of installs) {
      for (const key of install.keys) {
        const to = key === name ? newName : key
        await configs.move(install.client, key, to, newName)
        moved.push({ client: install.client, from: key, to })
      }
    }
    registry.replace(name, { ...entry, name: newName })
  } catch (error) {
    for (const { client, from, to } of moved.reverse()) await configs.move(client, to, from, name).catch(() => undefined)
    throw error
  }
  await moveServerSecrets(engine.vault, name, newName)
  signIns.forget(name)
  status.forget(name)
}
