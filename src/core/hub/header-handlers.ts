import { TrayError } from '../../shared/tray-error'
import { readServerHeaders } from '../registry/server-headers'
import type { Vault } from '../vault/vault'
import type { HubHandler } from './hub-server'

export interface HeadersReply {
  readonly headers: Readonly<Record<string, string>>
}

/**
 * How a proxy gets a server's extra headers: their values are secrets, so only the hub reads them
 * from the vault, and the proxy keeps them in memory.
 */
export function headerHandlers(vault: Pick<Vault, 'get'>): Map<string, HubHandler> {
  return new Map<string, HubHandler>([
    [
      'headers',
      async (params) => {
        const server = (params as { server?: unknown } | undefined)?.server
        if (typeof server !== 'string' || server === '') throw new TrayError('hub_bad_request', 'A headers request must name a server.')
        return { headers: await readServerHeaders(vault, server) } satisfies HeadersReply
      },
    ],
  ])
}
