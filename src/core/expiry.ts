/**
 * When the current secret expires, and whether a rotation is due. A scheduled run rotates only inside
 * the window before the expiry that `rotate-before-expiry` sets; an unknown expiry means rotate. Pure: no I/O.
 */

const DAY_MS = 86_400_000
/** A secret lives 180 days: a claimed expiry further out than this did not come from Amazon. */
export const MAX_LIFETIME_MS = 180 * DAY_MS
/** Warn while there is still time to act by hand. */
export const WARN_WITHIN_MS = 14 * DAY_MS
/** A failed run that leaves the old secret less than this to live is an emergency. */
export const URGENT_WITHIN_MS = 2 * DAY_MS

/** `30d` or `72h` (whole days or hours), in ms; undefined for an empty value; throws for anything else. */
export function parseDuration(value: string): number | undefined {
  if (value === '') return undefined
  const match = /^(\d{1,4})\s*([dh])$/i.exec(value)
  if (!match) throw new Error(`'${value}' is not a duration: use whole days or hours, e.g. 30d or 72h.`)
  const ms = Number(match[1]) * (match[2]!.toLowerCase() === 'd' ? DAY_MS : 3_600_000)
  if (ms <= 0 || ms >= MAX_LIFETIME_MS) throw new Error(`'${value}' must be more than 0 and less than 180 days (a secret's lifetime).`)
  return ms
}

/** Whole days (rounded down) from now until `at`; negative once it has passed. */
export function daysLeft(at: Date, now: number): number {
  return Math.floor((at.getTime() - now) / DAY_MS)
}

/** When the next rotation is due: `window` before the expiry. */
export function dueAt(expiresAt: Date, windowMs: number): Date {
  return new Date(expiresAt.getTime() - windowMs)
}

/**
 * The expiry to plan by: the recorded one (unless it lies beyond a secret's lifetime), brought forward by an expiry notification that names an earlier
 * time. A notification can never push a known expiry later (anyone who can send to the queue could then
 * postpone rotation past the real deadline); with nothing recorded, it is taken when within a secret's lifetime.
 */
export function plannedExpiry(recorded: Date | undefined, notified: Date[], now: number): Date | undefined {
  // A record further out than a secret's lifetime was not written by a rotation: the expiry is unknown.
  if (recorded && recorded.getTime() > now + MAX_LIFETIME_MS) recorded = undefined
  const plausible = notified.filter((d) => d.getTime() <= now + MAX_LIFETIME_MS)
  const earliest = plausible.reduce<Date | undefined>((a, b) => (a && a <= b ? a : b), undefined)
  if (!recorded) return earliest
  return earliest && earliest < recorded ? earliest : recorded
}

/** Parses a recorded expiry (ISO 8601); undefined for an empty or unreadable value. */
export function parseRecordedExpiry(value: string | undefined): Date | undefined {
  if (!value) return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : new Date(t)
}
