import { setTimeout as sleep } from 'node:timers/promises'
import { TrayError } from '../../../shared/tray-error'

type Message = Record<string, unknown>

export interface InputRoundsLimits {
  /** Rounds of input one request may ask for (default 8). */
  readonly maxRounds: number
  /** How long all rounds of one request may take, the person's answers included (default 10 min). */
  readonly maxMs: number
}

const defaults: InputRoundsLimits = { maxRounds: 8, maxMs: 10 * 60_000 }

/** The pause before retrying a result that carried only `requestState` (the server is shedding load). */
const stateOnlyPauseMs = 250

export interface InputRoundsOptions {
  /** The client's params of the request. */
  readonly original: Message
  /** Sends the request with these params (a fresh id after the first) and returns the server's answer. */
  readonly leg: (params: Message, first: boolean) => Promise<Message>
  /** Puts one embedded request to the client (`elicitation/create`, `sampling/createMessage`, `roots/list`); resolves with its answer. */
  readonly ask: (request: { method: string; params: unknown }) => Promise<Message>
  readonly limits?: Partial<InputRoundsLimits> | undefined
  readonly signal: AbortSignal
}

/**
 * MCP 2026-07-28 multi round-trip requests (SEP-2322): while the server answers `input_required`,
 * ask the client each embedded request as the request of the initialize-based revisions it is,
 * then send the original request again with `inputResponses` keyed as asked and `requestState`
 * echoed byte for byte (left out when the server sent none). Returns the final answer: a complete
 * result (a result without `resultType` is complete) or an error.
 */
export async function runInputRounds(options: InputRoundsOptions): Promise<Message> {
  const limits = { ...defaults, ...options.limits }
  const deadline = Date.now() + limits.maxMs
  let answer = await options.leg(options.original, true)
  for (let round = 1; ; round += 1) {
    const result = answer.result as { resultType?: unknown; inputRequests?: unknown; requestState?: unknown } | undefined
    if (!result || result.resultType !== 'input_required') return answer
    if (round > limits.maxRounds) {
      throw new TrayError('input_rounds_exceeded', `The server asked for input ${limits.maxRounds} times for one request; MCP Tray stopped there.`, {
        hint: 'The server keeps asking for more input; report it to its maintainers.',
      })
    }
    const requests = Object.entries(result.inputRequests !== null && typeof result.inputRequests === 'object' ? (result.inputRequests as Record<string, { method?: unknown; params?: unknown }>) : {})
    let responses: Record<string, unknown> | undefined
    if (requests.length > 0) {
      const asked = requests.map(async ([key, request]) => {
        if (typeof request?.method !== 'string') throw new TrayError('input_request_invalid', `The server asked for input "${key}" without a method.`)
        const reply = await withDeadline(options.ask({ method: request.method, params: request.params }), deadline, limits.maxMs)
        if (reply.error !== undefined) {
          const error = reply.error as { message?: unknown }
          throw new TrayError('input_refused', `The client refused the server's ${request.method}: ${String(error.message ?? 'no reason given')}`)
        }
        return [key, reply.result] as const
      })
      responses = Object.fromEntries(await Promise.all(asked))
    } else {
      await sleep(stateOnlyPauseMs, undefined, { signal: options.signal })
    }
    if (Date.now() > deadline) throw roundsTooLong(limits.maxMs)
    answer = await options.leg(
      {
        ...options.original,
        ...(responses === undefined ? {} : { inputResponses: responses }),
        ...(typeof result.requestState === 'string' ? { requestState: result.requestState } : {}),
      },
      false,
    )
  }
}

function roundsTooLong(maxMs: number): TrayError {
  return new TrayError('input_rounds_timeout', `The server's requests for input took longer than ${Math.round(maxMs / 1000)} s in all.`, {
    hint: 'Answer the client’s prompts sooner, or try the request again.',
  })
}

async function withDeadline<T>(work: Promise<T>, deadline: number, maxMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(roundsTooLong(maxMs)), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
