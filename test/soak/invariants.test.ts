/**
 * The soak's checks on recorded episodes, without running anything: a clean episode passes, and each rule fails
 * the episode that breaks it (so the soak's "0 violations" means something). Also the seeded draw: the generator
 * is pinned, and every fault can be drawn.
 */
import { describe, expect, it } from 'vitest'
import { drawEpisode } from './draw.ts'
import { FAULT_NAMES } from './faults.ts'
import { checkEpisode, refusedNamingTheDay, type EpisodeLog, type RunRecord } from './invariants.ts'
import { episodeRng } from './prng.ts'

const INITIAL = 'amzn1.oa2-cs.v1.initial'
const S1 = 'amzn1.oa2-cs.v1.first'
const S2 = 'amzn1.oa2-cs.v1.second'
const TARGETS = ['repository', 'aws-secretsmanager:lwa']

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  label: 'clean 1',
  startedAt: 1_000,
  endedAt: 5_000,
  concurrent: false,
  kill: undefined,
  killed: false,
  force: false,
  ambiguous: false,
  code: 0,
  signal: null,
  result: 'rotated',
  updatedTargets: JSON.stringify(TARGETS),
  errors: [],
  warnings: [],
  stdout: '',
  stderr: '',
  summary: '',
  leaks: undefined,
  hung: false,
  heldAfter: [S1, S1],
  validAfter: [INITIAL, S1],
  ...over,
})

/** One faultless rotation: s1 issued at 2 s, delivered, stored everywhere. */
const episode = (over: Partial<EpisodeLog> = {}): EpisodeLog => ({
  targets: TARGETS,
  receiveTimeoutMs: 15_000,
  initialSecret: INITIAL,
  initialHeld: [undefined, INITIAL],
  rotations: [{ secret: S1, at: 2_000, delivery: 'delivered' }],
  snapshots: [{ at: 2_000, secret: S1, previous: undefined, held: [undefined, INITIAL], queued: [] }],
  runs: [run()],
  finalHeld: [S1, S1],
  finalValid: [INITIAL, S1],
  finalQueued: [],
  expectedRefusal: false,
  recovered: true,
  harness: [],
  ...over,
})

/** A second rotation at 8 s, taken while the world stood as `held` and `queued` say. */
const rotatedAgain = (previous: 'pending' | 'delivered' | 'dropped', held: Array<string | undefined>, queued: string[] = []) =>
  episode({
    rotations: [
      { secret: S1, at: 2_000, delivery: previous === 'pending' ? 'delivered' : previous },
      { secret: S2, at: 8_000, delivery: 'delivered' },
    ],
    snapshots: [
      { at: 2_000, secret: S1, previous: undefined, held: [undefined, INITIAL], queued: [] },
      { at: 8_000, secret: S2, previous: { secret: S1, delivery: previous }, held, queued },
    ],
    runs: [
      run({ result: 'rotated', heldAfter: [S1, S1], endedAt: 5_000 }),
      run({ label: 'clean 2', startedAt: 6_000, endedAt: 9_000, heldAfter: [S2, S2], validAfter: [INITIAL, S1, S2] }),
    ],
    finalHeld: [S2, S2],
    finalValid: [INITIAL, S1, S2],
  })

const invariants = (log: EpisodeLog) => checkEpisode(log).map((v) => v.invariant)

