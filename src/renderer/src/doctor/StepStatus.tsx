import type { DoctorStepStatus } from '../../../shared/dashboard-api'
import { Spinner } from '../components/Spinner'

const words: Readonly<Record<DoctorStepStatus, string>> = { pass: 'Pass', warn: 'Warning', fail: 'Fail', skip: 'Skipped', running: 'Running' }
const marks: Readonly<Record<Exclude<DoctorStepStatus, 'running'>, string>> = { pass: '✓', warn: '!', fail: '✕', skip: '–' }

/** A doctor step's status: an icon and the word. */
export function StepStatus({ status }: { readonly status: DoctorStepStatus }) {
  return (
    <span className={`step-status step-status-${status}`}>
      {status === 'running' ? <Spinner /> : <span className="step-status-mark" aria-hidden="true">{marks[status]}</span>}
      <span className="step-status-word">{words[status]}</span>
    </span>
  )
}
