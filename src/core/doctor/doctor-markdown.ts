import type { DoctorReport, DoctorStep, DoctorStepStatus } from '../../shared/doctor-report'
import { redactText } from '../logs/redaction'
import { describeMs } from './describe-duration'

const statusWord: Record<DoctorStepStatus, string> = { pass: 'pass', warn: 'warn', fail: 'FAIL', skip: 'skip', running: 'running' }

/** Makes text safe for a Markdown table cell or list item, and free of anything secret-looking. */
function clean(text: string): string {
  return redactText(text)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
}

/** A URL without credentials or query (where tokens and codes travel). */
function cleanUrl(raw: string): string {
  try {
    const url = new URL(raw)
    url.username = ''
    url.password = ''
    url.search = ''
    url.hash = ''
    return url.href
  } catch {
    return clean(raw)
  }
}

function stepLines(step: DoctorStep): string[] {
  const lines = [`### ${statusWord[step.status]}: ${clean(step.title)}${step.diagnosis ? ` (\`${step.diagnosis}\`)` : ''}`, '', clean(step.summary)]
  if (step.evidence?.length) lines.push('', ...step.evidence.map((line) => `- ${clean(line)}`))
  if (step.fix) lines.push('', `**Fix:** ${clean(step.fix.text)}`)
  lines.push('')
  return lines
}

/**
 * The report as Markdown for a bug report or a support request: redacted (no token, no header
 * value, no query string), one table of the steps, then the details of every step that did not pass.
 */
export function renderDoctorMarkdown(report: DoctorReport): string {
  const verdict = report.healthy ? 'healthy' : `not healthy: ${report.diagnoses.join(', ') || 'see the failed steps'}`
  const lines = [
    `## MCP Tray doctor: ${clean(report.server ?? cleanUrl(report.url))}`,
    '',
    `- URL: ${cleanUrl(report.url)}`,
    `- Run: ${report.startedAt}, took ${describeMs(report.durationMs)}`,
    `- Verdict: ${verdict}`,
    '',
    '| step | result | time | finding |',
    '| --- | --- | --- | --- |',
    ...report.steps.map(
      (step) =>
        `| ${clean(step.title)} | ${statusWord[step.status]} | ${step.durationMs === undefined ? '' : describeMs(step.durationMs)} | ${clean(step.summary)} |`,
    ),
    '',
  ]
  const notable = report.steps.filter((step) => step.status === 'fail' || step.status === 'warn')
  if (notable.length) lines.push(...notable.flatMap(stepLines))
  return `${lines.join('\n').trimEnd()}\n`
}
