import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const fileName = /^(.+?)(?:\.(\d+))?\.jsonl$/

/** Each server's JSONL files in `dir`, by file stem, newest first (`x.jsonl`, `x.1.jsonl`, …). */
export function logFilesByStem(dir: string): Map<string, string[]> {
  const byStem = new Map<string, { index: number; path: string }[]>()
  if (!existsSync(dir)) return new Map()
  for (const name of readdirSync(dir)) {
    const match = fileName.exec(name)
    if (!match) continue
    const files = byStem.get(match[1]!) ?? []
    files.push({ index: match[2] === undefined ? 0 : Number(match[2]), path: join(dir, name) })
    byStem.set(match[1]!, files)
  }
  return new Map([...byStem].map(([stem, files]) => [stem, files.sort((a, b) => a.index - b.index).map((f) => f.path)]))
}

/** The `seq` a line written by the hub starts with (`{"seq":42,…`), or undefined. */
export function seqOfLine(line: string): number | undefined {
  if (!line.startsWith('{"seq":')) return undefined
  let value = 0
  let i = 7
  for (; i < line.length; i += 1) {
    const digit = line.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) break
    value = value * 10 + digit
  }
  return i > 7 && (line[i] === ',' || line[i] === '}') ? value : undefined
}

/** The `time` of a line, without parsing it (the hub writes it second, proxies first). */
export function timeOfLine(line: string): string | undefined {
  const at = line.indexOf('"time":"')
  return at < 0 || at > 40 ? undefined : line.slice(at + 8, at + 32)
}

/**
 * The highest `seq` in the logs of `dir` (0 when none): the hub's numbering continues from it, so
 * that `seq` orders events across restarts and older pages can be read back from the files. Reads
 * the end of each server's newest file only (16 KiB, more only when no line there has a seq).
 */
export function lastLoggedSeq(dir: string, files = logFilesByStem(dir)): number {
  let last = 0
  for (const paths of files.values()) {
    for (const path of paths.slice(0, 2)) {
      const found = lastSeqIn(path)
      if (found !== undefined) {
        last = Math.max(last, found)
        break
      }
    }
  }
  return last
}

function lastSeqIn(path: string): number | undefined {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const size = statSync(path).size
    for (const window of [16 * 1024, 256 * 1024, 1024 * 1024]) {
      const length = Math.min(size, window)
      const buffer = Buffer.alloc(length)
      readSync(fd, buffer, 0, length, size - length)
      const lines = buffer.toString('utf8').split('\n')
      for (let i = lines.length - 1; i >= 0; i -= 1) {
        const seq = seqOfLine(lines[i]!)
        if (seq !== undefined) return seq
      }
      if (length === size) return undefined
    }
    return undefined
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
