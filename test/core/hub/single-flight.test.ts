import { describe, expect, it } from 'vitest'
import { SingleFlight } from '../../../src/core/hub/single-flight'

describe('SingleFlight', () => {
  it('runs one operation per key however many callers arrive, and runs again afterwards', async () => {
    const flight = new SingleFlight<number>()
    let runs = 0
    const operation = async (): Promise<number> => {
      runs += 1
      await new Promise((resolve) => setTimeout(resolve, 20))
      return runs
    }
    const results = await Promise.all(Array.from({ length: 10 }, () => flight.run('server-a', operation)))
    expect(results).toEqual(Array(10).fill(1))
    expect(await flight.run('server-b', operation)).toBe(2)
    expect(await flight.run('server-a', operation)).toBe(3)
  })

  it('shares a failure with every waiting caller and forgets it', async () => {
    const flight = new SingleFlight<number>()
    const failing = (): Promise<number> => Promise.reject(new Error('refresh failed'))
    await expect(Promise.all([flight.run('k', failing), flight.run('k', failing)])).rejects.toThrow('refresh failed')
    expect(flight.isRunning('k')).toBe(false)
  })
})
