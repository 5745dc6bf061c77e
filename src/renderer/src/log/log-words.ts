import type { LogDirection, LogEvent, LogKind, LogOutcome } from '../../../shared/log-model'

/** An outcome in words, and the tone of its badge (never colour alone: the word is the badge). */
export const outcomeWords: Readonly<Record<LogOutcome, string>> = {
  sent: 'sent',
  delivered: 'delivered',
  ok: 'ok',
  error: 'error',
  'tool-error': 'tool error',
  failed: 'failed',
  timeout: 'timeout',
  late: 'late',
  retried: 'retried',
  recovered: 'recovered',
  rejected: 'rejected',
  closed: 'closed',
}

export type OutcomeTone = 'ok' | 'neutral' | 'bad' | 'tool' | 'warn' | 'info'

export const outcomeTones: Readonly<Record<LogOutcome, OutcomeTone>> = {
  sent: 'neutral',
  delivered: 'ok',
  ok: 'ok',
  error: 'bad',
  'tool-error': 'tool',
  failed: 'bad',
  timeout: 'bad',
  late: 'warn',
  retried: 'warn',
  recovered: 'info',
  rejected: 'bad',
  closed: 'neutral',
}

export const directionWords: Readonly<Record<LogDirection, string>> = {
  'to-server': 'client to server',
  'to-client': 'server to client',
}

export const directionArrows: Readonly<Record<LogDirection, string>> = {
  'to-server': '→',
  'to-client': '←',
}

export const kindWords: Readonly<Record<LogKind, string>> = {
  request: 'request',
  notification: 'notification',
  response: 'response',
  error: 'error answer',
  proxy: 'proxy',
}

/** What the row's "method" column says: the method, or what kind of message it is. */
export function methodLabel(event: LogEvent): string {
  return event.method ?? kindWords[event.kind]
}

/** A preview as a person reads it: pretty-printed when it is whole JSON, as it came otherwise. */
export function prettyPreview(preview: string): string {
  const trimmed = preview.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return preview
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2)
  } catch {
    return preview
  }
}
