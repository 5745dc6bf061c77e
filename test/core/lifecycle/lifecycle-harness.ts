import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clientIds, type ClientId } from '../../../src/shared/client-ids'
import type { ConnectProgress } from '../../../src/shared/connect'
import { ClientConfigs } from '../../../src/core/clients/client-configs'
import { overrideVariable } from '../../../src/core/clients/client-kinds'
import type { RestartOutcome } from '../../../src/core/clients/claude-process'
import { HubSignIns } from '../../../src/core/hub/hub-sign-ins'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'
import type { ClaudeDesktopControl } from '../../../src/core/lifecycle/claude-desktop'
import { createServerLifecycle, type ServerLifecycle } from '../../../src/core/lifecycle/server-lifecycle'
import type { BrowserOpener } from '../../../src/core/oauth/browser-opener'
import { createOAuthEngine, type OAuthEngine } from '../../../src/core/oauth/oauth-engine'
import { openConfStore } from '../../../src/core/registry/registry-store'
import { ServerRegistry } from '../../../src/core/registry/server-registry'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import { followSignIn } from '../../fixtures/remote-server/sign-in'
import { testLaunch } from '../clients/support/temp-files'

/** Claude Desktop as the tests want it: running or not, restartable or not; counts restarts. */
export interface FakeClaudeDesktop extends ClaudeDesktopControl {
  running: boolean
  restarts: number
  outcome: RestartOutcome
}

export function fakeClaudeDesktop(running = false): FakeClaudeDesktop {
  const fake: FakeClaudeDesktop = {
    running,
    restarts: 0,
    outcome: { restarted: true, steps: [], message: 'Claude Desktop was restarted and loads the change now.' },
    isRunning: async () => fake.running,
    restart: async () => {
      fake.restarts += 1
      return fake.outcome
    },
  }
  return fake
}

/** A browser that signs in at once, over HTTP in this process, as the fixture's user. */
export const signingBrowser: BrowserOpener = {
  open: async (url) => void followSignIn(url).catch(() => undefined),
}

/** A browser nobody looks at: the sign-in waits until it times out or is cancelled. */
export const idleBrowser: BrowserOpener = { open: async () => undefined }

/**
 * The hub's parts the lifecycle runs on, in a temporary folder: a data folder, every client's config
 * file (none existing yet), the OAuth engine with a browser the test chooses, and Claude Desktop faked.
 */
export interface LifecycleHarness {
  readonly dir: string
  readonly dataDir: string
  readonly registry: ServerRegistry
  readonly engine: OAuthEngine
  readonly status: ServerStatusBoard
  readonly signIns: HubSignIns
  readonly configs: ClientConfigs
  readonly claude: FakeClaudeDesktop
  readonly lifecycle: ServerLifecycle
  /** Every progress a connect reported, in order. */
  readonly progress: ConnectProgress[]
  clientFile(client: ClientId): string
  close(): Promise<void>
}

export async function lifecycleHarness(options: { browser?: BrowserOpener; signInTimeoutMs?: number } = {}): Promise<LifecycleHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp tray lifecycle-'))
  const dataDir = join(dir, 'data')
  await mkdir(dataDir, { mode: 0o700 })
  const clientFile = (client: ClientId) => join(dir, 'clients', `${client}.json`)
  const registry = new ServerRegistry(openConfStore(dataDir))
  const engine = createOAuthEngine({
    dataDir,
    cipher: await AesGcmFileCipher.open(dataDir),
    browser: options.browser ?? signingBrowser,
    settings: { callbackPort: 0, signInTimeoutMs: options.signInTimeoutMs ?? 20_000 },
  })
  const status = new ServerStatusBoard({ knownServers: () => registry.list().map((s) => s.name) })
  const signIns = new HubSignIns(engine.signIn)
  const env = Object.fromEntries(clientIds.map((client) => [overrideVariable(client), clientFile(client)]))
  const configs = new ClientConfigs({ dataDir, launch: testLaunch, host: { env, platform: process.platform, home: dir } })
  const claude = fakeClaudeDesktop()
  const lifecycle = createServerLifecycle({ registry, engine, signIns, status, configs: () => configs, claudeDesktop: claude })
  const progress: ConnectProgress[] = []
  return {
    dir,
    dataDir,
    registry,
    engine,
    status,
    signIns,
    configs,
    claude,
    progress,
    lifecycle: { ...lifecycle, connect: (request, onProgress, signal) => lifecycle.connect(request, (p) => (progress.push(p), onProgress?.(p)), signal) },
    clientFile,
    async close() {
      signIns.close()
      status.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** What a connect reported, as `step state` pairs. */
export function stepsOf(progress: readonly ConnectProgress[]): string[] {
  const seen: string[] = []
  for (const { step, state } of progress) {
    const pair = `${step} ${state}`
    if (seen.at(-1) !== pair) seen.push(pair)
  }
  return seen
}
