/** A real SQS-compatible server (fauxqs) on loopback, reached with the same SDK the action uses. */
import { SQSClient } from '@aws-sdk/client-sqs'
import { startFauxqs, type FauxqsServer } from 'fauxqs'

export const AWS_REGION = 'us-east-1'
export const AWS_TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }
/** A queue policy that lets Amazon's notification service (account 437568002678) send, as docs/aws sets up. */
export const AMAZON_SEND_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::437568002678:root' }, Action: 'sqs:SendMessage', Resource: '*' }],
})

export interface Sqs {
  server: FauxqsServer
  endpoint: string
  client: SQSClient
  /** Creates a queue; retention defaults to 14 days and the policy to Amazon's, as the README recommends. */
  createQueue(name: string, attributes?: Record<string, string>): string
  /** What the queue holds now, without receiving anything. */
  contents(name: string): { visible: string[]; inFlight: string[]; delayed: string[] }
  close(): Promise<void>
}

export async function startSqs(): Promise<Sqs> {
  const server = await startFauxqs({ port: 0, logger: false })
  const endpoint = `http://127.0.0.1:${server.port}`
  const client = new SQSClient({ region: AWS_REGION, endpoint, credentials: AWS_TEST_CREDENTIALS })
  return {
    server,
    endpoint,
    client,
    // fauxqs names its queues http://sqs.REGION.localhost:PORT/…; the action accepts plain http only on loopback
    // (a name under .localhost may resolve anywhere), so the URL is given on the address the server listens on.
    createQueue: (name, attributes = {}) => {
      const { queueUrl } = server.createQueue(name, {
        attributes: { MessageRetentionPeriod: String(14 * 86400), Policy: AMAZON_SEND_POLICY, ...attributes },
      })
      return `${endpoint}${new URL(queueUrl).pathname}`
    },
    contents(name) {
      const q = server.inspectQueue(name)
      if (!q) throw new Error(`no queue ${name}`)
      return {
        visible: q.messages.ready.map((m) => m.body),
        inFlight: q.messages.inflight.map((m) => m.message.body),
        delayed: q.messages.delayed.map((m) => m.body),
      }
    },
    async close() {
      client.destroy()
      await server.stop()
    },
  }
}
