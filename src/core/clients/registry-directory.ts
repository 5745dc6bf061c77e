import { clientSecretKey } from '../oauth/server-auth-record'
import type { ServerRegistry } from '../registry/server-registry'
import { storeServerHeaders } from '../registry/server-headers'
import type { Vault } from '../vault/vault'
import type { ServerDirectory } from './server-directory'

/**
 * The server registry seen as a `ServerDirectory`: servers go to the registry, a client secret
 * and header values to the vault (the registry never holds secrets), as `mcp-tray add` stores them.
 */
export function registryDirectory(registry: ServerRegistry, vault: Pick<Vault, 'set' | 'delete'>): ServerDirectory {
  return {
    async get(name) {
      return registry.get(name)
    },
    async add({ name, url, headers, clientId, clientSecret, scope, redirect }) {
      const { server } = registry.add({
        name,
        url,
        ...(headers && Object.keys(headers).length > 0 ? { headerNames: Object.keys(headers) } : {}),
        ...(clientId === undefined ? {} : { clientId }),
        ...(scope === undefined ? {} : { scope }),
        ...(redirect === undefined ? {} : { redirect }),
      })
      if (headers && Object.keys(headers).length > 0) await storeServerHeaders(vault, server.name, headers)
      if (clientSecret !== undefined) await vault.set(clientSecretKey(server.name), { clientSecret })
      return { name: server.name }
    },
  }
}
