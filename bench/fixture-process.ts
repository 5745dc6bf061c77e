import { startRemoteServer } from '../test/fixtures/remote-server/index'

/**
 * Runs the fixture MCP server (sign-in off) in a process of its own and prints its URL as one JSON
 * line; it stops when its stdin closes. See fixture.ts for why it is not started in the bench's own process.
 */
const server = await startRemoteServer({ authRequired: false })
process.stdout.write(`${JSON.stringify({ mcpUrl: server.mcpUrl })}\n`)
process.stdin.resume()
process.stdin.once('end', () => {
  void server.close().then(() => process.exit(0))
})
