import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runProcess } from '../../support/run-process'
import { builtCli, initializeLine, spawnRawProxy, tempHome } from './spawn-proxy'

/** A proxy that cannot start tells the client why, in the answer to its requests, instead of vanishing. */
describe('a proxy that cannot start', () => {
  it('answers every request with what is wrong and what to do, and exits with 1 when stdin closes', async () => {
    const proxy = spawnRawProxy('nosuch')
    proxy.child.stdin.write(initializeLine)
    const answer = JSON.parse(await proxy.nextLine())
    expect(answer).toMatchObject({ id: 1, error: { code: -32000, data: { code: 'server_not_found' } } })
    expect(answer.error.message).toMatch(/could not start the connection to nosuch: No server named "nosuch"\. Run `mcp-tray list`/)
    proxy.child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n')
    expect(JSON.parse(await proxy.nextLine())).toMatchObject({ id: 2, error: { data: { code: 'server_not_found' } } })
    proxy.child.stdin.end()
    expect(await proxy.exited).toBe(1)
  })

  it('refuses a timeout too long for a timer, which would time out every request at once', async () => {
    const result = await runProcess(process.execPath, [builtCli, 'proxy', 'nosuch', '--timeout', '9999999999'], { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: tempHome() })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('at most 86400000 (a day)')
  })

  it('says the server list cannot be read, and leaves the file as it was', async () => {
    const home = tempHome()
    await writeFile(join(home, 'registry.json'), '{"servers": [')
    const proxy = spawnRawProxy('https://mcp.example.com/mcp', home)
    proxy.child.stdin.write(initializeLine)
    const answer = JSON.parse(await proxy.nextLine())
    expect(answer).toMatchObject({ id: 1, error: { data: { code: 'registry_unreadable' } } })
    expect(answer.error.message).toMatch(/server list .*registry\.json.* cannot be read.*left untouched/)
    proxy.child.stdin.end()
    expect(await proxy.exited).toBe(1)
    expect(await readFile(join(home, 'registry.json'), 'utf8')).toBe('{"servers": [')
  })
})
