/**
 * Waits for `promise`, but for `ms` at most: a bound on a wait that has none of its own. A
 * rejection counts as done (the caller learns of failures elsewhere); nothing is ever cancelled.
 */
export async function atMost(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise || ms <= 0) return
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}
