/**
 * Messages this run has taken and must not lose: kept invisible to other consumers by a heartbeat while
 * the run works, then each either deleted (every target holds the secret it supersedes) or released
 * (anything failed, or it must wait for a later run). A run that dies without doing either hides them
 * for at most `seconds`.
 */
import type { Queue, QueueMessage } from './ports.js'

export class Lease<T> {
  private held: Array<{ message: QueueMessage; value: T }> = []
  private timer: NodeJS.Timeout | undefined
  /** Lease extensions still on their way: a release or delete must not race one. */
  private pending: Array<Promise<unknown>> = []

  constructor(
    private readonly queue: Queue,
    private readonly seconds: number,
    private readonly warn: (message: string) => void,
  ) {}

  get values(): T[] {
    return this.held.map((h) => h.value)
  }

  get size(): number {
    return this.held.length
  }

  /**
   * Takes a received message (still hidden for the receive's visibility timeout) and extends its lease in
   * the background: nothing waits for that round trip; settling does.
   */
  hold(message: QueueMessage, value: T): void {
    // The same message received again (a duplicate delivery, or after a lapsed lease) is one message: keep its
    // newest receipt handle, which is the one SQS honours.
    const again = this.held.find((h) => h.message.messageId === message.messageId)
    if (again) again.message = message
    else this.held.push({ message, value })
    this.pending.push(
      this.queue
        .setVisibility(message, this.seconds)
        .catch(() => this.warn('Could not extend the visibility of a held message; it may reappear early.')),
    )
    // Renew at a third of the lease so that one slow or failed renewal does not expose the message.
    this.timer ??= setInterval(() => void this.renew(), (this.seconds * 1000) / 3).unref()
  }

  /** Makes every held message visible again; never throws (an unreleased message reappears by itself). */
  async release(): Promise<void> {
    await this.settle(() => 'release')
  }

  /**
   * Deletes the held messages `decide` picks and releases the others; never throws. Returns how many of
   * those to delete could not be (they reappear later, and the next run deletes them).
   */
  async settle(decide: (value: T) => 'delete' | 'release'): Promise<{ deleted: number; failed: number; released: number }> {
    clearInterval(this.timer)
    this.timer = undefined
    await Promise.all(this.pending.splice(0))
    const held = this.held
    this.held = []
    const plan = held.map((h) => ({ ...h, action: decide(h.value) }))
    const results = await Promise.allSettled(
      plan.map(({ message, action }) => (action === 'delete' ? this.queue.delete(message) : this.queue.setVisibility(message, 0))),
    )
    const failedOf = (action: string) => results.filter((r, i) => r.status === 'rejected' && plan[i]!.action === action).length
    const toDelete = plan.filter((p) => p.action === 'delete').length
    const failed = failedOf('delete')
    const unreleased = failedOf('release')
    // A message that could not be deleted goes back at once: the next run finishes the job without waiting out the lease.
    await Promise.allSettled(
      plan.filter((p, i) => p.action === 'delete' && results[i]!.status === 'rejected').map((p) => this.queue.setVisibility(p.message, 0)),
    )
    if (failed) this.warn(`Could not delete ${failed} of ${toDelete} message(s); they are back in the queue for the next run.`)
    if (unreleased) this.warn(`Could not release ${unreleased} held message(s); they become visible again within ${this.seconds} s.`)
    return { deleted: toDelete - failed, failed, released: plan.length - toDelete }
  }

  private async renew(): Promise<void> {
    const renewal = Promise.allSettled(this.held.map(({ message }) => this.queue.setVisibility(message, this.seconds)))
    // A release or delete waits for a renewal on its way, or the renewal could hide a released message again.
    this.pending.push(renewal)
    const results = await renewal
    const failed = results.filter((r) => r.status === 'rejected').length
    if (failed) this.warn(`Could not extend the visibility of ${failed} held message(s); another consumer may see them.`)
  }
}
