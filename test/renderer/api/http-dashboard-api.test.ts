import { describe, expect, it } from 'vitest'
import { createHttpDashboardApi } from '../../../src/renderer/src/api/http-dashboard-api'
import { TrayError } from '../../../src/shared/tray-error'

interface Sent {
  readonly url: string
  readonly init: RequestInit | undefined
}

function fakeFetch(answer: () => Response | Promise<Response>) {
  const sent: Sent[] = []
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), init })
    return answer()
  }
  return { sent, fetch: fetch as typeof globalThis.fetch }
}

async function failureOf(promise: Promise<unknown>): Promise<TrayError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(TrayError)
  return error as TrayError
}

describe('createHttpDashboardApi', () => {
  it('posts the arguments as JSON to /api/<method> and returns the JSON result', async () => {
    const info = { name: 'MCP Tray', version: '1.2.3', shell: 'headless' }
    const { sent, fetch } = fakeFetch(() => Response.json(info))
    const api = createHttpDashboardApi({ fetch, baseUrl: 'http://127.0.0.1:4000' })
    await expect(api.getAppInfo()).resolves.toEqual(info)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.url).toBe('http://127.0.0.1:4000/api/getAppInfo')
    expect(sent[0]!.init?.method).toBe('POST')
    expect(new Headers(sent[0]!.init?.headers).get('content-type')).toBe('application/json')
    expect(sent[0]!.init?.body).toBe('[]')
  })

  it('uses the page origin when no base URL is given', async () => {
    const { sent, fetch } = fakeFetch(() => Response.json({}))
    await createHttpDashboardApi({ fetch }).getAppInfo()
    expect(sent[0]!.url).toBe('/api/getAppInfo')
  })

  it('rethrows the TrayError the hub reports', async () => {
    const { fetch } = fakeFetch(() => Response.json({ code: 'hub_busy', message: 'Busy.', hint: 'Wait.' }, { status: 503 }))
    const error = await failureOf(createHttpDashboardApi({ fetch }).getAppInfo())
    expect([error.code, error.message, error.hint]).toEqual(['hub_busy', 'Busy.', 'Wait.'])
  })

  it('names the status when a failure carries no error body', async () => {
    const { fetch } = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 }))
    const error = await failureOf(createHttpDashboardApi({ fetch }).getAppInfo())
    expect(error.code).toBe('dashboard_http_status')
    expect(error.message).toContain('HTTP 502')
  })

  it('refuses a success that is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('ok'))
    expect((await failureOf(createHttpDashboardApi({ fetch }).getAppInfo())).code).toBe('dashboard_bad_response')
  })

  it('says the hub is unreachable when the request itself fails', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')))
    const error = await failureOf(createHttpDashboardApi({ fetch }).getAppInfo())
    expect(error.code).toBe('dashboard_unreachable')
    expect(error.cause).toBeInstanceOf(TypeError)
    expect(error.hint).toContain('mcp-tray serve')
  })
})
