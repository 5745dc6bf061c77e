/**
 * The stdio client of the MCP Tray proxy, as a client of `@modelcontextprotocol/conformance`
 * (client mode): `node --import tsx proxy-driver.ts <server URL>`, with MCP_CONFORMANCE_SCENARIO
 * and MCP_CONFORMANCE_CONTEXT in the environment.
 *
 * It plays Claude Desktop: in a data folder of its own it spawns the built proxy
 * (`node out/cli/index.js proxy <url>`) as a client config entry would, connects the SDK's Client
 * over stdio, initializes, lists the tools and calls each (accepting any form a server asks the
 * person to fill in, with its defaults), then closes stdin and waits for the proxy to exit.
 * The proxy's first 401 starts the hub (`mcp-tray serve --quiet`), which signs in and opens the
 * authorization URL with $BROWSER: here a script that follows the authorization server's redirect
 * to the hub's loopback callback. At the end it stops the hub it caused to start, and any other
 * process still using the data folder, and removes the folder, so no process outlives a scenario.
 *
 * With MCP_TRAY_CONFORMANCE_HOMES set, the data folders are made there and a scenario whose proxy
 * or hub did not stop as it should leaves a `<folder>.problem` file saying so: a test can then
 * require the folder to be empty after a run.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { ElicitRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import { openConfStore } from '../../src/core/registry/registry-store'
import { ServerRegistry } from '../../src/core/registry/server-registry'
import { describeError } from '../../src/shared/tray-error'

/** The built one-file CLI, exactly what a client config entry launches. */
const builtCli = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')
const url = process.argv.at(-1) ?? ''
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? 'unknown scenario'
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as {
  client_id?: string
  client_secret?: string
  /** Calls a scenario asks for, with its arguments (http-custom-headers). */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[]
}
const clientMetadataUrl = 'https://conformance-test.local/client-metadata.json'
const homes = process.env.MCP_TRAY_CONFORMANCE_HOMES
const home = await mkdtemp(join(homes ?? tmpdir(), 'mcp-tray-conformance-'))
const browser = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(import.meta.dirname, 'redirect-browser.mjs'))}`
const env = { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: home, BROWSER: browser }

function log(message: string): void {
  process.stderr.write(`proxy-driver [${scenario}]: ${message}\n`)
}

/** A process that did not stop as it should: logged, and kept beside the data folders for the test. */
const problems: string[] = []
function problem(message: string): void {
  log(message)
  problems.push(`${scenario}: ${message}`)
}

/** What a person sets up before the client launches the proxy: settings and, when given, a pre-registered client. */
async function prepareHome(): Promise<void> {
  // Scenarios run side by side, each with its own hub: let each callback take a free port, as
  // a pinned one (pre-registered client, client metadata document) cannot move off a taken 3334.
  // The address where the client metadata document is published: the one the suite's
  // authorization server knows (auth/basic-cimd), as if MCP Tray's own were configured.
  new ServerRegistry(openConfStore(home)).updateSettings({ callbackPort: 0, signInTimeoutMs: 20_000, clientMetadataUrl })
  if (!context.client_id) return
  const credentials = ['--client-id', context.client_id, ...(context.client_secret ? ['--client-secret', context.client_secret] : [])]
  await promisify(execFile)(process.execPath, [builtCli, 'add', url, ...credentials], { env })
}

/** Arguments a model would pass: each property's default, else a plain value of its type. */
function argumentsFor(tool: Tool): Record<string, unknown> {
  const plain: Record<string, unknown> = { number: 1, integer: 1, string: 'test', boolean: false, array: [], object: {} }
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string; default?: unknown }>
  return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, schema.default ?? plain[schema.type ?? 'string']]))
}

/** The scenario's client part, through the proxy: what Claude Desktop does with a server. */
async function useServerThroughProxy(): Promise<void> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [builtCli, 'proxy', url], env, stderr: 'pipe' })
  transport.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk))
  const client = new Client({ name: 'mcp-tray-conformance', version: '0.1.0' }, { capabilities: { elicitation: { form: { applyDefaults: true } } } })
  // The person accepts the form as offered: the SDK fills in the schema's defaults.
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: {} }))
  try {
    await client.connect(transport)
    const { tools } = await client.listTools()
    for (const tool of tools) {
      const asked = context.toolCalls?.find((call) => call.name === tool.name)?.arguments
      const result = await client.callTool({ name: tool.name, arguments: asked ?? argumentsFor(tool) }).catch((error: unknown) => error)
      if (result instanceof Error) log(`tools/call ${tool.name}: ${result.message}`)
    }
  } finally {
    // Closing ends the proxy's stdin; the SDK sends SIGTERM only when it has not exited 2 s later.
    const started = Date.now()
    await client.close()
    if (Date.now() - started >= 2_000) problem('the proxy did not exit within 2 s of its stdin closing')
  }
}

/** Stops the hub the proxy started for this data folder, if it started one, and waits until it is gone. */
async function stopHub(): Promise<void> {
  const connection = await connectToHub(hubAddressFor(home), 'cli').catch(() => undefined)
  if (!connection) return
  const pid = connection.hubPid
  connection.close()
  const alive = (): boolean => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  process.kill(pid, 'SIGTERM')
  for (let waited = 0; alive() && waited < 5_000; waited += 50) await sleep(50)
  if (alive()) {
    problem(`the hub (pid ${pid}) did not stop on SIGTERM within 5 s`)
    process.kill(pid, 'SIGKILL')
  }
}

/**
 * Any other process still using the data folder (Linux, from /proc): a hub that came up after the
 * proxy had gone, say. Each is a problem, and is stopped so that it does not outlive the run.
 */
async function stopStragglers(): Promise<void> {
  if (process.platform !== 'linux') return
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
    if (!environ.split('\0').includes(`MCP_TRAY_HOME=${home}`)) continue
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim()
    problem(`a process was still using the data folder after the proxy and its hub had stopped: ${pid} ${command}`)
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
}

/** Stops what this scenario started and removes its data folder; once, however it ends. */
let cleaning: Promise<void> | undefined
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await stopHub().catch((error: unknown) => problem(`stopping the hub: ${describeError(error)}`))
    await stopStragglers()
    await rm(home, { recursive: true, force: true })
    if (homes !== undefined && problems.length > 0) await writeFile(join(homes, `${basename(home)}.problem`), `${problems.join('\n')}\n`)
  })()
  return cleaning
}

// Stopped from outside (the runner's timeout, an interrupted test run): still leave nothing behind.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    log(`stopped by ${signal}`)
    void cleanUp().finally(() => process.exit(1))
  })
}

let failed = false
try {
  await prepareHome()
  await useServerThroughProxy()
} catch (error) {
  log(describeError(error))
  failed = true
} finally {
  await cleanUp()
}
process.exit(failed ? 1 : 0)
