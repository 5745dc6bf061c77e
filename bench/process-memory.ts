import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'

/** Follows one process's peak resident set size. */
export interface PeakRssProbe {
  /** The peak so far in bytes, or undefined when the process could not be read. Call it while the process still runs. */
  peakBytes(): Promise<number | undefined>
  stop(): void
}

const kibibyte = 1024

/** Reads a `Vm…: 1234 kB` line from /proc/<pid>/status. */
export function parseProcStatusKb(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status)
  return match ? Number(match[1]) : undefined
}

async function procStatusKb(pid: number, field: string): Promise<number | undefined> {
  try {
    return parseProcStatusKb(await readFile(`/proc/${pid}/status`, 'utf8'), field)
  } catch {
    return undefined
  }
}

async function psRssKb(pid: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (error, stdout) => {
      const kb = Number(stdout.trim())
      resolve(error || !Number.isFinite(kb) || kb <= 0 ? undefined : kb)
    })
  })
}

/**
 * Linux keeps the high-water mark itself (VmHWM, over the process's whole life); elsewhere `ps` is
 * polled, which can miss a short spike between two polls.
 */
export async function probePeakRss(pid: number, pollMs = 50): Promise<PeakRssProbe> {
  if ((await procStatusKb(pid, 'VmHWM')) !== undefined) {
    return { peakBytes: async () => mapKb(await procStatusKb(pid, 'VmHWM')), stop: () => undefined }
  }
  let peakKb: number | undefined
  const poll = async (): Promise<void> => {
    const kb = await psRssKb(pid)
    if (kb !== undefined) peakKb = Math.max(peakKb ?? 0, kb)
  }
  await poll()
  const timer = setInterval(() => void poll(), pollMs)
  return {
    async peakBytes() {
      await poll()
      return mapKb(peakKb)
    },
    stop: () => clearInterval(timer),
  }
}

function mapKb(kb: number | undefined): number | undefined {
  return kb === undefined ? undefined : kb * kibibyte
}

/** The peak RSS of a bare `node -e` that does nothing but report it: the floor any Node proxy starts from. */
export async function bareNodePeakRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'])
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
  })
  await once(child, 'exit')
  return Number(out) * kibibyte
}
