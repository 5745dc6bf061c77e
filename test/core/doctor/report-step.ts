import type { DoctorReport, DoctorStep } from '../../../src/shared/doctor-report'

/** The report's step with this id; when it has none, fails naming the steps it has. */
export function step(report: DoctorReport, id: string): DoctorStep {
  const found = report.steps.find((s) => s.id === id)
  if (!found) throw new Error(`no ${id} step in ${report.steps.map((s) => `${s.id}:${s.status}`).join(', ')}`)
  return found
}
