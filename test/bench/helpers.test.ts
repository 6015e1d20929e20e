import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { ClusterHttp } from '../../src/main/core/http'
import { startSimThread } from '../../bench/simThread'
import { fastest, seededRandom } from '../../bench/stats'
import { BenchClock } from '../../bench/clock'
import { hogScript } from '../../bench/hog'
import { startCopyStorm, summarizeStorm, type StormCopy } from '../../bench/storm'

describe('fastest', () => {
  it('picks the lowest median; the first listed wins a tie', () => {
    const rows = [
      { concurrency: 4, medianMs: 900 },
      { concurrency: 8, medianMs: 700 },
      { concurrency: 16, medianMs: 700 },
      { concurrency: 32, medianMs: 750 },
    ]
    expect(fastest(rows)).toBe(rows[1])
  })

  it('rejects no candidates and a non-finite median', () => {
    expect(() => fastest([])).toThrow(RangeError)
    expect(() => fastest([{ medianMs: 1 }, { medianMs: Number.NaN }])).toThrow(RangeError)
  })
})

describe('seededRandom', () => {
  it('is reproducible for a seed, differs between seeds and stays in [0, 1)', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const c = seededRandom(43)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs)
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs)
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true)
    // Spread over the range, not stuck in a corner: every tenth of [0, 1) is hit.
    expect(new Set(xs.map((v) => Math.floor(v * 10))).size).toBe(10)
  })
})

describe('BenchClock', () => {
  it('jumps with advance and follows the wall clock while running, in whole ms', () => {
    let wall = 1000
    const clock = new BenchClock(5_000, () => wall)
    expect(clock.now()).toBe(5_000)
    wall += 12.7
    expect(clock.now()).toBe(5_012)
    clock.advance(300_000)
    expect(clock.now()).toBe(305_012)
  })

  it('stands still while frozen and moves on from where it stood after run()', () => {
    let wall = 0
    const clock = new BenchClock(0, () => wall)
    wall = 10
    clock.freeze()
    expect(clock.running).toBe(false)
    wall = 1_000
    expect(clock.now()).toBe(10)
    clock.advance(5)
    expect(clock.now()).toBe(15)
    clock.run()
    wall = 1_020
    expect(clock.now()).toBe(35)
    clock.freeze()
    clock.freeze() // idempotent
    clock.run()
    clock.run()
    wall = 1_021
    expect(clock.now()).toBe(36)
  })
})

describe('hogScript', () => {
  it('spins and exits once the benchmark is no longer its parent', () => {
    const script = hogScript(4242)
    expect(script).toContain('const parent = 4242')
    expect(script).toContain('process.ppid !== parent')
    expect(() => new Function(script)).not.toThrow() // valid JavaScript
  })
})

describe('copy storm', () => {
  it('issues on a fixed schedule, catches up after a blocked event loop and times from the schedule', async () => {
    let t = 0
    const issued: string[] = []
    let phase = 'refreshing'
    const ids = ['a', 'b', 'c', 'd']
    let pick = 0
    const storm = startCopyStorm({
      ids,
      everyMs: 20,
      random: () => (pick++ % 4) / 4,
      now: () => t,
      phase: () => phase,
      isFresh: (id) => id !== 'a',
      copy: async (id) => {
        issued.push(id)
        await Promise.resolve()
        return id === 'd' ? 'NETWORK' : undefined
      },
    })
    // The first request goes at t0 at once.
    expect(issued).toEqual(['a'])
    // The event loop was "blocked" for 65 ms: the three missed moments are issued together.
    // (The storm's timer waits 19 real ms for the next moment; give it time to fire.)
    t = 66
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(issued).toEqual(['a', 'b', 'c', 'd'])
    phase = 'writing'
    t = 81
    await new Promise((resolve) => setTimeout(resolve, 60))
    const copies = await storm.stop()
    expect(copies.map((c) => c.phase)).toEqual([
      'refreshing',
      'refreshing',
      'refreshing',
      'refreshing',
      'writing',
    ])
    // The request scheduled at 20 ms was issued and answered at 66 (copies take no fake time).
    const second = copies[1]!
    expect(second.ms).toBe(0)
    expect(second.sinceScheduledMs).toBe(46)
    expect(copies[3]!.sinceScheduledMs).toBe(6)
    expect(copies[0]!.waited).toBe(true)
    expect(copies[3]).toMatchObject({ ok: false, code: 'NETWORK' })
    const n = issued.length
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(issued.length).toBe(n) // stopped
  })

  it('summarizes a phase: counts, waits, failures and percentiles', () => {
    const copies: StormCopy[] = [
      { phase: 'refreshing', issuedAtMs: 0, ms: 1, sinceScheduledMs: 2, waited: true, ok: true },
      { phase: 'refreshing', issuedAtMs: 0, ms: 3, sinceScheduledMs: 4, waited: false, ok: true },
      {
        phase: 'refreshing',
        issuedAtMs: 0,
        ms: 5,
        sinceScheduledMs: 9,
        waited: true,
        ok: false,
        code: 'X',
      },
      { phase: 'writing', issuedAtMs: 0, ms: 100, sinceScheduledMs: 100, waited: false, ok: true },
    ]
    const s = summarizeStorm(copies, 'refreshing')
    expect(s).toMatchObject({ requests: 3, failed: 1, waitedForRefresh: 2, errors: ['X'] })
    expect(s.ms).toMatchObject({ n: 3, p50: 3, max: 5 })
    expect(s.sinceScheduledMs).toMatchObject({ p50: 4, max: 9 })
    expect(s.waitedMs).toMatchObject({ n: 2, min: 1, max: 5 })
    expect(s.cachedMs).toMatchObject({ n: 1, p50: 3 })
    expect(summarizeStorm(copies).requests).toBe(4)
    expect(summarizeStorm(copies, 'after')).toMatchObject({
      requests: 0,
      ms: null,
      waitedMs: null,
      cachedMs: null,
    })
  })
})

describe('BenchClock shared with another thread', () => {
  it('a clock attached to the shared state reads the same time, jumps and freezes included', () => {
    let wall = 100
    const owner = new BenchClock(1_000, () => wall)
    const other = BenchClock.attach(owner.shared, () => wall)
    expect(other.now()).toBe(1_000)
    wall += 7.5
    expect(other.now()).toBe(owner.now())
    owner.advance(300_000)
    expect(other.now()).toBe(301_007)
    other.freeze()
    expect(owner.running).toBe(false)
    wall += 50
    expect(owner.now()).toBe(301_007)
  })
})

describe('startSimThread setNice', () => {
  it.skipIf(process.platform !== 'linux')(
    'changes the priority of the simulator thread alone, never the benchmark process',
    async () => {
      const before = os.getPriority(process.pid)
      const sim = await startSimThread(new BenchClock(), [
        { username: 'u0', password: 'Pass-0', role: 'Regular' },
      ])
      try {
        // Raising a nice value is allowed to anyone, so this runs without root.
        expect(await sim.setNice(before + 3)).toEqual({ nice: before + 3 })
        expect(os.getPriority(process.pid)).toBe(before)
        // The thread answers HTTPS as before: its priority changed, not its work.
        const http = new ClusterHttp({ url: sim.url, trust: { sha256: sim.fingerprint } })
        try {
          expect((await http.request('GET', '/api/v2/healthcheck')).status).toBe(200)
        } finally {
          await http.close()
        }
      } finally {
        await sim.close()
      }
    },
  )
})
