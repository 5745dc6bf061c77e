import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { MessageTooLargeError } from '../../../src/core/proxy/bounded-body'
import { StandaloneStream } from '../../../src/core/proxy/standalone-stream'

type Step = Response | Error | ((headers: Headers) => Response)

/** An SSE body of `chunks` that then fails with `error`, as the bounded body does for a message over the limit. */
function sseThenFail(chunks: string[], error: Error): Response {
  const left = chunks.map((chunk) => new TextEncoder().encode(chunk))
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = left.shift()
      if (chunk) controller.enqueue(chunk)
      else controller.error(error)
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

function sse(chunks: string[]): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

/** A stream whose GETs are answered by `steps` in turn; the last step, 405, ends it. */
function scripted(steps: Step[], options: { baseDelayMs?: number; maxDelayMs?: number } = {}) {
  const seen: { at: number; lastEventId: string | null; session: string | null }[] = []
  const messages: JSONRPCMessage[] = []
  const changes: string[] = []
  const gone: number[] = []
  let ended!: () => void
  const done = new Promise<void>((resolve) => (ended = resolve))
  const stream = new StandaloneStream({
    url: new URL('http://scripted/mcp'),
    fetch: async (_url, init) => {
      const headers = new Headers(init?.headers)
      seen.push({ at: performance.now(), lastEventId: headers.get('last-event-id'), session: headers.get('mcp-session-id') })
      const step = steps.shift() ?? new Response(null, { status: 405 })
      if (steps.length === 0) setTimeout(ended, 20)
      if (step instanceof Error) throw step
      return typeof step === 'function' ? step(headers) : step
    },
    headers: () => ({ 'mcp-session-id': 's1' }),
    onmessage: (message) => messages.push(message),
    onsessiongone: async () => void gone.push(seen.length),
    onchange: (change) => changes.push(change.what),
    baseDelayMs: options.baseDelayMs ?? 5,
    maxDelayMs: options.maxDelayMs ?? 40,
    random: () => 1,
  })
  stream.start()
  return { stream, seen, messages, changes, gone, done }
}

const notification = (n: number) => JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: n } })

describe('StandaloneStream', () => {
  it('reads events split anywhere, honours retry, and resumes with the last event id', async () => {
    const first = `retry: 35\r\nid: e1\r\ndata: ${notification(1)}\r\n\r\n: keep-alive\n\nid: e2\ndata: ${notification(2)}\n\n`
    const cuts = [0, 7, 19, 20, 21, 55, first.length - 1, first.length]
    const chunks = cuts.slice(1).map((end, i) => first.slice(cuts[i], end))
    const run = scripted([sse(chunks), sse([`id: e3\ndata: ${notification(3)}\n\n`]), new Response(null, { status: 405 })])
    await run.done
    expect(run.messages.map((m) => (m as unknown as { params: { data: number } }).params.data)).toEqual([1, 2, 3])
    expect(run.seen.map((s) => s.lastEventId)).toEqual([null, 'e2', 'e3'])
    expect(run.seen.every((s) => s.session === 's1')).toBe(true)
    expect(run.seen[1]!.at - run.seen[0]!.at).toBeGreaterThanOrEqual(30)
    expect(run.stream.stopped).toBe(false) // 405 ends the loop without anyone stopping it
  })

  it('caps a server’s retry at the longest wait it allows itself', async () => {
    const run = scripted([sse([`retry: 3600000\ndata: ${notification(1)}\n\n`]), sse([`data: ${notification(2)}\n\n`]), new Response(null, { status: 405 })])
    await run.done
    expect(run.messages).toHaveLength(2)
    expect(run.seen[1]!.at - run.seen[0]!.at).toBeLessThan(40 + 30)
  })

  it('keeps trying through failures with capped backoff, says once that it lost the stream and once that it is back', async () => {
    const refused = () => new Error('connection refused')
    const run = scripted([refused(), refused(), new Response(null, { status: 503 }), refused(), refused(), refused(), sse([`data: ${notification(1)}\n\n`]), new Response(null, { status: 405 })], {
      baseDelayMs: 10,
      maxDelayMs: 40,
    })
    await run.done
    const gaps = run.seen.slice(1).map((s, i) => s.at - run.seen[i]!.at)
    expect(gaps.slice(0, 6).every((gap) => gap >= 9)).toBe(true)
    expect(Math.max(...gaps)).toBeLessThan(40 + 30)
    expect(gaps[4]!).toBeGreaterThan(gaps[0]! * 2)
    expect(run.changes).toEqual(['lost', 'back'])
    expect(run.messages).toHaveLength(1)
  })

  it('backs off from a stream cut off for a message over the size limit, though it delivered one before it', async () => {
    const tooLarge = () => sseThenFail([`id: e1\ndata: ${notification(1)}\n\ndata: xxxx`], new MessageTooLargeError(1024))
    const run = scripted([tooLarge(), tooLarge(), tooLarge(), tooLarge(), new Response(null, { status: 405 })], { baseDelayMs: 10, maxDelayMs: 200 })
    await run.done
    const gaps = run.seen.slice(1).map((s, i) => s.at - run.seen[i]!.at)
    expect(gaps[3]!).toBeGreaterThan(gaps[0]! * 2)
    expect(run.changes[0]).toBe('lost')
    expect(run.messages).toHaveLength(4)
  })

  it('takes a 404 to the very first GET as no stream offered, and a later one as the session gone', async () => {
    const never = scripted([new Response(null, { status: 404 })])
    await never.done
    expect(never.seen).toHaveLength(1)
    expect(never.gone).toEqual([])

    const later = scripted([new Response(null, { status: 503 }), new Response(null, { status: 404 }), new Response(null, { status: 405 })])
    await later.done
    expect(later.seen).toHaveLength(3)
    expect(later.gone).toEqual([2])
  })

  it('starts afresh when the server cannot resume from the last event, and stops at once when told to', async () => {
    const run = scripted([sse([`id: gone\ndata: ${notification(1)}\n\n`]), new Response('{}', { status: 400 }), sse([': nothing\n\n']), new Response(null, { status: 405 })])
    await run.done
    expect(run.seen.map((s) => s.lastEventId)).toEqual([null, 'gone', null, null])

    let calls = 0
    const stopped = new StandaloneStream({
      url: new URL('http://scripted/mcp'),
      fetch: async () => (calls++, new Response(null, { status: 503 })),
      headers: () => ({}),
      onmessage: () => {},
      onsessiongone: async () => {},
      onchange: () => {},
      baseDelayMs: 10_000,
    })
    stopped.start()
    await new Promise((resolve) => setTimeout(resolve, 20))
    stopped.stop()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(calls).toBe(1)
    expect(stopped.stopped).toBe(true)
  })
})
