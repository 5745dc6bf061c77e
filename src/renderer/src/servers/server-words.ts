import type { ServerState, SignInSummary } from '../../../shared/dashboard-api'

/** A server's state in words, beside its coloured dot (colour is never the only sign). */
export const stateWords: Readonly<Record<ServerState, string>> = {
  connected: 'Connected',
  idle: 'Idle',
  'signing-in': 'Signing in',
  'sign-in-needed': 'Sign-in needed',
  error: 'Error',
}

export function proxiesWords(count: number): string {
  if (count === 0) return 'No proxy attached'
  return count === 1 ? '1 proxy attached' : `${count} proxies attached`
}

/** "Signed in as alice", "Not signed in", … */
export function signInWords(signIn: SignInSummary): string {
  switch (signIn.state) {
    case 'signed-in':
      return signIn.subject ? `Signed in as ${signIn.subject}` : 'Signed in'
    case 'signed-out':
      return 'Not signed in'
    case 'sign-in-needed':
      return 'Sign-in needed'
    case 'error':
      return 'Sign-in failed'
  }
}

/** The middle of a set of latencies, for the words beside a sparkline. */
export function medianOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2
}
