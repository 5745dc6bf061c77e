import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientConfigs } from '../../../src/core/clients/client-configs'
import { overrideVariable } from '../../../src/core/clients/client-kinds'
import { proxiedServer } from '../../../src/core/clients/entry-builder'
import { JsoncDocument } from '../../../src/core/clients/jsonc-document'
import { mcpRemoteArguments, mcpRemoteDefaultPort, readMcpRemoteSettings } from '../../../src/core/clients/mcp-remote-args'
import { migrateMcpRemote, registryName } from '../../../src/core/clients/mcp-remote-migration'
import type { DirectoryServer, ServerDirectory } from '../../../src/core/clients/server-directory'
import { tempFolder, testLaunch } from './support/temp-files'

const noFiles = async (path: string): Promise<string> => {
  throw new Error(`unexpected read of ${path}`)
}

describe('mcpRemoteArguments', () => {
  it('finds mcp-remote launched through npx, npm exec, pnpm dlx, cmd /c, node or directly', () => {
    expect(mcpRemoteArguments({ command: 'npx', args: ['-y', 'mcp-remote@latest', 'https://a.example/mcp'] })).toEqual(['https://a.example/mcp'])
    expect(mcpRemoteArguments({ command: 'C:\\Program Files\\nodejs\\npx.cmd', args: ['mcp-remote', 'https://a.example/sse'] })).toEqual(['https://a.example/sse'])
    expect(mcpRemoteArguments({ command: 'npx', args: ['-p', 'mcp-remote@0.1.29', 'mcp-remote', 'https://a'] })).toEqual(['https://a'])
    expect(mcpRemoteArguments({ command: 'npm', args: ['exec', '--', 'mcp-remote', 'https://a'] })).toEqual(['https://a'])
    expect(mcpRemoteArguments({ command: 'pnpm', args: ['dlx', 'mcp-remote', 'https://a'] })).toEqual(['https://a'])
    expect(mcpRemoteArguments({ command: 'cmd', args: ['/c', 'npx', '-y', 'mcp-remote', 'https://a'] })).toEqual(['https://a'])
    expect(mcpRemoteArguments({ command: '/opt/homebrew/bin/mcp-remote', args: ['https://a', '9696'] })).toEqual(['https://a', '9696'])
    expect(mcpRemoteArguments({ command: 'node', args: ['/usr/lib/node_modules/mcp-remote/dist/proxy.js', 'https://a'] })).toEqual(['https://a'])
  })

  it('leaves other entries alone', () => {
    expect(mcpRemoteArguments({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] })).toBeUndefined()
    expect(mcpRemoteArguments({ command: 'npx', args: ['mcp-remote-fork', 'https://a'] })).toBeUndefined()
    expect(mcpRemoteArguments({ command: 'node', args: ['/srv/my-server.js'] })).toBeUndefined()
    expect(mcpRemoteArguments({ url: 'https://a' })).toBeUndefined()
    expect(mcpRemoteArguments('npx mcp-remote https://a')).toBeUndefined()
  })
})

