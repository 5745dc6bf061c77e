import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DiagnosticsRecorder, feedDiagnostics } from '../../../src/core/diagnostics/diagnostics-recorder'
import { serverEntry, testEngine, useFixtureServers } from '../oauth/engine-harness'

const fixture = useFixtureServers()

describe('sign-ins and token refreshes in the diagnostics', () => {
  const dirs: string[] = []
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('counts one sign-in per flow and one refresh per new token, however many callers shared them', async () => {
    const server = await fixture({ accessTokenTtlSeconds: 300 })
    const engine = await testEngine()
    dirs.push(dirname(engine.dataDir))
    const recorder = new DiagnosticsRecorder()
    const stop = feedDiagnostics(recorder, { tokens: engine.tokens, signIn: engine.signIn })

    const entry = serverEntry(server.mcpUrl)
    await Promise.all([engine.signIn.run(entry), engine.signIn.run(entry), engine.signIn.run(entry)])
    const stale = await engine.tokens.getAccessToken('fixture')
    await Promise.all(Array.from({ length: 5 }, () => engine.tokens.refresh('fixture', stale)))
    // A late caller with the same stale token gets the token already refreshed: no new refresh.
    await engine.tokens.refresh('fixture', stale)

    expect(recorder.query({ server: 'fixture' }).totals).toMatchObject({ signIns: 1, tokenRefreshes: 1, requests: 0 })
    stop()
    await engine.signIn.run(entry)
    expect(recorder.query({ server: 'fixture' }).totals.signIns).toBe(1)
  })
})
