import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Replaces a file's content so that readers see the old text or the new, never half of it: write
 * a temporary sibling, sync it to disk, rename it over the target. (write-file-atomic does the
 * same but reads `__filename`, which the ESM CLI bundle does not define.)
 */
export async function replaceFileAtomically(path: string, text: string, mode: number): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', mode)
    try {
      await handle.writeFile(text, 'utf8')
      // open() applied the umask; the file must end with exactly the mode it had.
      if (process.platform !== 'win32') await handle.chmod(mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await renameOver(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/** On Windows a rename fails while another program has the target open (a client reading it): retry briefly. */
async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await rename(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (process.platform !== 'win32' || attempt >= 20 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw error
      await sleep(50)
    }
  }
}

