import type { AppNotification } from '../../shared/dashboard-events'

/**
 * A notification as one line of `mcp-tray serve`'s terminal, with what the person can do there
 * instead of clicking: the command to run or the address to open.
 */
export function notificationLine(notification: AppNotification, time: Date = new Date(notification.time)): string {
  const clock = Number.isNaN(time.getTime()) ? '' : `${time.toTimeString().slice(0, 8)}  `
  const then = nextStep(notification)
  return `${clock}${notification.title}: ${notification.body}${then ? ` ${then}` : ''}\n`
}

function nextStep(notification: AppNotification): string | undefined {
  const action = notification.action
  switch (action?.kind) {
    case 'sign-in':
      return `Run: mcp-tray login ${action.server}`
    case 'open-url':
      return `Open: ${action.url}`
    case 'open-log':
      return `Run: mcp-tray logs ${action.server}`
    case 'restart-client':
    case undefined:
      return undefined
  }
}
