import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProxyLaunch } from '../../../../src/core/clients/entry-builder'

/** A fresh folder (with a space in its name, as on many real machines) and a way to remove it. */
export async function tempFolder(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp tray clients-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** A plain-install launch whose paths need not exist (nothing spawns it). */
export const testLaunch: ProxyLaunch = { executable: '/usr/local/bin/node', cliScript: '/opt/mcp tray/out/cli/index.js', runAsNode: false }

/** Puts one client's file at `file` for the code under test, as tests do through the environment. */
export function hostWithFile(variable: string, file: string, home: string) {
  return { env: { [variable]: file }, platform: process.platform, home }
}
