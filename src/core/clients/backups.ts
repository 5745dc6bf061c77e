import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureDataDir } from '../data/data-dir'

/** Where the copies of one file go and how many of them to keep. */
export interface BackupPolicy {
  /** A private folder (mode 0700): config files can hold API keys in `env`. */
  readonly dir: string
  /** The start of each copy's name, e.g. `claude_desktop_config.json`. */
  readonly label: string
  readonly keep: number
}

const suffix = '.bak'

/**
 * Saves `text` as `<label>.<UTC time>[.<n>].bak` (mode 0600) and deletes the oldest copies
 * beyond `keep`. Returns the copy's path.
 */
export async function writeBackup(text: string, policy: BackupPolicy, now: Date): Promise<string> {
  await ensureDataDir(policy.dir)
  const stamp = now.toISOString().replaceAll(':', '-').replace('.', '-')
  let path: string
  for (let n = 0; ; n += 1) {
    path = join(policy.dir, `${policy.label}.${stamp}${n === 0 ? '' : `.${n}`}${suffix}`)
    try {
      await writeFile(path, text, { mode: 0o600, flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  await pruneBackups(policy)
  return path
}

/** The copies of one file, oldest first. */
export async function listBackups(policy: Pick<BackupPolicy, 'dir' | 'label'>): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(policy.dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return names
    .map((name) => ({ name, order: backupOrder(name, policy.label) }))
    .filter((item): item is { name: string; order: [string, number] } => item.order !== undefined)
    .sort((a, b) => (a.order[0] === b.order[0] ? a.order[1] - b.order[1] : a.order[0] < b.order[0] ? -1 : 1))
    .map((item) => join(policy.dir, item.name))
}

async function pruneBackups(policy: BackupPolicy): Promise<void> {
  const all = await listBackups(policy)
  const excess = all.slice(0, Math.max(0, all.length - policy.keep))
  await Promise.all(excess.map((path) => rm(path, { force: true })))
}

/** Time stamp and counter of a copy's name, or undefined for other files in the folder. */
function backupOrder(name: string, label: string): [string, number] | undefined {
  if (!name.startsWith(`${label}.`) || !name.endsWith(suffix)) return undefined
  const match = /^(\d{4}-\d{2}-\d{2}T[\d-]+Z)(?:\.(\d+))?$/.exec(name.slice(label.length + 1, -suffix.length))
  return match ? [match[1]!, Number(match[2] ?? 0)] : undefined
}
