import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { explainFailure } from '../../../src/core/doctor/explain-failure'
import { refreshTokens, clientConfiguration } from '../../../src/core/oauth/tokens'
import { TrayError } from '../../../src/shared/tray-error'
import { startRemoteServer } from '../../fixtures/remote-server'
import { recordingBrowser, serverEntry, testEngine } from '../oauth/engine-harness'

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('the words every surface uses', () => {
  it('a refresh against an authorization server that is down says so, not "The server said: fetch failed"', async () => {
    const port = await closedPort()
    const issuer = `http://127.0.0.1:${port}`
    const config = clientConfiguration({ issuer, token_endpoint: `${issuer}/token` }, { clientId: 'c', tokenEndpointAuthMethod: 'none' })
    const error = await refreshTokens(config, { accessToken: 'a', refreshToken: 'r', tokenType: 'bearer' }, 'http://127.0.0.1/mcp', Date.now()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TrayError)
    expect((error as TrayError).message).toBe(`Refreshing the access token failed. Nothing answers at 127.0.0.1:${port}: the connection was refused.`)
    expect((error as TrayError).hint).toMatch(/server is down/)
  })

  it('login to a server that is down: nothing answers there', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`
    const engine = await testEngine({ browser: recordingBrowser(() => undefined) })
    const failure = await engine.signIn.run(serverEntry(url, { name: 'work' })).catch((e: unknown) => e)
    const explained = await explainFailure(failure, { server: 'work', url })
    expect(explained.message).toMatch(/^Nothing answers at 127\.0\.0\.1:\d+: the connection was refused\.$/)
    expect(explained.hint).toContain('mcp-tray doctor work')
  })

  it('login to the wrong path: no MCP endpoint there, and the one that is, not "refused dynamic registration"', async () => {
    const server = await startRemoteServer()
    try {
      const url = `${server.origin}/`
      const engine = await testEngine({ browser: recordingBrowser(() => undefined) })
      const failure = await engine.signIn.run(serverEntry(url, { name: 'work' })).catch((e: unknown) => e)
      // What the sign-in alone concludes from a 404 at the guessed /register.
      expect(failure).toMatchObject({ code: 'registration_failed' })
      const explained = await explainFailure(failure, { server: 'work', url })
      expect(explained.code).toBe('not_mcp_endpoint')
      expect(explained.message).toBe(`There is no MCP endpoint at ${url} (it answers with HTTP 404); ${server.mcpUrl} is one.`)
      expect(explained.hint).toBe(`Use ${server.mcpUrl} as the server’s URL. For a step-by-step diagnosis, run \`mcp-tray doctor work\`.`)
    } finally {
      await server.close()
    }
  })

  it('keeps the words of a failure a second look cannot improve, without looking', async () => {
    const error = new TrayError('sign_in_wait_stopped', 'Stopped waiting for the sign-in to work.', { hint: 'MCP Tray keeps the sign-in open.' })
    const started = performance.now()
    const explained = await explainFailure(error, { server: 'work', url: `http://127.0.0.1:${await closedPort()}/mcp` })
    expect(explained).toMatchObject({ code: 'sign_in_wait_stopped', message: 'Stopped waiting for the sign-in to work.', hint: 'MCP Tray keeps the sign-in open.' })
    expect(performance.now() - started).toBeLessThan(100)
  })

  it('reads a failure the hub passed on as words only ("fetch failed") by looking again', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`
    const explained = await explainFailure(new TrayError('hub_internal', 'fetch failed'), { server: 'work', url })
    expect(explained.message).toMatch(/^Nothing answers at 127\.0\.0\.1:\d+/)
  })
})
