import { afterEach } from 'vitest'

interface Closable {
  close(): Promise<unknown>
}

/**
 * A list whose contents are closed after each test: a test pushes what it opens. Call inside
 * `describe` (or at the top of the file).
 */
export function toCloseAfterEach<T extends Closable>(): T[] {
  const opened: T[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((thing) => thing.close()))
  })
  return opened
}

/**
 * Wraps an opener so that whatever it opens during a test is closed after that test. Call inside
 * `describe` (or at the top of the file).
 */
export function closedAfterEach<A extends unknown[], T extends Closable>(open: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const opened = toCloseAfterEach<T>()
  return async (...args) => {
    const made = await open(...args)
    opened.push(made)
    return made
  }
}
