import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TrayError } from '../../shared/tray-error'
import type { RegistryStore } from './registry-store'

/**
 * `registry.json` as it stands, read once and only read: for the proxy, which looks one server up
 * at every start and must not pay for loading `conf` to do it. A missing or unreadable file reads
 * as empty; whoever then needs to change the registry opens it with `openConfStore`, which reports
 * a damaged file properly.
 */
export async function readRegistrySnapshot(dataDir: string): Promise<RegistryStore> {
  const values = await readFile(join(dataDir, 'registry.json'), 'utf8')
    .then((text) => JSON.parse(text) as unknown)
    .catch(() => undefined)
  const record = typeof values === 'object' && values !== null ? (values as Record<string, unknown>) : {}
  return {
    get: (key) => record[key],
    set: () => {
      throw new TrayError('registry_read_only', 'This copy of the registry is read-only.', {
        hint: 'Open the registry with openConfStore to change it.',
      })
    },
  }
}
