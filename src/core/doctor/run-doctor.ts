import type { DoctorReport, DoctorStep } from '../../shared/doctor-report'
import { TrayError } from '../../shared/tray-error'
import { redactText } from '../logs/redaction'
import { SecretValues } from '../logs/secret-values'
import { systemClock, type Clock } from '../oauth/token-refresher'
import {
  defaultDoctorBounds,
  defaultRedirectUri,
  type DoctorContext,
  type DoctorDeps,
  type DoctorFindings,
  type DoctorInput,
  type Probe,
  type ProbeOutcome,
} from './doctor-context'
import { doctorProbes } from './doctor-probes'
import { describeMs } from './describe-duration'
import { closeSession } from './endpoint-probe'
import { proxyFor } from './proxy-probe'

export type { DoctorAccess, DoctorBounds, DoctorDeps, DoctorInput, DoctorStoredClient } from './doctor-context'

/**
 * Diagnoses one remote MCP server step by step, as an expert would: network (DNS, TCP, TLS,
 * proxy), the MCP endpoint, OAuth discovery and registration, then, with a token, the MCP session
 * itself. Every probe is bounded in time; `onStep` hears each step start (`running`) and end.
 * Never throws for what it finds (a failure is a step); rejects only when `deps.signal` aborts.
 */
export async function runDoctor(input: DoctorInput, deps: DoctorDeps = {}, onStep?: (step: DoctorStep) => void): Promise<DoctorReport> {
  const clock = deps.clock ?? systemClock
  const startedAt = clock.now()
  const url = parseTarget(input.url)
  const findings: DoctorFindings = {}
  const context: DoctorContext = {
    input,
    url,
    fetch: clockWatchingFetch(deps.fetch ?? deps.network?.fetch ?? fetch, clock, findings),
    bounds: { ...defaultDoctorBounds, ...deps.bounds },
    clock,
    env: deps.env ?? process.env,
    deps,
    findings,
    redirectUri: input.redirectUri ?? defaultRedirectUri,
  }
  const proxy = proxyFor(context)
  if (proxy) findings.proxy = proxy
  // Whatever a server echoes, the token and the configured header values never reach a report.
  const secrets = new SecretValues()
  for (const value of Object.values(input.headers ?? {})) secrets.addHeaderValue(value)
  const scrubbed = (step: DoctorStep): DoctorStep => {
    secrets.add(findings.token?.accessToken)
    return scrubStep(step, secrets)
  }
  const tellScrubbed = onStep ? (step: DoctorStep): void => onStep(scrubbed(step)) : undefined
  const steps: DoctorStep[] = []
  try {
    for (const probe of doctorProbes) {
      deps.signal?.throwIfAborted()
      const step = await runProbe(probe, context, deps.signal, tellScrubbed)
      if (step) steps.push(scrubbed(step))
    }
  } finally {
    if (findings.sessionId) await closeSession(context, findings.sessionId, findings.token?.accessToken)
  }
  const diagnoses = [...new Set(steps.flatMap((step) => (step.diagnosis ? [step.diagnosis] : [])))]
  return {
    target: input.target ?? input.server ?? input.url,
    ...(input.server ? { server: input.server } : {}),
    url: url.href,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Math.max(0, clock.now() - startedAt),
    healthy: steps.every((step) => step.status !== 'fail'),
    steps,
    diagnoses,
  }
}

/**
 * The fetch every probe uses: it notes the server's clock from each answer's `Date` header
 * (RFC 9110 §6.6.1), for the clock-skew check.
 */
function clockWatchingFetch(inner: typeof fetch, clock: Clock, findings: DoctorFindings): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init)
    const date = Date.parse(response.headers.get('date') ?? '')
    // The header has whole seconds: half a second is the best guess at when it was written.
    if (!Number.isNaN(date)) findings.clockOffsetMs = date + 500 - clock.now()
    return response
  }
}

function scrubStep(step: DoctorStep, secrets: SecretValues): DoctorStep {
  const clean = (text: string): string => redactText(text, secrets)
  return {
    ...step,
    summary: clean(step.summary),
    ...(step.evidence ? { evidence: step.evidence.map(clean) } : {}),
    ...(step.fix ? { fix: { ...step.fix, text: clean(step.fix.text) } } : {}),
  }
}

function parseTarget(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TrayError('doctor_bad_url', `"${raw}" is not a URL.`, { hint: 'Give the server’s full address, e.g. https://example.com/mcp, or a server name from `mcp-tray list`.' })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TrayError('doctor_bad_url', `${url.protocol} is not an address MCP Tray can reach.`, { hint: 'Remote MCP servers are reached over https:// (or http:// on this machine).' })
  }
  return url
}

/**
 * Runs one probe within its bound: its signal aborts at the bound, and the runner stops waiting
 * then even if the probe ignores the signal, so no probe can hold the run.
 */
async function runProbe(
  probe: Probe,
  context: DoctorContext,
  runSignal: AbortSignal | undefined,
  onStep: ((step: DoctorStep) => void) | undefined,
): Promise<DoctorStep | undefined> {
  if (probe.applies && !probe.applies(context)) return undefined
  if (probe.needsReach && context.findings.blocked) {
    const skipped: DoctorStep = { id: probe.id, title: probe.title, status: 'skip', summary: `Skipped: ${context.findings.blocked}.` }
    tell(onStep, skipped)
    return skipped
  }
  const bound = probe.bound(context)
  const timeout = new AbortController()
  const signal = runSignal ? AbortSignal.any([runSignal, timeout.signal]) : timeout.signal
  const started = performance.now()
  tell(onStep, { id: probe.id, title: probe.title, status: 'running', summary: `${probe.title}…` })
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      timeout.abort(new TrayError('doctor_probe_timeout', `${probe.title} took longer than ${describeMs(bound)}.`))
      resolve('timeout')
    }, bound)
  })
  let outcome: ProbeOutcome
  try {
    const result = await Promise.race([probe.run(context, signal), timedOut])
    outcome = result === 'timeout' ? timedOutOutcome(probe, context, bound) : result
  } catch (error) {
    runSignal?.throwIfAborted()
    outcome = timeout.signal.aborted ? timedOutOutcome(probe, context, bound) : crashed(error)
  } finally {
    clearTimeout(timer)
  }
  const step: DoctorStep = { id: probe.id, title: probe.title, durationMs: Math.round(performance.now() - started), ...outcome }
  tell(onStep, step)
  return step
}

function timedOutOutcome(probe: Probe, context: DoctorContext, bound: number): ProbeOutcome {
  return probe.timedOut?.(context, bound) ?? { status: 'fail', summary: `No answer within ${describeMs(bound)}.`, diagnosis: 'no-answer' }
}

/** A probe that threw: a bug or a surprise, shown as it is rather than lost. */
function crashed(error: unknown): ProbeOutcome {
  return { status: 'fail', summary: `The check itself failed: ${error instanceof Error ? error.message : String(error)}` }
}

function tell(onStep: ((step: DoctorStep) => void) | undefined, step: DoctorStep): void {
  try {
    onStep?.(step)
  } catch {
    // A listener that throws must not stop the diagnosis.
  }
}
