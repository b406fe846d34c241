/** The queue input (sqs-queue-url) and the AWS region it is in. */
import { InputError } from '../../lib/input-error.js'
import { isLoopbackHost } from '../../lib/loopback.js'
import { requiredOf, type Read } from './fields.js'

export function readQueue(read: Read, env: NodeJS.ProcessEnv): { queueUrl: string; awsRegion: string } {
  const customSqsEndpoint = env.AWS_ENDPOINT_URL_SQS || env.AWS_ENDPOINT_URL
  const { queueUrl, region } = parseQueueUrl(
    requiredOf(read)('sqs-queue-url', 'the URL of the SQS queue subscribed to "Application Client New Secret"'),
    Boolean(customSqsEndpoint),
  )
  const awsRegion = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION
  if (!awsRegion) {
    throw new InputError(
      'sqs-queue-url',
      'names no AWS region and AWS_REGION is not set: use the queue URL from the SQS console (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME).',
    )
  }
  return { queueUrl, awsRegion }
}

/**
 * A queue URL is https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (or the legacy REGION.queue.amazonaws.com).
 * With a custom SQS endpoint (AWS_ENDPOINT_URL_SQS, e.g. an emulator) any host is accepted, but the path must
 * still be /ACCOUNT/NAME.
 */
function parseQueueUrl(value: string, customEndpoint: boolean): { queueUrl: string; region: string | undefined } {
  const fail = (why: string): never => {
    throw new InputError('sqs-queue-url', `${why} Expected https://sqs.REGION.amazonaws.com/ACCOUNT_ID/QUEUE_NAME.`)
  }
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    fail('it is not a URL.')
  }
  const { hostname, pathname, protocol, username, password } = url as URL
  if (username || password) fail('it must not contain credentials; remove them.')
  if (!/^\/\d{12}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/.test(pathname)) fail(`'${hostname}${pathname}' is not an SQS queue URL.`)
  const aws = /^(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com(?:\.cn)?)$/.exec(hostname)
  if (aws) {
    if (protocol !== 'https:') fail('SQS queue URLs use https.')
    return { queueUrl: value, region: aws[1] ?? aws[2] }
  }
  if (!customEndpoint) fail(`'${hostname}' is not an SQS host.`)
  if (protocol !== 'https:' && !(protocol === 'http:' && isLoopbackHost(hostname))) {
    fail('a queue on a custom endpoint must use https unless it is on this machine.')
  }
  // Emulators use sqs.REGION.<host> too; fall back to AWS_REGION when the host says nothing.
  return { queueUrl: value, region: /^sqs\.([a-z0-9-]+)\./.exec(hostname)?.[1] }
}
