import type { AppNotification } from '../../../shared/dashboard-api'
import { useDashboard } from '../state/DashboardContext'
import { useValue } from '../state/value-store'
import { routeHash } from './hash-route'
import { useNavigate } from './use-route'

/** The hub's notifications (sign-in needed, failures, restart a client) as toasts with their action. */
export function Toasts() {
  const session = useDashboard()
  const list = useValue(session.notifications.list)
  const navigate = useNavigate()

  function act(notification: AppNotification): void {
    const action = notification.action
    if (!action) return
    if (action.kind === 'sign-in') void session.client.signIn(action.server).catch(() => undefined)
    else if (action.kind === 'open-log') navigate({ name: 'log', server: action.server })
    else if (action.kind === 'open-url') window.open(action.url, '_blank', 'noopener,noreferrer')
    session.notifications.dismiss(notification.id)
  }

  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {list.map((notification) => (
        <div key={notification.id} className={`toast toast-${notification.cause}`}>
          <div className="toast-text">
            <strong>{notification.title}</strong>
            <span>{notification.body}</span>
          </div>
          <div className="toast-actions">
            {notification.action && notification.action.kind !== 'restart-client' && (
              <button type="button" className="btn btn-small btn-primary" onClick={() => act(notification)}>
                {actionWords(notification.action)}
              </button>
            )}
            {notification.server && !notification.action && (
              <a className="btn btn-small" href={routeHash({ name: 'servers' })}>
                Show
              </a>
            )}
            <button type="button" className="btn btn-small btn-quiet" onClick={() => session.notifications.dismiss(notification.id)}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </section>
  )
}

function actionWords(action: NonNullable<AppNotification['action']>): string {
  switch (action.kind) {
    case 'sign-in':
      return 'Sign in'
    case 'open-log':
      return 'Open log'
    case 'open-url':
      return 'Open sign-in page'
    case 'restart-client':
      return 'Restart'
  }
}
