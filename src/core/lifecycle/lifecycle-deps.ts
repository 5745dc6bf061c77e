import type { ServerView } from '../../shared/server-view'
import type { ClientConfigs } from '../clients/client-configs'
import type { HubSignIns } from '../hub/hub-sign-ins'
import type { ServerStatusBoard, SignInObserver } from '../hub/server-status'
import type { OAuthEngine } from '../oauth/oauth-engine'
import type { ServerRegistry } from '../registry/server-registry'
import type { ClaudeDesktopControl } from './claude-desktop'

/**
 * What the lifecycle use cases run on: the parts of the hub, which alone reads the vault (sealed
 * by the OS keychain in the app), runs OAuth and binds the callback port.
 */
export interface LifecycleDeps {
  readonly registry: ServerRegistry
  /** Its `fetch` honours the proxy and certificate settings: the check that a new server answers uses it too. */
  readonly engine: Pick<OAuthEngine, 'vault' | 'tokens' | 'signIn' | 'fetch'>
  /** The hub's one sign-in per server, shared with the proxies' first sign-in and step-up. */
  readonly signIns: HubSignIns
  /** The status board: it hears of every sign-in, and forgets a server removed or renamed. */
  readonly status: SignInObserver & Pick<ServerStatusBoard, 'get' | 'forget'>
  /**
   * The client config files, opened when first needed: a hub that does not know how clients should
   * start its proxy fails only when it writes an entry.
   */
  readonly configs: () => ClientConfigs
  /** Claude Desktop on this machine (default: found in the process list). */
  readonly claudeDesktop?: ClaudeDesktopControl
  /**
   * Something about the servers changed (added, removed, renamed, options, sign-in, installs),
   * whichever surface asked: the views drop what they cached and tell the dashboards.
   */
  readonly changed?: () => void
  /** A server as the views show it (default: a plain one without latencies). */
  readonly view?: (name: string) => Promise<ServerView | undefined>
  /** Replaces the engine's fetch for the check that a new server answers (tests). */
  readonly fetch?: typeof fetch
}
