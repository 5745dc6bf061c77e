import type { DoctorReport } from '../../../shared/dashboard-api'
import { routeHash } from '../app/hash-route'
import { useNow } from '../state/use-dashboard-events'
import { relativeWords } from '../words/time-words'
import { StepStatus } from '../doctor/StepStatus'

/** The doctor's last word on a server: healthy or not, and the steps that were not. */
export function DoctorSummary({ server, report }: { readonly server: string; readonly report: DoctorReport | null }) {
  const now = useNow()
  const problems = report?.steps.filter((step) => step.status === 'fail' || step.status === 'warn') ?? []
  return (
    <section className="panel" aria-labelledby="doctor-summary-title">
      <div className="panel-head">
        <h2 id="doctor-summary-title">Doctor</h2>
        <a className="btn btn-small" href={routeHash({ name: 'doctor', server })}>
          Run doctor
        </a>
      </div>
      {!report ? (
        <p className="muted">The doctor has not examined {server} since MCP Tray started. Run it to check every step from DNS to the tools list.</p>
      ) : (
        <>
          <p>
            {report.healthy ? 'Healthy' : `${problems.filter((step) => step.status === 'fail').length} failed, ${problems.filter((step) => step.status === 'warn').length} to check`}
            <span className="muted"> · ran {relativeWords(Math.min(Date.parse(report.startedAt), now), now)}</span>
            {report.diagnoses.length > 0 && <span className="muted"> · {report.diagnoses.join(', ')}</span>}
          </p>
          {problems.length > 0 && (
            <ul className="doctor-problems">
              {problems.map((step) => (
                <li key={step.id}>
                  <StepStatus status={step.status} />
                  <span>
                    <strong>{step.title}</strong>: {step.summary}
                    {step.fix && <span className="muted"> {step.fix.text}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  )
}
