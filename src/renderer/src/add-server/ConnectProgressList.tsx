import type { ConnectProgress, ConnectStep } from '../../../shared/dashboard-api'
import { CopyButton } from '../components/CopyButton'
import { Spinner } from '../components/Spinner'

const stepWords: Readonly<Record<ConnectStep, string>> = {
  add: 'Add the server',
  'sign-in': 'Sign in',
  install: 'Install into your clients',
  restart: 'Restart clients',
}

const stateWords = { running: 'Running', done: 'Done', skipped: 'Skipped', failed: 'Failed' } as const
const stateMarks = { done: '✓', skipped: '–', failed: '✕' } as const

/** The message without the (long) sign-in address, which is shown on its own line with a Copy button. */
function withoutAddress(message: string, url: string): string {
  return message
    .replace(url, '')
    .replace(/\s*If no browser opens?,?\s*(visit|open)[^.]*:?\s*$/i, '')
    .trim()
}

/** The connect's steps as they run, with the sign-in address while the browser sign-in waits. */
export function ConnectProgressList({ steps }: { readonly steps: readonly ConnectProgress[] }) {
  return (
    <ol className="steps" aria-label="Connect progress">
      {steps.map((step) => (
        <li key={step.step} className={`step step-${step.state}`}>
          <span className="step-mark">{step.state === 'running' ? <Spinner /> : <span aria-hidden="true">{stateMarks[step.state]}</span>}</span>
          <div className="step-text">
            <p className="step-title">
              {stepWords[step.step]} <span className={`step-state step-state-${step.state}`}>{stateWords[step.state]}</span>
            </p>
            <p className="step-message">{step.signInUrl ? withoutAddress(step.message, step.signInUrl) : step.message}</p>
            {step.signInUrl && step.state === 'running' && (
              <div className="address-row">
                <span className="address-label">If no browser opened, open this address to sign in:</span>
                <code className="address">{step.signInUrl}</code>
                <CopyButton text={step.signInUrl} label="Copy address" />
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  )
}
