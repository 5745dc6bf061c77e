import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { expect } from 'vitest'

/** The text of a tool result's content blocks. */
export function textOf(result: unknown): string {
  const content = (result as { content: { type: string; text: string }[] }).content
  return content.map((c) => c.text).join('')
}

/**
 * Checks everything the fixture server offers through `client`: each plain tool, the resource and
 * the prompt. Used directly against the fixture and again through the proxy, which must change nothing.
 */
export async function expectFixtureSurface(client: Client, bigBytes: number): Promise<void> {
  const { tools } = await client.listTools()
  expect(tools.map((t) => t.name).sort()).toEqual(['add', 'ask', 'big', 'echo', 'fail', 'notify', 'sample', 'slow', 'whoami'])
  expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi')
  expect(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).toMatchObject({ structuredContent: { sum: 5 } })
  expect(textOf(await client.callTool({ name: 'big', arguments: { bytes: bigBytes } }))).toHaveLength(bigBytes)
  expect(await client.callTool({ name: 'fail', arguments: {} })).toMatchObject({ isError: true })
  expect(await client.callTool({ name: 'whoami', arguments: {} })).toMatchObject({ structuredContent: { subject: null } })
  const resource = await client.readResource({ uri: 'fixture://readme' })
  expect(resource.contents[0]).toMatchObject({ text: expect.stringContaining('fixture') })
  const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } })
  expect(JSON.stringify(prompt.messages)).toContain('Ada')
}
