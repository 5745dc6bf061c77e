import { Spinner } from '../components/Spinner'
import { useAppInfo, useLinkState } from '../state/use-dashboard-events'

/** What is true of the whole page: the link to the hub is down, the hub cannot be reached, tokens are weakly protected. */
export function Banners() {
  const link = useLinkState()
  const info = useAppInfo()
  return (
    <div className="banners">
      {link === 'reconnecting' && (
        <div className="banner banner-warning" role="status">
          <Spinner />
          <span>
            <strong>Reconnecting to MCP Tray…</strong> What you see may be out of date until the link is back; nothing is lost.
          </span>
        </div>
      )}
      {info.status === 'error' && (
        <div className="banner banner-error" role="alert">
          <span>
            <strong>MCP Tray does not answer.</strong> {info.error}
          </span>
        </div>
      )}
      {info.status === 'ready' && info.data.secretStorage?.weak && (
        <div className="banner banner-warning" role="note">
          <span>
            <strong>Weaker token protection:</strong> {info.data.secretStorage.label}. For your system keychain, install and unlock one (GNOME Keyring, KWallet), then restart MCP Tray.
          </span>
        </div>
      )}
    </div>
  )
}
