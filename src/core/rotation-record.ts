/**
 * The outstanding-rotation record: every rotate call starts a clock, since the secret the targets hold stops
 * working 7 days later. Before the call, the time is recorded (a repository variable beside the expiry
 * record); once the new secret is in every target, the record is cleared. A run that finds a rotation
 * outstanding and no secret for it waiting never rotates again blind: it names the day. Pure: no I/O.
 */

const DAY_MS = 86_400_000
/** After a rotation, the secret it replaces keeps working this long (Amazon's rule). */
export const OLD_SECRET_LIFETIME_MS = 7 * DAY_MS

export interface Outstanding {
  rotatedAt: Date
  /** When the secret the targets hold stops working. */
  deadline: Date
}

export function outstandingFrom(rotatedAt: Date): Outstanding {
  return { rotatedAt, deadline: new Date(rotatedAt.getTime() + OLD_SECRET_LIFETIME_MS) }
}

/** The record's value is the rotate call's time (ISO 8601); anything else counts as no record. */
export function parseOutstanding(value: string | undefined): Outstanding | undefined {
  if (!value) return undefined
  const t = Date.parse(value.trim())
  return Number.isNaN(t) ? undefined : outstandingFrom(new Date(t))
}

/** A day as people and `date` commands write it (YYYY-MM-DD, UTC). */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

/** The record's variable, named after the expiry variable: LWA_CLIENT_SECRET_EXPIRES_AT → LWA_CLIENT_SECRET_ROTATION. */
export function rotationRecordName(expiryVariable: string): string {
  return `${expiryVariable.replace(/_EXPIRES_AT$/i, '')}_ROTATION`
}
