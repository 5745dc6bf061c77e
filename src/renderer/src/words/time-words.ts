/** How times read on the dashboard: short, relative where that is what a person wants to know. */

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour

/** "42 s", "3 min", "2 h 5 min", "3 days": a span of time, rounded to what matters. */
export function spanWords(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < minute) return `${Math.max(1, Math.round(abs / 1000))} s`
  if (abs < hour) return `${Math.round(abs / minute)} min`
  if (abs < day) {
    const hours = Math.floor(abs / hour)
    const minutes = Math.round((abs - hours * hour) / minute)
    return minutes === 0 || minutes === 60 ? `${minutes === 60 ? hours + 1 : hours} h` : `${hours} h ${minutes} min`
  }
  const days = Math.round(abs / day)
  return days === 1 ? '1 day' : `${days} days`
}

/** "just now", "3 min ago", "in 5 min". */
export function relativeWords(time: number, now: number): string {
  const delta = time - now
  if (Math.abs(delta) < 10_000) return 'just now'
  return delta < 0 ? `${spanWords(delta)} ago` : `in ${spanWords(delta)}`
}

/** "expires in 42 min", "expired 3 min ago", "expires in less than a minute". */
export function expiryWords(expiresAt: number, now: number): string {
  const delta = expiresAt - now
  if (delta <= 0) return delta > -minute ? 'expired just now' : `expired ${spanWords(delta)} ago`
  if (delta < minute) return 'expires in less than a minute'
  return `expires in ${spanWords(delta)}`
}

/** "12 ms", "1.2 s", "2 min": how long something took. */
export function durationWords(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < minute) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
  return spanWords(ms)
}

/** "14:03:07.120": a log time, to the millisecond, in the person's time zone. */
export function clockWords(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const pad = (value: number, size = 2): string => String(value).padStart(size, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}

/** "2026-03-04 14:03:07.120": a moment in full, in the person's time zone. */
export function fullTimeWords(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const pad = (value: number): string => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clockWords(iso)}`
}
