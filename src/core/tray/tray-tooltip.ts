import type { ServerState } from '../../shared/server-view'
import type { TrayFacts } from './tray-menu'

/** Each state in the tooltip's words, worst first. */
const stateWords: readonly [ServerState, string, string][] = [
  ['error', 'failing', 'failing'],
  ['sign-in-needed', 'needs sign-in', 'need sign-in'],
  ['signing-in', 'signing in', 'signing in'],
  ['connected', 'connected', 'connected'],
  ['idle', 'idle', 'idle'],
]

/**
 * The tray icon's tooltip: how many servers are in each state, worst first ("MCP Tray: 1 failing,
 * 2 connected"), and a second line when tokens are not protected by a keyring.
 */
export function trayTooltip(facts: Pick<TrayFacts, 'servers' | 'secretStorage'>): string {
  const servers = facts.servers ?? []
  const counts = stateWords
    .map(([state, one, many]) => [servers.filter((server) => server.state === state).length, one, many] as const)
    .filter(([count]) => count > 0)
    .map(([count, one, many]) => `${count} ${count === 1 ? one : many}`)
  const summary = facts.servers === undefined ? 'MCP Tray' : servers.length === 0 ? 'MCP Tray: no servers yet' : `MCP Tray: ${counts.join(', ')}`
  return facts.secretStorage?.weak ? `${summary}\nSign-in tokens are not protected by a keyring.` : summary
}
