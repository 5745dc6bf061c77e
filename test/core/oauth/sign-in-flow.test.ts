import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server'
import { initializeWith, readAllFiles, serverEntry, testEngine } from './engine-harness'

describe('SignInFlow against the fixture (oidc-provider)', () => {
  let server: RemoteServer
  beforeAll(async () => {
    server = await startRemoteServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('signs in through BROWSER, stores tokens encrypted and uses them', async () => {
    const engine = await testEngine()
    const before = server.knobs.tokenRequests().length
    const result = await engine.signIn.run(serverEntry(server.mcpUrl))
    expect(result.status).toMatchObject({ state: 'signed-in', issuer: server.issuer })
    expect(result.status.scopes).toContain('mcp:tools')
    expect(result.status.expiresAt).toBeGreaterThan(Date.now())
    expect(result.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/)
    expect(server.knobs.tokenRequests().length - before).toBe(1)
    await expect(fetch(result.redirectUri)).rejects.toThrow() // the callback is bound only while a flow waits

    const token = await engine.tokens.getAccessToken('fixture')
    expect((await initializeWith(server.mcpUrl, token)).status).toBe(200)

    const record = await engine.vault.get<{ tokens: { accessToken: string; refreshToken?: string } }>('server:fixture')
    const secrets = [record!.tokens.accessToken, record!.tokens.refreshToken!]
    expect(secrets[1]).toBeTruthy()
    for (const file of await readAllFiles(engine.dataDir)) {
      for (const secret of secrets) expect(file.content.includes(secret), `${file.path} holds a token`).toBe(false)
    }
    const status = await engine.tokens.status('fixture')
    expect(JSON.stringify(status)).not.toContain(secrets[0])
  })

  it('tells every progress listener how it goes, and a listener that throws costs neither the sign-in nor the others', async () => {
    const engine = await testEngine()
    engine.signIn.onProgress(() => {
      throw new Error('a listener gone wrong')
    })
    const heard: [string, string][] = []
    const stop = engine.signIn.onProgress((message, server) => heard.push([server, message]))
    expect((await engine.signIn.run(serverEntry(server.mcpUrl))).status.state).toBe('signed-in')
    expect(heard.map(([name]) => name)).toEqual(heard.map(() => 'fixture'))
    expect(heard.map(([, message]) => message)).toEqual([expect.stringContaining('If no browser opens, visit:'), 'Signed in to fixture.'])
    stop()
    expect((await engine.signIn.run(serverEntry(server.mcpUrl))).status.state).toBe('signed-in')
    expect(heard).toHaveLength(2)
  })
})
