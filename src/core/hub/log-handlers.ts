import { TrayError } from '../../shared/tray-error'
import { parseLogBatch } from '../logs/log-batch'
import type { LogStore } from '../logs/log-store'
import type { SecretValues } from '../logs/secret-values'
import type { HubHandler } from './hub-server'
import type { HubSubscriptions } from './hub-subscriptions'
import type { ServerStatusBoard } from './server-status'

/** Servers the hub keeps logs and status for; each costs a ring, a file and an entry. */
export const maxLoggedServers = 256

/** What `logs` answers: how many events the hub kept. */
export interface LogsReply {
  readonly accepted: number
}

/**
 * The hub's side of logs and status: proxies send batches (`logs`), which attach them to their
 * server, go to the ring and the files, and update the status; `status` answers every server's
 * status; `subscribe` has `logs` and `status` events pushed to the caller.
 */
export function logHandlers(parts: {
  logs: LogStore
  status: ServerStatusBoard
  subscriptions: HubSubscriptions
  /** Secret values the hub holds: a preview that carries one (a server echoing a token) keeps it masked. */
  secrets?: SecretValues
}): Map<string, HubHandler> {
  const { logs, status, subscriptions, secrets } = parts
  return new Map<string, HubHandler>([
    [
      'logs',
      async (params, peer) => {
        const parsed = parseLogBatch(params)
        const batch = secrets ? { ...parsed, events: parsed.events.map((event) => (event.preview ? { ...event, preview: secrets.mask(event.preview) } : event)) } : parsed
        if (!status.tracks(batch.server) && status.tracked() >= maxLoggedServers) {
          throw new TrayError('hub_bad_request', `MCP Tray refused a log batch: it already keeps logs for ${maxLoggedServers} servers.`, {
            hint: 'Restart MCP Tray to start counting again, and remove servers you no longer use.',
          })
        }
        if (peer.role === 'proxy') status.attach(batch.server, peer)
        logs.append(batch.events)
        status.record(batch.server, batch.events)
        return { accepted: batch.events.length } satisfies LogsReply
      },
    ],
    ['status', async () => ({ servers: status.list() })],
    [
      'subscribe',
      async (params, peer) => {
        subscriptions.subscribe(peer, params)
        return { servers: status.list() }
      },
    ],
  ])
}
