import { TrayError } from '../../shared/tray-error'
import type { HubPeer } from './hub-server'

/**
 * What a client can subscribe to: `logs` pushes each batch as it arrives (`data`: LogEvent[]),
 * `status` the servers whose status changed (`data`: ServerStatus[]), at most every 100 ms.
 */
export const hubTopics = ['logs', 'status'] as const
export type HubTopic = (typeof hubTopics)[number]

export interface SubscribeParams {
  readonly topics: readonly HubTopic[]
}

/**
 * Which clients (dashboards, `mcp-tray logs --follow`) asked for which pushed events. Proxies never
 * subscribe, so the log events they send are not echoed to every other proxy.
 */
export class HubSubscriptions {
  readonly #topics = new Map<HubPeer, Set<HubTopic>>()

  subscribe(peer: HubPeer, params: unknown): void {
    const topics = (params as Partial<SubscribeParams> | undefined)?.topics
    if (!Array.isArray(topics) || topics.length === 0 || topics.length > hubTopics.length || !topics.every((t) => hubTopics.includes(t))) {
      throw new TrayError('hub_bad_request', `A subscription must name topics among: ${hubTopics.join(', ')}.`)
    }
    this.#topics.set(peer, new Set(topics as HubTopic[]))
  }

  remove(peer: HubPeer): void {
    this.#topics.delete(peer)
  }

  publish(topic: HubTopic, data: unknown): void {
    for (const [peer, topics] of this.#topics) if (topics.has(topic)) peer.send({ event: topic, data })
  }
}
