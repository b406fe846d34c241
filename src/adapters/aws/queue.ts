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
import { awsRequestHandler } from '../net/proxy.js'
import { CREDENTIALS_FIX, errorCodes, INVALID_CREDENTIALS } from './errors.js'
import type { Queue } from '../../core/ports.js'
import { networkCause, remoteText } from '../../lib/remote-text.js'

/** An SQS call that failed, in words that name the input or the setting to change. Never a secret. */
export class QueueError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'QueueError'
  }
}

export function createQueue(options: { url: string; region: string }): Queue {
  const client = new SQSClient({
    region: options.region,
    // The endpoint comes from the region (taken from the queue URL) and the SDK's own settings, so that
    // AWS_ENDPOINT_URL_SQS, FIPS and dual-stack settings are honoured rather than overridden by the URL's host.
    useQueueUrlAsEndpoint: false,
    // The SDK's standard retry mode covers throttling and 5xx; bound the attempts and every request.
    maxAttempts: 5,
    // Long polls last up to 20 s, so a request may take that long before it is late. Through the runner's
    // proxy, if it sets one.
    requestHandler: awsRequestHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
  })
  const QueueUrl = options.url
  const send = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      throw new QueueError(explain(action, error, options))
    }
  }

  return {
    async stats() {
      const sent = Date.now()
      const { Attributes = {} } = await send('GetQueueAttributes', () =>
        client.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: [
              'MessageRetentionPeriod',
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesDelayed',
              'ApproximateNumberOfMessagesNotVisible',
              'Policy',
              'FifoQueue',
              'KmsMasterKeyId',
            ],
          }),
        ),
      )
      const { ApproximateNumberOfMessages: visible, ApproximateNumberOfMessagesDelayed: delayed } = Attributes
      return {
        retentionSeconds: Number(Attributes.MessageRetentionPeriod ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        queued: visible === undefined || delayed === undefined ? undefined : Number(visible) + Number(delayed),
        roundTripMs: Date.now() - sent,
        policy: Attributes.Policy || undefined,
        fifo: Attributes.FifoQueue === 'true',
        // AWS's text, which reaches check mode's log: neutralised like every answer.
        kmsKeyId: Attributes.KmsMasterKeyId ? remoteText(Attributes.KmsMasterKeyId, 256) : undefined,
      }
    },
    async receive(waitSeconds, visibilitySeconds, signal) {
      const { Messages = [] } = await send('ReceiveMessage', () =>
        client.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: waitSeconds,
            VisibilityTimeout: visibilitySeconds,
            MessageSystemAttributeNames: ['SentTimestamp'],
          }),
          { abortSignal: signal },
        ),
      )
      return Messages.flatMap((m) => {
        if (!m.MessageId || !m.ReceiptHandle) return []
        const sent = Number(m.Attributes?.SentTimestamp)
        return [
          {
            // SQS assigns message ids, but they reach the log: treat them as any other remote text.
            messageId: remoteText(m.MessageId, 100),
            receiptHandle: m.ReceiptHandle,
            body: m.Body ?? '',
            sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent) : undefined,
          },
        ]
      })
    },
    async setVisibility(message, seconds) {
      await send('ChangeMessageVisibility', () =>
        client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: seconds })),
      )
    },
    async delete(message) {
      await send('DeleteMessage', () => client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.receiptHandle })))
    },
  }
}

/** The SDK's error, turned into what to set and where. AWS's own message is remote text: neutralised. */
function explain(action: string, error: unknown, options: { url: string; region: string }): string {
  const e = error as { name?: unknown; message?: unknown }
  const name = typeof e.name === 'string' ? e.name : ''
  // The JSON protocol names the error in `name` (KmsAccessDenied); the query-protocol code (KMS.AccessDeniedException)
  // is what AWS's documentation shows.
  const is = (pattern: RegExp) => errorCodes(error).some((c) => pattern.test(c))
  const text = remoteText(typeof e.message === 'string' ? e.message : String(error))
  const said = `${remoteText(name, 80)}: ${text}`
  if (name === 'AbortError') return 'the run was cancelled'
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
    return (
      'No AWS credentials were found for the queue. Add aws-actions/configure-aws-credentials before this step ' +
      '(role-to-assume: the rotation role, with `permissions: id-token: write` in the job), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
    )
  }
  if (is(INVALID_CREDENTIALS)) return `AWS refused ${action} on the queue (${said}): ${CREDENTIALS_FIX}`
  if (/NonExistentQueue|QueueDoesNotExist/.test(name)) {
    return (
      `The queue in sqs-queue-url (${options.url}) does not exist in AWS region ${options.region}, or the credentials' account cannot see it. ` +
      "Check the input against the SQS console and that the credentials belong to the queue's account."
    )
  }
  if (is(/^(KmsAccessDenied|KMS\.AccessDenied)/)) {
    return (
      `AWS refused ${action} on the queue (${said}): the queue is encrypted with a KMS key these credentials may not use. ` +
      "Allow kms:Decrypt on the queue's key to the role, in its IAM policy and in the key policy (whoever sends to the queue needs kms:GenerateDataKey on it)."
    )
  }
  if (is(/^(KmsThrottled|KMS\.Throttling)/)) return `KMS throttled ${action} on the queue (${said}); re-run in a few minutes.`
  if (is(/^(Kms|KMS\.)/)) {
    return (
      `SQS could not use the queue's KMS key for ${action} (${said}). The key must exist, be enabled and be a symmetric encryption key: ` +
      'while it is not, neither this action nor Amazon can use the queue. Enable the key, or encrypt the queue with a usable one.'
    )
  }
  if (/AccessDenied|NotAuthorized/.test(name)) {
    return (
      `AWS refused ${action} on the queue (${said}). The credentials need sqs:ReceiveMessage, ` +
      'sqs:ChangeMessageVisibility, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue, and kms:Decrypt on its key.'
    )
  }
  const cause = networkCause(error)
  if (cause) return `could not reach SQS for ${action} (${cause}); check the runner's network and sqs-queue-url.`
  return `SQS ${action} failed: ${name ? `${remoteText(name, 80)}: ` : ''}${text}`
}
