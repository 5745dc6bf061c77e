import type { DoctorFixAction, DoctorStep } from '../../../shared/dashboard-api'
import { durationWords } from '../words/time-words'
import { StepStatus } from './StepStatus'
import type { FixState } from './use-doctor-fix'

const fixButtonWords: Readonly<Record<DoctorFixAction['kind'], string>> = {
  'use-url': 'Use this URL',
  'set-redirect-host': 'Switch the redirect host',
  'sign-in': 'Sign in again',
  'trust-system-ca': 'Trust system certificates',
}

/** One probe of the doctor: what it found, the evidence, and the fix (a button when it can be applied here). */
export function DoctorStepItem({ step, fix, canApply, onApply }: { readonly step: DoctorStep; readonly fix: FixState; readonly canApply: boolean; readonly onApply: (action: DoctorFixAction) => void }) {
  const working = fix.status === 'working' && fix.key === step.id
  return (
    <li className={`doctor-step doctor-step-${step.status}`}>
      <div className="doctor-step-head">
        <StepStatus status={step.status} />
        <h3 className="doctor-step-title">{step.title}</h3>
        {step.diagnosis && <span className="chip chip-bad">{step.diagnosis}</span>}
        {step.durationMs !== undefined && <span className="muted doctor-step-time">{durationWords(step.durationMs)}</span>}
      </div>
      <p className="doctor-step-summary">{step.summary}</p>
      {step.fix && (
        <div className="doctor-fix">
          <p>
            <strong>Fix: </strong>
            {step.fix.text}
          </p>
          {step.fix.action && canApply && (
            <button type="button" className="btn btn-small btn-primary" disabled={fix.status === 'working'} onClick={() => onApply(step.fix!.action!)}>
              {working ? 'Applying…' : fixButtonWords[step.fix.action.kind]}
            </button>
          )}
        </div>
      )}
      {fix.status === 'done' && fix.key === step.id && (
        <p className="callout callout-success" role="status">
          {fix.message}
        </p>
      )}
      {fix.status === 'failed' && fix.key === step.id && (
        <p className="field-error" role="alert">
          {fix.error}
        </p>
      )}
      {step.evidence && step.evidence.length > 0 && (
        <details className="evidence">
          <summary>Evidence ({step.evidence.length} {step.evidence.length === 1 ? 'line' : 'lines'})</summary>
          <pre>{step.evidence.join('\n')}</pre>
        </details>
      )}
    </li>
  )
}