describe('readMcpRemoteSettings', () => {
  it('takes the URL, headers (with ${VAR} from the entry env) and the static client', async () => {
    const settings = await readMcpRemoteSettings(
      [
        'https://mcp.example.com/sse', '9696', '--header', 'Authorization:${AUTH_HEADER}', '--header', 'X-Team: blue',
        '--static-oauth-client-info', '{"client_id":"pre-registered","client_secret":"${SECRET}"}', '--debug', '--transport', 'sse-only',
      ],
      { AUTH_HEADER: 'Bearer abc def', SECRET: 's3cret' },
      noFiles,
      'linux',
    )
    expect(settings).toEqual({
      url: 'https://mcp.example.com/sse',
      headers: { Authorization: 'Bearer abc def', 'X-Team': 'blue' },
      clientId: 'pre-registered',
      clientSecret: 's3cret',
      scope: undefined,
      // The static client was registered for mcp-remote's redirect: its default host, the port given.
      redirect: { host: 'localhost', port: 9696 },
      derivedPort: undefined,
      dropped: ['--debug', '--transport sse-only'],
      blockers: [],
    })
  })

  it('keeps the redirect URI a static client was registered for: --host, --callback-path, and the port mcp-remote derives when none is given', async () => {
    const args = [
      'https://mcp.example.com/mcp', '--host', '127.0.0.1', '--callback-path', '/auth/done', '--header', 'X-Key: ${KEY}',
      '--static-oauth-client-info', '{"client_id":"admin-made"}', '--static-oauth-client-metadata', '{"scope":"read write","client_name":"Mine"}',
    ]
    const settings = await readMcpRemoteSettings(args, { KEY: 'k' }, noFiles, 'linux')
    const derived = mcpRemoteDefaultPort('https://mcp.example.com/mcp', { 'X-Key': '${KEY}' })
    expect(settings).toMatchObject({
      clientId: 'admin-made',
      scope: 'read write',
      redirect: { host: '127.0.0.1', port: derived, path: '/auth/done' },
      derivedPort: derived,
      dropped: ['client metadata client_name (MCP Tray registers itself)'],
      blockers: [],
    })
    expect(derived).toBeGreaterThanOrEqual(3335)

    const v6 = await readMcpRemoteSettings(['https://a.example/mcp', '4000', '--host', '::1'], {}, noFiles, 'linux')
    expect(v6.redirect).toEqual({ host: '[::1]', port: 4000 })
    // Without a static client nothing pins the port: MCP Tray registers its own redirect URI.
    expect((await readMcpRemoteSettings(['https://a.example/mcp'], {}, noFiles, 'darwin')).redirect).toEqual({ host: 'localhost' })
    expect((await readMcpRemoteSettings(['https://a.example/mcp'], {}, noFiles, 'win32')).redirect).toBeUndefined()
    expect((await readMcpRemoteSettings(['https://a.example/mcp', '--host', '0.0.0.0'], {}, noFiles, 'linux')).blockers).toEqual([
      '--host 0.0.0.0: MCP Tray receives the sign-in redirect on this computer only (127.0.0.1, localhost or [::1])',
    ])
  })

  it('derives the callback port exactly as mcp-remote does', async () => {
    const url = 'https://derive.example.com/mcp'
    const args = [url, '--header', 'Authorization: Bearer ${TOKEN}', '--header', 'A-First: 1', '--static-oauth-client-info', '{"client_id":"c"}']
    const logged = await mcpRemoteLoggedPort(args)
    expect(mcpRemoteDefaultPort(url, { Authorization: 'Bearer ${TOKEN}', 'A-First': '1' })).toBe(logged)
    expect((await readMcpRemoteSettings(args, { TOKEN: 't' }, noFiles, 'linux')).redirect).toEqual({ host: 'localhost', port: logged })
  })

  it('reads header files and client info files from absolute paths', async () => {
    const files: Record<string, string> = {
      '/h/headers.txt': '# team credentials\nAuthorization: Bearer ${TOKEN}\nnot a header\nX-A: 1\n',
      '/h/client.json': '{"client_id": "from-file"}',
    }
    const settings = await readMcpRemoteSettings(
      ['https://a.example/mcp', '--header-file', '/h/headers.txt', '--static-oauth-client-info', '@/h/client.json'],
      { TOKEN: 't' },
      async (path) => files[path] ?? Promise.reject(new Error('ENOENT')),
    )
    expect(settings).toMatchObject({ headers: { Authorization: 'Bearer t', 'X-A': '1' }, clientId: 'from-file', clientSecret: undefined, blockers: [] })
  })

  it('names what it cannot carry over', async () => {
    const blockersOf = async (args: string[], env: Record<string, string> = {}) => (await readMcpRemoteSettings(args, env, noFiles)).blockers
    expect(await blockersOf(['https://a', '--client-credentials'])).toEqual(['--client-credentials is not supported by MCP Tray'])
    expect(await blockersOf(['https://a', '--resource', 'https://tenant'])).toEqual(['--resource is not supported by MCP Tray'])
    expect(await blockersOf(['https://a', '--header', 'Authorization: Bearer ${MISSING}'])).toEqual([
      "header Authorization uses ${MISSING}, which the entry's env does not set",
    ])
    expect(await blockersOf(['https://a', '--header-file', 'headers.txt'])).toEqual(['the header file "headers.txt" is a relative path'])
    expect(await blockersOf(['https://a', '--shiny-new-flag'])).toEqual(['--shiny-new-flag is an option MCP Tray does not know'])
    expect(await blockersOf(['--debug'])).toEqual(['no server URL'])
    expect(await blockersOf(['ftp://a'])).toEqual(['"ftp://a" is not an http(s) URL'])
  })

  it('makes registry names from entry names', () => {
    expect(registryName('Linear MCP (work)')).toBe('Linear-MCP-work-')
    expect(registryName('  ✨ ')).toBe('server')
    expect(registryName('atlassian_tenant1')).toBe('atlassian_tenant1')
  })
})

