/** "512 B", "1.2 KB", "3.4 MB": a size in bytes as a person reads it (1 KB = 1024 B). */
export function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/** "1,234": a count, grouped. */
export function countWords(count: number): string {
  return count.toLocaleString('en-US')
}
