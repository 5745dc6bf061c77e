import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startHub, type RunningHub } from '../../../src/core/hub/hub-runtime'
import type { LogEvent } from '../../../src/shared/log-model'
import { connectThroughProxy, textOf, useFixtureServer } from '../proxy/spawn-proxy'

describe('a failing tool call, relayed by the built proxy to a running hub', () => {
  const fixture = useFixtureServer()
  let home: string | undefined
  let hub: RunningHub | undefined

  afterEach(async () => {
    await hub?.close()
    hub = undefined
    if (home) await rm(home, { recursive: true, force: true })
    home = undefined
  })

  it('is logged as a tool error naming the tool on every row, counted in the status and the diagnostics', async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-toolerror-'))
    // The server needs no sign-in: the hub's token handler (tray-hub.ts) would answer no token, as this one does.
    hub = await startHub({ dataDir: home, handlers: new Map([['token', async () => ({ token: null })]]) })

    const { client, transport } = await connectThroughProxy(fixture.server.mcpUrl, { home })
    const proxyPid = transport.pid
    expect(await client.callTool({ name: 'fail', arguments: {} })).toMatchObject({ isError: true })
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'fine' } }))).toBe('fine')
    await client.close()

    const { logs, status, diagnostics } = hub
    const rows = async (): Promise<readonly LogEvent[]> => (await logs.query({ tool: 'fail' })).events
    await expect.poll(async () => (await rows()).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    const [request, answer] = await rows()
    const server = request!.server
    expect(request).toMatchObject({ direction: 'to-server', kind: 'request', method: 'tools/call', tool: 'fail', outcome: 'sent', pid: proxyPid })
    expect(answer).toMatchObject({ direction: 'to-client', kind: 'response', method: 'tools/call', tool: 'fail', outcome: 'tool-error', id: request!.id, pid: proxyPid })
    expect(answer!.seq).toBeGreaterThan(request!.seq!)
    expect(answer!.latencyMs).toBeGreaterThanOrEqual(0)

    // Filterable: "errors only" shows the tool error and nothing of the call that went well.
    const errors = (await logs.query({ server, errorsOnly: true })).events
    expect(errors.map((e) => [e.tool, e.outcome])).toEqual([['fail', 'tool-error']])
    expect((await logs.query({ server, outcomes: ['ok'], tool: 'echo' })).events).toHaveLength(1)

    // The status counts it as an error, and the server, which answered, is not failing.
    await expect.poll(() => status.get(server).errors, { timeout: 5_000 }).toBe(1)
    expect(status.get(server).state).not.toBe('error')
    expect(status.get(server).lastError).toContain('tools/call fail')

    const totals = diagnostics.query({ server }).totals
    expect(totals).toMatchObject({ errors: 1, toolErrors: 1, timeouts: 0 })
    // initialize, tools/call ×2 (the SDK's client may list tools too).
    expect(totals.requests).toBeGreaterThanOrEqual(3)
    expect(totals.p50Ms).toBeGreaterThanOrEqual(0)
    expect(diagnostics.recentLatencies(server).length).toBeGreaterThanOrEqual(3)
  })
})