class MemoryDirectory implements ServerDirectory {
  readonly servers: DirectoryServer[] = []
  async get(name: string) {
    return this.servers.find((s) => s.name === name)
  }
  async add(server: DirectoryServer) {
    const existing = this.servers.find((s) => s.url === server.url)
    if (existing) return { name: existing.name }
    this.servers.push(server)
    return { name: server.name }
  }
}

const claudeFile = `{
  // keep this comment
  "mcpServers": {
    "Linear": {
      "command": "npx",
      "args": ["-y", "mcp-remote", "https://mcp.linear.app/sse", "--header", "Authorization:\${AUTH}"],
      "env": { "AUTH": "Bearer lin_123" }
    },
    "tenant": { "command": "npx", "args": ["mcp-remote", "https://mcp.atlassian.com/v1/sse", "--resource", "https://t1.atlassian.net/"] },
    "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] }
  },
  "preferences": { "menuBarEnabled": true }
}
`
const cursorFile = '{"mcpServers": {"linear-again": {"command": "npx", "args": ["mcp-remote", "https://mcp.linear.app/sse"]}}}'

describe('migrateMcpRemote', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>
  let files: { claude: string; cursor: string }
  let configs: ClientConfigs
  let directory: MemoryDirectory

  beforeEach(async () => {
    folder = await tempFolder()
    files = { claude: join(folder.dir, 'claude', 'claude_desktop_config.json'), cursor: join(folder.dir, 'cursor', 'mcp.json') }
    await mkdir(join(folder.dir, 'claude'))
    await mkdir(join(folder.dir, 'cursor'))
    await writeFile(files.claude, claudeFile)
    await writeFile(files.cursor, cursorFile)
    configs = new ClientConfigs({
      dataDir: join(folder.dir, 'data'),
      launch: testLaunch,
      host: {
        env: { [overrideVariable('claude-desktop')]: files.claude, [overrideVariable('cursor')]: files.cursor },
        platform: process.platform,
        home: join(folder.dir, 'home'),
      },
    })
    directory = new MemoryDirectory()
  })
  afterEach(() => folder.remove())

  it('on a dry run reports the plan without secrets and changes nothing', async () => {
    const report = await migrateMcpRemote(configs, directory, { dryRun: true, clients: ['claude-desktop', 'cursor', 'vscode'] })
    expect(report.outcomes).toEqual([])
    expect(report.candidates.map((c) => [c.client, c.key, c.server, c.url, c.headerNames, c.blockers.length])).toEqual([
      ['claude-desktop', 'Linear', 'Linear', 'https://mcp.linear.app/sse', ['Authorization'], 0],
      ['claude-desktop', 'tenant', 'tenant', 'https://mcp.atlassian.com/v1/sse', [], 1],
      ['cursor', 'linear-again', 'linear-again', 'https://mcp.linear.app/sse', [], 0],
    ])
    expect(JSON.stringify(report)).not.toContain('lin_123')
    expect(await readFile(files.claude, 'utf8')).toBe(claudeFile)
    expect(await readFile(files.cursor, 'utf8')).toBe(cursorFile)
    expect(directory.servers).toEqual([])
  })

  it('imports the servers, replaces the entries under their names, and keeps backups', async () => {
    const report = await migrateMcpRemote(configs, directory, { clients: ['claude-desktop', 'cursor'] })
    expect(report.outcomes.map((o) => [o.candidate.key, o.status, o.status === 'migrated' ? o.server : o.reason])).toEqual([
      ['Linear', 'migrated', 'Linear'],
      ['tenant', 'skipped', '--resource is not supported by MCP Tray'],
      ['linear-again', 'migrated', 'Linear'],
    ])
    expect(directory.servers).toEqual([
      {
        name: 'Linear',
        url: 'https://mcp.linear.app/sse',
        headers: { Authorization: 'Bearer lin_123' },
        // mcp-remote's default callback host, kept (on Windows it is MCP Tray's own, 127.0.0.1)
        ...(process.platform === 'win32' ? {} : { redirect: { host: 'localhost' } }),
      },
    ])

    const claudeText = await readFile(files.claude, 'utf8')
    const claude = JsoncDocument.parse(claudeText, { file: files.claude, label: 'test' }).servers('mcpServers')
    expect([...claude.keys()]).toEqual(['Linear', 'tenant', 'filesystem'])
    expect(proxiedServer(claude.get('Linear'))).toBe('Linear')
    expect(claude.get('tenant')).toMatchObject({ command: 'npx' })
    expect(claudeText).toContain('// keep this comment')
    expect(claudeText).not.toContain('lin_123')

    const migrated = report.outcomes.filter((o) => o.status === 'migrated')
    expect(await readFile(migrated[0]!.backup!, 'utf8')).toBe(claudeFile)
    expect(await readFile(migrated[1]!.backup!, 'utf8')).toBe(cursorFile)
    const cursor = JSON.parse(await readFile(files.cursor, 'utf8')).mcpServers
    expect(proxiedServer(cursor['linear-again'])).toBe('Linear')
    expect((await configs.ledger.records('cursor', files.cursor)).map((r) => [r.key, r.server, r.state])).toEqual([['linear-again', 'Linear', 'installed']])
  })

  it('reports a file that does not parse and leaves it as it is', async () => {
    await writeFile(files.cursor, '{"mcpServers": ')
    const report = await migrateMcpRemote(configs, directory, { clients: ['cursor'] })
    expect(report.unreadable).toEqual([{ client: 'cursor', file: files.cursor, problem: expect.stringMatching(/line 1, column 16\. Nothing was changed\./) }])
    expect(await readFile(files.cursor, 'utf8')).toBe('{"mcpServers": ')
  })

  it('gives a server another name when the directory already uses it for a different URL', async () => {
    directory.servers.push({ name: 'Linear', url: 'https://other.example/mcp' })
    const report = await migrateMcpRemote(configs, directory, { clients: ['claude-desktop'] })
    expect(report.outcomes[0]).toMatchObject({ status: 'migrated', server: 'Linear-2' })
    const claude = JSON.parse((await readFile(files.claude, 'utf8')).replace(/^\s*\/\/.*$/m, '')).mcpServers
    expect(claude.Linear.args.at(-1)).toBe('Linear-2')
  })
})

/** Runs mcp-remote 0.15.1 from node_modules just long enough to read the callback port it derives and logs. */
async function mcpRemoteLoggedPort(args: string[]): Promise<number> {
  const { spawn } = await import('node:child_process')
  const { mkdtemp, rm } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  const configDir = await mkdtemp(join(tmpdir(), 'mcp-remote-'))
  const script = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'mcp-remote', 'dist', 'proxy.js')
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, MCP_REMOTE_CONFIG_DIR: configDir, TOKEN: 't' }, stdio: ['pipe', 'ignore', 'pipe'] })
  try {
    return await new Promise<number>((resolve, reject) => {
      let stderr = ''
      const timer = setTimeout(() => reject(new Error(`mcp-remote said no port within 10 s: ${stderr}`)), 10_000)
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk
        const port = /callback port derived from the server URL: (\d+)/.exec(stderr)?.[1]
        if (port) {
          clearTimeout(timer)
          resolve(Number(port))
        }
      })
      child.once('exit', () => reject(new Error(`mcp-remote exited: ${stderr}`)))
    })
  } finally {
    child.kill()
    await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(undefined)))
    await rm(configDir, { recursive: true, force: true })
  }
}
