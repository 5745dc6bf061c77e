import { TrayError } from '../../shared/tray-error'
import { ClientConfigs } from '../clients/client-configs'
import type { ProxyLaunch } from '../clients/entry-builder'

/**
 * The client config files as the hub writes them: each entry starts the proxy the way `launch`
 * says (the app's own executable in the app, `node` and the built CLI headless). A hub that was
 * not told cannot write entries, and says so when asked to.
 */
export function hubClientConfigs(dataDir: string, launch: ProxyLaunch | undefined): ClientConfigs {
  if (!launch) {
    throw new TrayError('proxy_launch_unknown', 'This MCP Tray does not know how client apps should start its proxy, so it cannot write their config files.', {
      hint: 'Run `mcp-tray install` from the command line, or report this: the hub was started without its launch.',
    })
  }
  return new ClientConfigs({ dataDir, launch })
}
