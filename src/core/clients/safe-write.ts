import { mkdir, readFile, realpath, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import lockfile from 'proper-lockfile'
import { TrayError } from '../../shared/tray-error'
import { replaceFileAtomically } from '../data/atomic-file'
import { writeBackup, type BackupPolicy } from './backups'

/** Computes a file's new text from its current one (undefined: no file); undefined means no change. */
export type TextEdit = (current: string | undefined) => string | undefined

export interface SafeEditOptions {
  /** Keep a copy of the text being replaced; none for files only MCP Tray writes. */
  readonly backup?: BackupPolicy
  readonly now?: () => Date
}

export interface SafeEditOutcome {
  /** The file written (the target of a symbolic link, which stays a link). */
  readonly file: string
  readonly changed: boolean
  readonly created: boolean
  readonly backup: string | undefined
}

/** Other programs (the client itself) do not take our lock: re-read before renaming, a few times. */
const attemptsAgainstOutsideWriters = 3

/**
 * Changes a file so that no writer's change is lost and no reader sees half a file: under a lock
 * (`<file>.lock`, a directory, shared by every MCP Tray process), read, edit, back up the old
 * text, then write a temporary file and rename it over the original. A missing file or folder is
 * created (the file with mode 0600); an existing file keeps its mode.
 */
export async function editFileSafely(path: string, edit: TextEdit, options: SafeEditOptions = {}): Promise<SafeEditOutcome> {
  await mkdir(dirname(path), { recursive: true })
  const file = await realpath(path).catch(() => path)
  const release = await acquireLock(file)
  try {
    for (let attempt = 1; ; attempt += 1) {
      const current = await readText(file)
      const next = edit(current)
      if (next === undefined || next === current) return { file, changed: false, created: false, backup: undefined }
      if ((await readText(file)) !== current && attempt < attemptsAgainstOutsideWriters) continue
      const backup = current !== undefined && options.backup ? await writeBackup(current, options.backup, (options.now ?? (() => new Date()))()) : undefined
      const mode = current === undefined ? 0o600 : ((await stat(file).catch(() => undefined))?.mode ?? 0o600) & 0o7777
      await replaceFileAtomically(file, next, mode)
      return { file, changed: true, created: current === undefined, backup }
    }
  } finally {
    await release()
  }
}

async function acquireLock(file: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(file, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 200, minTimeout: 5, maxTimeout: 100, factor: 1.3, randomize: true },
      // A compromised lock (stale after a long stall) must not kill the process; the write is atomic anyway.
      onCompromised: () => undefined,
    })
  } catch (cause) {
    throw new TrayError('config_file_locked', `Another process is changing ${file}; nothing was changed.`, {
      hint: `Try again in a moment. If this persists and no MCP Tray is running, delete the folder ${file}.lock.`,
      cause,
    })
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new TrayError('config_file_unreadable', `Cannot read ${file}; nothing was changed.`, {
      hint: 'Check that the file is readable and writable by you.',
      cause: error,
    })
  }
}
