import { safeText } from './safe-text'

/**
 * The one error type that crosses every boundary: a stable snake_case `code` programs switch on,
 * a `message` saying what happened and a `hint` saying what a person can do about it.
 */
export class TrayError extends Error {
  override readonly name: string = 'TrayError'
  readonly code: string
  readonly hint: string | undefined

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hint = options.hint
  }
}

/**
 * The words a person sees for any error: the message, then the hint when there is one. Messages
 * often carry what a server said, so escape sequences and control characters are removed.
 */
export function describeError(error: unknown): string {
  if (error instanceof TrayError) {
    return safeText(error.hint ? `${error.message} ${error.hint}` : error.message)
  }
  if (error instanceof Error) return safeText(error.message)
  return safeText(String(error))
}
