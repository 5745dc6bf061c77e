import { describe, expect, it } from 'vitest'
import { answerWatch, EndedWithoutAnswerError, watchedResponse, type AnswerListener } from '../../../src/core/proxy/answer-watch'
import { ConnectionLostError, MessageTooLargeError } from '../../../src/core/proxy/bounded-body'

/** An SSE body of `chunks`, then its end, or `failure` once they were read. */
function sse(chunks: readonly string[], failure?: Error): Response {
  const left = [...chunks]
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = left.shift()
      if (chunk !== undefined) controller.enqueue(new TextEncoder().encode(chunk))
      else if (failure) controller.error(failure)
      else controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

/** Reads `response` through a watch; says what the relay heard, and what the reader got. */
async function watch(response: Response, stopped = new AbortController().signal): Promise<{ lost?: Error; broken?: Error; text: string; settled: boolean }> {
  const heard: { lost?: Error } = {}
  const listener: AnswerListener = { onlost: (error) => (heard.lost = error) }
  let settled = false
  const watcher = answerWatch({ listener, stopped, onsettled: () => (settled = true) })
  const watched = watchedResponse(response, watcher)
  watcher.arm()
  const text = await watched.text()
  await new Promise((resolve) => setImmediate(resolve))
  return { ...heard, ...(listener.broken ? { broken: listener.broken } : {}), text, settled }
}

describe('answerWatch', () => {
  it('tells a stream the SDK resumes (an event with an id and data) from one it does not', async () => {
    const resumable = [['id: 1\ndata:\n\n'], ['i', 'd', ': 9\n', 'data', '\n\n'], ['\r\nid: 4\r\ndata: a\r\n\r\n'], ['id: 4\rdata: a\r\r'], ['id:  \ndata:1\n\n']]
    const not = [['data: x\n\n'], ['id:\ndata: x\n\n'], ['id: \ndata: x\n\n'], ['data: id: 5\n\n'], ['event: x\nid:7\n\n'], ['idx: 3\ndata: 1\n\n'], ['id: \0\ndata: 1\n\n'], ['id: 4\ndata: a\n']]
    for (const chunks of resumable) expect((await watch(sse(chunks))).lost, JSON.stringify(chunks)).toBeUndefined()
    for (const chunks of not) expect((await watch(sse(chunks))).lost, JSON.stringify(chunks)).toBeInstanceOf(EndedWithoutAnswerError)
  })

  it('ends a broken stream as if closed, after what came before: lost at once without ids, left to the resume with them', async () => {
    const cut = new ConnectionLostError(new Error('aborted'))
    const plain = await watch(sse(['data: {"a":1}\n\n'], cut))
    expect(plain).toMatchObject({ text: 'data: {"a":1}\n\n', lost: cut, settled: true })
    const resumable = await watch(sse(['id: 1\ndata: {}\n\n'], cut))
    expect(resumable).toMatchObject({ broken: cut, settled: true })
    expect(resumable.lost).toBeUndefined()
  })

  it('reports a message over the limit at once, and says nothing of a stream it stopped itself', async () => {
    const tooLarge = new MessageTooLargeError(1024)
    expect((await watch(sse(['id: 1\ndata: {}\n\n'], tooLarge))).lost).toBe(tooLarge)
    const stopped = new AbortController()
    stopped.abort()
    expect((await watch(sse(['data: x'], new Error('stopped')), stopped.signal)).lost).toBeUndefined()
  })

  it('leaves a JSON body’s failure to its reader', async () => {
    const body = new ReadableStream<Uint8Array>({ start: (controller) => controller.error(new ConnectionLostError(new Error('reset'))) })
    const watcher = answerWatch({ listener: {}, stopped: new AbortController().signal, onsettled: () => undefined })
    const watched = watchedResponse(new Response(body, { headers: { 'content-type': 'application/json' } }), watcher)
    await expect(watched.json()).rejects.toBeInstanceOf(ConnectionLostError)
  })
})
