import { Notification } from 'electron'
import type { Notifier } from '../core/tray/notifier'
import type { AppNotification, NotificationAction } from '../shared/dashboard-events'

export interface AppNotifierOptions {
  /** Performs a notification's action when the person clicks it. */
  readonly perform: (action: NotificationAction) => void
  /** The app's icon, where the platform shows one beside the text (Linux, Windows). */
  readonly icon?: string
  /** Notifications kept on screen with their click handler (default 10); older ones are let go. */
  readonly maxShown?: number
}

/**
 * The hub's notifications as desktop notifications; a click performs the notification's action.
 * A notification Electron has garbage-collected loses its click handler, so each is held until it
 * is clicked or closed (or pushed out by newer ones).
 */
export class AppNotifier implements Notifier {
  readonly #options: AppNotifierOptions
  readonly #shown = new Set<Notification>()

  constructor(options: AppNotifierOptions) {
    this.#options = options
  }

  notify(notification: AppNotification): void {
    this.#show(notification.title, notification.body, notification.action)
  }

  /** A notification of the shell's own (how a tray action went), with no action. */
  tell(title: string, body: string): void {
    this.#show(title, body, undefined)
  }

  #show(title: string, body: string, action: NotificationAction | undefined): void {
    if (!Notification.isSupported()) return
    const shown = new Notification({ title, body, ...(this.#options.icon ? { icon: this.#options.icon } : {}) })
    const forget = (): void => {
      this.#shown.delete(shown)
    }
    shown.on('click', () => {
      forget()
      if (action) this.#options.perform(action)
    })
    shown.on('close', forget)
    shown.on('failed', forget)
    this.#shown.add(shown)
    for (const old of this.#shown) {
      if (this.#shown.size <= (this.#options.maxShown ?? 10)) break
      this.#shown.delete(old)
    }
    shown.show()
  }
}
