import { afterEach } from 'vitest'

/**
 * Wraps an opener so that whatever it opens during a test is closed after that test. Call inside
 * `describe` (or at the top of the file).
 */
export function closedAfterEach<A extends unknown[], T extends { close(): Promise<unknown> }>(
  open: (...args: A) => Promise<T>,
): (...args: A) => Promise<T> {
  const opened: T[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((thing) => thing.close()))
  })
  return async (...args) => {
    const made = await open(...args)
    opened.push(made)
    return made
  }
}
