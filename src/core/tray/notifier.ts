import type { AppNotification } from '../../shared/dashboard-events'

/**
 * Shows a notification to the person: Electron's `Notification` in the app; headless, the
 * dashboard's event stream and the terminal. The hub's `NotificationCenter` decides what is worth
 * saying and how often; a notifier only shows it.
 */
export interface Notifier {
  notify(notification: AppNotification): void
}