describe('the soak invariants', () => {
  it('a clean episode has no violation', () => {
    expect(checkEpisode(episode())).toEqual([])
  })

  it('a target left with an older secret, or a secret LWA rejects, breaks "newest"', () => {
    expect(checkEpisode(episode({ finalHeld: [S1, INITIAL] }))).toEqual([
      { invariant: expect.stringContaining('newest secret') as string, detail: 'aws-secretsmanager:lwa holds the initial secret, not s1' },
    ])
    expect(checkEpisode(episode({ finalValid: [INITIAL] }))[0]?.detail).toBe('LWA does not accept s1')
  })

  it('a successful run that stores an older secret than Amazon issued during it breaks "newest", even if a later run repairs it', () => {
    const log = episode({
      rotations: [
        { secret: S1, at: 2_000, delivery: 'delivered' },
        { secret: S2, at: 3_000, delivery: 'delivered' },
      ],
      runs: [run({ heldAfter: [S1, S1] })],
      finalHeld: [S2, S2],
      finalValid: [INITIAL, S1, S2],
    })
    expect(checkEpisode(log).map((v) => v.detail)).toContain(
      "clean 1 (result rotated) left 2 target(s) holding s1 when Amazon's newest secret was s2",
    )
  })

  it('a rotation while the previous secret is waiting in the queue, on its way, or lost is an orphan; stored everywhere it is not', () => {
    expect(checkEpisode(rotatedAgain('delivered', [S1, S1]))).toEqual([])
    const waiting = checkEpisode(rotatedAgain('delivered', [undefined, INITIAL], [S1]))
    expect(waiting.map((v) => v.detail)).toEqual([
      'Amazon accepted rotation 2 (s2, at +7.0 s, during clean 2) while s1 was waiting in the queue, held by 0 of 2 target(s)',
    ])
    expect(checkEpisode(rotatedAgain('pending', [undefined, INITIAL]))[0]?.detail).toContain('s1 was still on its way to the queue')
    expect(checkEpisode(rotatedAgain('delivered', [S1, INITIAL]))[0]?.detail).toContain(
      's1 was neither in the queue nor stored, held by 1 of 2',
    )
  })

  it('a rotation after one Amazon never delivered is not an orphan', () => {
    expect(checkEpisode(rotatedAgain('dropped', [undefined, INITIAL]))).toEqual([])
  })

  it('a run over its bound, or killed as hung, breaks "hang"; announced waits extend the bound', () => {
    expect(invariants(episode({ runs: [run({ endedAt: 1_000 + 76_000 })] }))).toContain(
      'No run hangs: each ends within receive-timeout + 60 s + the waits it announces',
    )
    expect(checkEpisode(episode({ runs: [run({ endedAt: 1_000 + 76_000, stdout: 'Trying again in 60 s (attempt 2 of 4).' })] }))).toEqual(
      [],
    )
    expect(invariants(episode({ runs: [run({ hung: true, code: null })] }))).toContain(
      'No run hangs: each ends within receive-timeout + 60 s + the waits it announces',
    )
  })

  it("a message of this client left in the queue, a leak, and the test world's own trouble are violations", () => {
    expect(checkEpisode(episode({ finalQueued: [S1] }))[0]?.detail).toBe('1 new-secret message(s) of this client left: s1')
    expect(invariants(episode({ runs: [run({ leaks: 'The action leaked secrets: stdout line 3 contains a secret' })] }))).toEqual([
      'No secret or token in any output, log or summary',
    ])
    expect(invariants(episode({ harness: ['1 notification(s) could not be sent to the queue'] }))).toEqual(['The test world worked'])
  })

  it("a run's exit must agree with its result and its outputs", () => {
    const details = (r: Partial<RunRecord>) => checkEpisode(episode({ runs: [run(r)] })).map((v) => v.detail)
    expect(details({ code: 1, result: undefined })).toEqual(['clean 1: exit 1 without an error line'])
    expect(details({ code: 0, result: undefined })).toContain("clean 1: exit 0 with result ''")
    expect(details({ code: 1, result: 'rotated', errors: ['failed'] })).toEqual(["clean 1: exit 1 with result 'rotated'"])
    expect(details({ updatedTargets: '["repository"]' })).toEqual(['clean 1: result rotated but updated-targets is "[\\"repository\\"]"'])
    expect(details({ result: 'resumed' })).toEqual(['clean 1: result resumed, but Amazon accepted 1 rotation(s) during it'])
    // Amazon answered otherwise after rotating: the run cannot know it rotated.
    expect(details({ result: 'resumed', ambiguous: true })).toEqual([])
    expect(details({ heldAfter: [S1, INITIAL] })).toContain('clean 1: result rotated, but the targets then held s1, the initial secret')
    // Killed by SIGKILL, a run says nothing; cancelled (SIGINT), it must still fail with an error.
    expect(details({ killed: true, signal: 'SIGKILL', code: null, result: undefined })).toEqual([])
    expect(details({ killed: true, signal: 'SIGINT', code: 1, result: undefined })).toEqual(['clean 1: exit 1 without an error line'])
  })

  it('no recovery is a violation, unless the run refused as expected after an undelivered rotation', () => {
    expect(invariants(episode({ recovered: false }))).toContain('The runs without faults recover: one succeeds within the bound')
    const refused = run({
      code: 1,
      result: undefined,
      errors: ['An earlier rotation may still be delivered; rotate again after 2026-03-02.'],
    })
    expect(refusedNamingTheDay(refused, 0)).toBe(true)
    expect(refusedNamingTheDay(refused, 1)).toBe(false)
    expect(refusedNamingTheDay(run({ code: 1, result: undefined, errors: ['No new-secret message arrived'] }), 0)).toBe(false)
    const log = episode({
      rotations: [{ secret: S1, at: 2_000, delivery: 'dropped' }],
      runs: [refused],
      finalHeld: [undefined, INITIAL],
      recovered: false,
      expectedRefusal: true,
    })
    expect(checkEpisode(log)).toEqual([])
  })
})

describe('the seeded draw', () => {
  it('is pinned: the generator gives the same numbers on every machine and in every version', () => {
    const rng = episodeRng(1, 0)
    expect([rng.next(), rng.next(), rng.next()].map((x) => x.toFixed(8))).toEqual(PINNED)
  })

  it('draws the same episode for the same seed and number, and another for the next', () => {
    expect(drawEpisode(7, 3)).toEqual(drawEpisode(7, 3))
    expect(drawEpisode(7, 4)).not.toEqual(drawEpisode(7, 3))
  })

  it('draws every fault, kill and target kind within a few hundred episodes', () => {
    const draws = Array.from({ length: 300 }, (_, e) => drawEpisode(1, e))
    const runs = draws.flatMap((d) => d.faulty)
    expect(new Set(runs.flatMap((r) => r.faults))).toEqual(new Set(FAULT_NAMES))
    expect(new Set(runs.flatMap((r) => (r.kill ? [r.kill.at] : [])))).toEqual(
      new Set(['delay', 'accepted', 'answered', 'received', 'written', 'delete']),
    )
    expect(new Set(draws.flatMap((d) => d.targets))).toEqual(
      new Set(['repository', 'environment', 'organization', 'secrets-manager', 'secrets-manager-keys']),
    )
    expect(runs.some((r) => r.undelivered) && runs.some((r) => r.twoAtOnce) && draws.some((d) => d.backlog > 0)).toBe(true)
  })
})

const PINNED = ['0.94170128', '0.32407803', '0.24779206']
