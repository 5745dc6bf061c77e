import type { DoctorReport, DoctorStep, DoctorStepStatus } from '../../shared/doctor-report'
import { redactText } from '../logs/redaction'
import { describeMs } from './describe-duration'

/** ANSI SGR colours (ECMA-48 §8.3.117), used only when the output is a terminal. */
const colours: Record<DoctorStepStatus | 'dim', string> = { pass: '32', warn: '33', fail: '31', skip: '2', running: '36', dim: '2' }
const marks: Record<DoctorStepStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', running: '…' }

export interface TextOptions {
  readonly colour: boolean
  /** Width of the title column. */
  readonly titleWidth?: number
}

function paint(text: string, colour: DoctorStepStatus | 'dim', options: TextOptions): string {
  return options.colour ? `\u001b[${colours[colour]}m${text}\u001b[0m` : text
}

/** One line per fact; text from outside made safe to show first (no escape sequences, no credentials). */
const line = (text: string): string => redactText(text).replace(/\s*\n\s*/g, ' ')

/**
 * A finished step as terminal lines: a mark, the title, what was found and how long it took; for
 * a warning or a failure, the evidence and the fix below it.
 */
export function renderStepText(step: DoctorStep, options: TextOptions): string[] {
  const width = options.titleWidth ?? 58
  const time = step.durationMs === undefined ? '' : paint(` (${describeMs(step.durationMs)})`, 'dim', options)
  const lines = [`${paint(marks[step.status], step.status, options)} ${line(step.title).padEnd(width)} ${line(step.summary)}${time}`]
  if (step.status === 'warn' || step.status === 'fail') {
    for (const evidence of step.evidence ?? []) lines.push(paint(`    ${line(evidence)}`, 'dim', options))
    if (step.fix) lines.push(`    ${paint('Fix:', step.status, options)} ${line(step.fix.text)}`)
    if (step.diagnosis) lines.push(paint(`    (${step.diagnosis})`, 'dim', options))
  }
  return lines
}

/** The verdict under the steps. */
export function renderVerdictText(report: DoctorReport, options: TextOptions): string {
  const took = `in ${describeMs(report.durationMs)}`
  if (report.healthy) {
    const warned = report.steps.filter((s) => s.status === 'warn').length
    return paint(`Healthy${warned ? `, with ${warned} warning${warned === 1 ? '' : 's'}` : ''} (${took}).`, 'pass', options)
  }
  return paint(`Not healthy: ${report.diagnoses.join(', ') || 'see the failed steps'} (${took}).`, 'fail', options)
}

/** The whole report as terminal text. */
export function renderDoctorText(report: DoctorReport, options: TextOptions): string {
  const header = `MCP Tray doctor: ${line(report.server ? `${report.server} (${report.url})` : report.url)}`
  return `${[header, '', ...report.steps.flatMap((step) => renderStepText(step, options)), '', renderVerdictText(report, options)].join('\n')}\n`
}
