import { describe, expect, it } from 'vitest'
import { followSignIn } from '../../fixtures/remote-server/sign-in'
import { recordingBrowser, serverEntry, testEngine, useFixtureServers } from './engine-harness'

const fixture = useFixtureServers()

/** The fixture's own sign-in pages, then the callback page the browser ends on. */
function pageRecordingBrowser(): { browser: ReturnType<typeof recordingBrowser>; page: Promise<{ status: number; text: string }> } {
  let deliver!: (page: { status: number; text: string }) => void
  const page = new Promise<{ status: number; text: string }>((resolve) => (deliver = resolve))
  const browser = recordingBrowser((url) => {
    // Like a real browser, the page is not awaited by whoever opened it.
    void followSignIn(url, { timeoutMs: 20_000 }).then(deliver, (error: unknown) => deliver({ status: 0, text: String(error) }))
  })
  return { browser, page }
}

describe('the callback page after a sign-in against the fixture', () => {
  it('says "Signed in" once the code exchange worked', async () => {
    const server = await fixture()
    const { browser, page } = pageRecordingBrowser()
    const engine = await testEngine({ browser })
    expect((await engine.signIn.run(serverEntry(server.mcpUrl))).status.state).toBe('signed-in')
    const shown = await page
    expect(shown.status).toBe(200)
    expect(shown.text).toContain('You are signed in to fixture.')
  })

  it('shows the authorization server\'s refusal of the code exchange in words, not "Signed in"', async () => {
    const server = await fixture()
    const { browser, page } = pageRecordingBrowser()
    // The exchange goes to the real authorization server with a verifier that does not match: it refuses.
    const tampering: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      if (request.method === 'POST' && request.url.endsWith('/token')) {
        const form = new URLSearchParams(await request.text())
        form.set('code_verifier', 'x'.repeat(43))
        return fetch(request.url, { method: 'POST', headers: request.headers, body: form.toString() })
      }
      return fetch(input, init)
    }
    const engine = await testEngine({ browser, fetch: tampering })
    await expect(engine.signIn.run(serverEntry(server.mcpUrl))).rejects.toMatchObject({ code: 'invalid_grant' })
    const shown = await page
    expect(shown.status).toBe(400)
    expect(shown.text).toContain('Sign-in failed')
    expect(shown.text).toMatch(/Exchanging the sign-in code for tokens failed\. The server said: [^<]+\. Sign in again\./)
    expect(shown.text).not.toContain('Signed in')
  })
})
