import type { ServerState } from '../../../shared/dashboard-api'
import { stateWords } from './server-words'

/** A coloured dot and the state in words. */
export function ServerStateBadge({ state }: { readonly state: ServerState }) {
  return (
    <span className={`state-badge state-${state}`}>
      <span className="state-dot" aria-hidden="true" />
      {stateWords[state]}
    </span>
  )
}
