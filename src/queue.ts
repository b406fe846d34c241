/**
 * The SQS queue Amazon delivers notifications to, through @aws-sdk/client-sqs (credentials, region and
 * endpoint from the SDK's usual sources; throttling and transient errors retried by the SDK).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs'

export interface QueueMessage {
  messageId: string
  receiptHandle: string
  body: string
}

export interface QueueStats {
  retentionSeconds: number
  /** Received by some consumer and not yet deleted or released (ApproximateNumberOfMessagesNotVisible). */
  inFlight: number
}

export interface Queue {
  stats(): Promise<QueueStats>
  /** Long-polls for up to `waitSeconds`; received messages stay invisible to others for `visibilitySeconds`. */
  receive(waitSeconds: number, visibilitySeconds: number, signal?: AbortSignal): Promise<QueueMessage[]>
  /** 0 makes the message visible again at once; more keeps it hidden that long from now. */
  setVisibility(message: QueueMessage, seconds: number): Promise<void>
  delete(message: QueueMessage): Promise<void>
}

export function createQueue(options: { url: string; region: string }): Queue {
  const client = new SQSClient({
    region: options.region,
    // The endpoint comes from the region (taken from the queue URL) and the SDK's own settings, so that
    // AWS_ENDPOINT_URL_SQS, FIPS and dual-stack settings are honoured rather than overridden by the URL's host.
    useQueueUrlAsEndpoint: false,
    // The SDK's standard retry mode covers throttling and 5xx; bound the attempts and every request.
    maxAttempts: 5,
    // Long polls last up to 20 s, so a request may take that long before it is late.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  })
  const QueueUrl = options.url

  return {
    async stats() {
      const { Attributes = {} } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MessageRetentionPeriod', 'ApproximateNumberOfMessagesNotVisible'] }),
      )
      return {
        retentionSeconds: Number(Attributes.MessageRetentionPeriod ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      }
    },
    async receive(waitSeconds, visibilitySeconds, signal) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: waitSeconds,
          VisibilityTimeout: visibilitySeconds,
        }),
        { abortSignal: signal },
      )
      return Messages.flatMap((m) =>
        m.MessageId && m.ReceiptHandle ? [{ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body ?? '' }] : [],
      )
    },
    async setVisibility(message, seconds) {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: seconds }))
    },
    async delete(message) {
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.receiptHandle }))
    },
  }
}

/**
 * Messages this run has taken and must not lose: kept invisible to other consumers by a heartbeat while
 * the run works, then either deleted (every target holds the secret) or released (anything failed). A run
 * that dies without doing either hides them for at most `seconds`.
 */
export class Lease<T> {
  private held: Array<{ message: QueueMessage; value: T }> = []
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly queue: Queue,
    private readonly seconds: number,
    private readonly warn: (message: string) => void,
  ) {}

  get values(): T[] {
    return this.held.map((h) => h.value)
  }

  async hold(message: QueueMessage, value: T): Promise<void> {
    this.held.push({ message, value })
    await this.queue.setVisibility(message, this.seconds)
    // Renew at a third of the lease so that one slow or failed renewal does not expose the message.
    this.timer ??= setInterval(() => void this.renew(), (this.seconds * 1000) / 3).unref()
  }

  /** Makes every held message visible again; never throws (an unreleased message reappears by itself). */
  async release(): Promise<void> {
    await this.settle('release', (m) => this.queue.setVisibility(m, 0))
  }

  /** Deletes every held message; returns how many could not be deleted (they will reappear later). */
  async delete(): Promise<number> {
    return this.settle('delete', (m) => this.queue.delete(m))
  }

  private async renew(): Promise<void> {
    const results = await Promise.allSettled(this.held.map(({ message }) => this.queue.setVisibility(message, this.seconds)))
    const failed = results.filter((r) => r.status === 'rejected').length
    if (failed) this.warn(`Could not extend the visibility of ${failed} held message(s); another consumer may see them.`)
  }

  private async settle(what: string, action: (message: QueueMessage) => Promise<void>): Promise<number> {
    clearInterval(this.timer)
    this.timer = undefined
    const held = this.held
    this.held = []
    const results = await Promise.allSettled(held.map(({ message }) => action(message)))
    const failed = results.filter((r) => r.status === 'rejected').length
    if (failed)
      this.warn(`Could not ${what} ${failed} of ${held.length} held message(s); they become visible again within ${this.seconds} s.`)
    return failed
  }
}
