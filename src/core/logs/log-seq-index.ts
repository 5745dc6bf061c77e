/**
 * Where lines begin in the log files, with their seq, as searches come across them (one point
 * per chunk read): paging back through a long history then reads each page's chunks, not every
 * newer one again. Files are known by device and inode, which rotation keeps.
 */
export class LogSeqIndex {
  readonly #files = new Map<string, { offset: number; seq: number }[]>()
  readonly #maxFiles: number

  constructor(maxFiles = 2048) {
    this.#maxFiles = maxFiles
  }

  record(file: string, offset: number, seq: number): void {
    let points = this.#files.get(file)
    if (!points) {
      if (this.#files.size >= this.#maxFiles) this.#files.delete(this.#files.keys().next().value as string)
      points = []
      this.#files.set(file, points)
    }
    let low = 0
    let high = points.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (points[middle]!.offset < offset) low = middle + 1
      else high = middle
    }
    if (points[low]?.offset !== offset) points.splice(low, 0, { offset, seq })
  }

  /** The first known line (of a file `size` bytes long) whose seq is `below` or more: it and all after it are. */
  startFor(file: string, below: number, size: number): { offset: number; seq: number } | undefined {
    const points = this.#files.get(file)
    if (!points) return undefined
    let low = 0
    let high = points.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (points[middle]!.seq < below) low = middle + 1
      else high = middle
    }
    const point = points[low]
    return point && point.offset < size ? point : undefined
  }
}
