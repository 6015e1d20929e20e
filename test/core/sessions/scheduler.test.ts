/**
 * The refresh engine at scale: background refreshes run a bounded number at a time while a
 * person's request never waits behind them; sessions signed in together come due at different
 * moments; a rotated refresh token is written behind the refresh (the token is usable at once),
 * the latest value wins, sign-out cancels a pending write, and close() writes what is pending.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { RAMP_START, RefreshQueue } from '../../../src/main/core/sessions/refreshQueue'
import { KeytarSecretStore, MemorySecretStore } from '../../../src/main/core/secrets'
import { CredentialWriter } from '../../../src/main/core/sessions/credentialWriter'
import { recordingKeytar } from '../secrets/fakeKeytar'
import { startCoreHarness, type CoreHarness } from '../harness'

const MINUTE = 60_000

/** Refresh requests the simulator has answered so far. */
const refreshes = (sim: WekaSim) =>
  sim.requests.filter((r) => r.path.endsWith('/login/refresh')).length

/** A job that runs until released, recording how many run at once. */
function gate() {
  let running = 0
  let peak = 0
  const releases: Array<(ok: boolean) => void> = []
  const job = () =>
    new Promise<void>((resolve, reject) => {
      running++
      peak = Math.max(peak, running)
      releases.push((ok) => {
        running--
        if (ok) resolve()
        else reject(new Error('refused'))
      })
    })
  return {
    job,
    releaseAll: () => releases.splice(0).forEach((r) => r(true)),
    failAll: () => releases.splice(0).forEach((r) => r(false)),
    get running() {
      return running
    },
    get peak() {
      return peak
    },
  }
}

describe('refresh queue', () => {
  it('runs at most `limit` background jobs, in order, after a slow start; a user job starts at once', async () => {
    const q = new RefreshQueue(() => 3)
    const g = gate()
    const order: string[] = []
    const done = Array.from({ length: 10 }, (_, i) =>
      q.run(`c${i}`, 'background', () => {
        order.push(`c${i}`)
        return g.job()
      }),
    )
    // A burst starts with RAMP_START jobs, not the whole limit at once.
    expect(g.running).toBe(RAMP_START)
    expect(q.queued).toBe(10 - RAMP_START)
    const user = q.run('urgent', 'user', () => {
      order.push('urgent')
      return Promise.resolve('now')
    })
    await expect(user).resolves.toBe('now') // did not wait for a slot
    while (q.queued > 0 || g.running > 0) {
      g.releaseAll()
      await Promise.resolve()
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all(done)
    expect(g.peak).toBe(3)
    expect(order.filter((o) => o !== 'urgent')).toEqual(
      Array.from({ length: 10 }, (_, i) => `c${i}`),
    )
  })

  it('slow start: each success allows one more job up to the limit, a failure halves; idle starts over', async () => {
    const q = new RefreshQueue(() => 8)
    const g = gate()
    const done = Array.from({ length: 40 }, (_, i) =>
      q.run(`c${i}`, 'background', g.job).catch(() => 'failed'),
    )
    const widths: number[] = [g.running]
    for (let round = 0; round < 3; round++) {
      g.releaseAll()
      await new Promise((r) => setImmediate(r))
      widths.push(g.running)
    }
    expect(widths).toEqual([2, 4, 8, 8]) // doubles per round trip, never above the limit
    g.failAll()
    await new Promise((r) => setImmediate(r))
    expect(g.running).toBe(RAMP_START) // eight failures: halved with each, down to the floor
    while (q.queued > 0 || g.running > 0) {
      g.releaseAll()
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all(done)
    // The queue went idle: the next burst starts small again.
    const later = Array.from({ length: 10 }, (_, i) => q.run(`d${i}`, 'background', g.job))
    expect(g.running).toBe(RAMP_START)
    while (q.queued > 0 || g.running > 0) {
      g.releaseAll()
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all(later)
  })

  it('while a person waits for a refresh, the background starts only a quarter of its slots', async () => {
    const q = new RefreshQueue(() => 8)
    const background = gate()
    const person = gate()
    const done = Array.from({ length: 24 }, (_, i) => q.run(`c${i}`, 'background', background.job))
    // Past the slow start: 2, then 4, then all 8 running.
    for (const width of [2, 4]) {
      expect(background.running).toBe(width)
      background.releaseAll()
      await new Promise((r) => setImmediate(r))
    }
    expect(background.running).toBe(8)
    const copy = q.run('urgent', 'user', person.job)
    expect(person.running).toBe(1)
    // The eight already running finish; while the person still waits, only two take their place.
    background.releaseAll()
    await new Promise((r) => setImmediate(r))
    expect(background.running).toBe(2)
    expect(q.queued).toBe(8)
    // Never zero: the two keep the queue moving while the person's refresh runs.
    background.releaseAll()
    await new Promise((r) => setImmediate(r))
    expect(background.running).toBe(2)
    expect(q.queued).toBe(6)
    // The person is served: the background takes all eight slots again.
    person.releaseAll()
    await copy
    await new Promise((r) => setImmediate(r))
    expect(background.running).toBe(8)
    while (q.queued > 0 || background.running > 0) {
      background.releaseAll()
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all(done)
  })

  it('promote starts a waiting background job of that key now', async () => {
    const q = new RefreshQueue(() => 1)
    const g = gate()
    const first = q.run('a', 'background', g.job)
    let started = false
    const second = q.run('b', 'background', async () => {
      started = true
    })
    expect(started).toBe(false)
    q.promote('b')
    await second
    expect(started).toBe(true)
    g.releaseAll()
    await first
  })

  it('a job that throws before its first await fails alone and frees its slot', async () => {
    const q = new RefreshQueue(() => 1)
    const throwsAtOnce = (() => {
      throw new Error('bad input')
    }) as unknown as () => Promise<void>
    await expect(q.run('a', 'background', throwsAtOnce)).rejects.toThrow('bad input')
    await expect(q.run('b', 'user', throwsAtOnce)).rejects.toThrow('bad input')
    // With the slot leaked, this job would wait forever behind a limit of 1; a free slot starts it at once.
    let ran = false
    const c = q.run('c', 'background', async () => {
      ran = true
    })
    expect(ran).toBe(true)
    await c
    expect(q.busy).toBe(false)
  })

  it('whenDone answers when the waiting job of that key has run, not when another job of the key ends first', async () => {
    const q = new RefreshQueue(() => 1)
    const blocker = gate()
    const person = gate()
    const queued = gate()
    const x = q.run('x', 'background', blocker.job) // takes the only background slot
    const waiting = q.run('k', 'background', queued.job)
    const mine = q.run('k', 'user', person.job) // a person's refresh of the same key, at once
    let answered = false
    const done = q.whenDone('k').then(() => (answered = true))
    person.releaseAll()
    await mine
    await new Promise((r) => setImmediate(r))
    expect(answered).toBe(false) // the queued job of 'k' has not even started
    expect(q.isWaiting('k')).toBe(true)
    blocker.releaseAll()
    await x
    await new Promise((r) => setImmediate(r))
    expect(queued.running).toBe(1)
    expect(answered).toBe(false)
    queued.releaseAll()
    await Promise.all([waiting, done])
    expect(answered).toBe(true)
  })

  it('a second job of a key that waits queues after the first; the queue is not idle in between', async () => {
    let idle = 0
    const q = new RefreshQueue(
      () => 1,
      () => idle++,
    )
    const blocker = gate()
    const first = gate()
    const second = gate()
    const x = q.run('x', 'background', blocker.job)
    const a = q.run('k', 'background', first.job)
    const b = q.run('k', 'background', second.job) // 'k' already waits: this one follows it
    blocker.releaseAll()
    await x
    await new Promise((r) => setImmediate(r))
    expect([first.running, second.running]).toEqual([1, 0])
    first.releaseAll()
    await a
    await new Promise((r) => setImmediate(r))
    expect(second.running).toBe(1)
    // The write-behind flushes on idle: it must not be told so while the second job comes.
    expect(idle).toBe(0)
    second.releaseAll()
    await b
    expect(idle).toBe(1)
    expect(q.busy).toBe(false)
  })

  it('runAll: a batch runs in order within the limit, promote takes one out in the user lane, and it resolves once all ran, failures included', async () => {
    const q = new RefreshQueue(() => 2)
    const g = gate()
    const order: string[] = []
    const lanes = new Map<string, string>()
    const { currentLane } = await import('../../../src/main/core/http/lane')
    // 'b' is already waiting (queued alone, behind a running job): the batch must not run it twice.
    const blocker = q.run('x', 'background', g.job)
    const single = q.run('y', 'background', g.job)
    const alone = q.run('b', 'background', async () => {
      order.push('b(alone)')
    })
    let resolved = false
    const batch = q
      .runAll(['a', 'b', 'c', 'd'], async (key) => {
        order.push(key)
        lanes.set(key, currentLane())
        if (key === 'c') throw new Error('refused')
        return g.job()
      })
      .then(() => (resolved = true))
    expect(q.isWaiting('d')).toBe(true)
    expect(q.promote('d')).toBe(true)
    expect(lanes.get('d')).toBe('user')
    expect(q.isWaiting('d')).toBe(false)
    const dDone = q.whenDone('d') // not waiting any more: resolves at once
    await dDone
    while (q.busy) {
      g.releaseAll()
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all([blocker, single, alone, batch])
    expect(resolved).toBe(true)
    expect(order).toEqual(['d', 'b(alone)', 'a', 'c'])
    expect(lanes.get('a')).toBe('background')
  })
})

describe('sessions at scale (WEKA simulator, fake clock)', () => {
  const clock = new FakeClock(Date.now())
  let sim: WekaSim
  const users = Array.from({ length: 12 }, (_, i) => ({
    username: `s${i}`,
    password: `Sched-Pass-${i}`,
    role: 'Regular' as const,
  }))

  beforeAll(async () => {
    sim = await startWekaSim({ clock, users })
  })
  afterAll(async () => {
    await sim?.close()
  })

  /** Adds a cluster per user and signs each in; returns their ids in sign-in order. */
  async function signInEveryUser(h: CoreHarness, prefix: string): Promise<string[]> {
    const ids: string[] = []
    for (const u of users) {
      const c = await h.core.registry.add({
        vendor: 'weka',
        name: `${prefix}-${u.username}`,
        url: sim.url,
        username: u.username,
        trust: { sha256: sim.fingerprint },
      })
      await h.core.sessions.signIn(c.id, u.password)
      ids.push(c.id)
    }
    return ids
  }

  it('sessions signed in together come due at different moments, inside the refresh window', async () => {
    const h = await startCoreHarness(clock, {
      random: Math.random,
      secretStore: new KeytarSecretStore({
        service: 'x',
        namespace: randomUUID(),
        keytar: recordingKeytar(),
      }),
    })
    try {
      const ids = await signInEveryUser(h, 'drift')
      const base = refreshes(sim)
      const seen = new Set<number>()
      // Walk the clock through the window one tick at a time; refreshes spread over it.
      for (let t = 0; t < 5 * MINUTE; t += 10_000) {
        clock.advance(10_000)
        const before = refreshes(sim)
        await h.core.sessions.tick()
        if (refreshes(sim) > before) seen.add(t)
        if (refreshes(sim) - base >= ids.length) break
      }
      expect(refreshes(sim) - base).toBe(ids.length)
      expect(seen.size).toBeGreaterThan(1) // not all in one tick
      for (const id of ids) expect(h.core.sessions.state(id).state).toBe('active')
    } finally {
      await h.close()
    }
  })

  it('a copy of a session a scheduler pass queued is served ahead of the queue, with one refresh', async () => {
    const h = await startCoreHarness(clock, { random: Math.random })
    try {
      await h.core.registry.updateSettings({ refreshConcurrency: 1 })
      const ids = await signInEveryUser(h, 'queued')
      const base = refreshes(sim)
      clock.advance(10 * MINUTE) // every session past its expiry
      const pass = h.core.sessions.tick()
      // The session signed in last expires last: it is at the back of the queue.
      const last = ids[ids.length - 1]!
      const token = await h.core.sessions.getAccessToken(last)
      const doneWhenCopied = refreshes(sim) - base
      expect(token).toBeTruthy()
      expect(doneWhenCopied).toBeLessThan(ids.length) // it did not wait for the whole queue
      await pass
      expect(refreshes(sim) - base).toBe(ids.length) // one refresh each: none twice
      for (const id of ids) expect(h.core.sessions.state(id).state).toBe('active')
      expect(await h.core.sessions.getAccessToken(last)).toBe(token)
    } finally {
      await h.close()
    }
  })

  it('write-behind: the token is usable before the keychain has the rotated refresh token; close() writes it', async () => {
    const keytar = recordingKeytar()
    const store = new KeytarSecretStore({ service: 'x', namespace: randomUUID(), keytar })
    const h = await startCoreHarness(clock, { secretStore: store })
    let closed = false
    try {
      const c = await h.core.registry.add({
        vendor: 'weka',
        name: 'behind',
        url: sim.url,
        username: 's0',
        trust: { sha256: sim.fingerprint },
      })
      await h.core.sessions.signIn(c.id, 'Sched-Pass-0')
      const signedInValue = (await store.getCredential(c.id))!.value
      // Hold every keychain write until released.
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      keytar.before = (call) => (call.op === 'setPassword' ? held : undefined)

      clock.advance(4.5 * MINUTE)
      const token = await h.core.sessions.getAccessToken(c.id) // refreshes; must not wait for the write
      expect(sim.state.liveTokens('s0').some((r) => r.token === token)).toBe(true)
      expect(h.core.sessions.state(c.id).state).toBe('active')
      expect(h.core.sessions.writer.isPending(c.id)).toBe(true)
      keytar.before = undefined
      const closing = h.core.close().then(() => (closed = true))
      release()
      await closing
      const stored = (await store.getCredential(c.id))!.value
      expect(stored).not.toBe(signedInValue)
      expect(
        sim.state.liveTokens('s0').some((r) => r.kind === 'refresh' && r.token === stored),
      ).toBe(true)
      expect(h.core.sessions.writer.windowsMs.length).toBeGreaterThan(0)
    } finally {
      if (!closed) await h.core.close()
    }
  })

  it('sign-out while a rotated token waits to be written: the write never lands', async () => {
    const keytar = recordingKeytar()
    const store = new KeytarSecretStore({ service: 'x', namespace: randomUUID(), keytar })
    const h = await startCoreHarness(clock, { secretStore: store })
    try {
      const c = await h.core.registry.add({
        vendor: 'weka',
        name: 'cancelled',
        url: sim.url,
        username: 's1',
        trust: { sha256: sim.fingerprint },
      })
      await h.core.sessions.signIn(c.id, 'Sched-Pass-1')
      let release!: () => void
      const held = new Promise<void>((r) => (release = r))
      let writes = 0
      keytar.before = (call) => {
        if (call.op !== 'setPassword') return undefined
        writes++
        return held
      }
      clock.advance(4.5 * MINUTE)
      await h.core.sessions.getAccessToken(c.id)
      const signingOut = h.core.sessions.signOut(c.id)
      release()
      await signingOut
      await h.core.sessions.writer.flush()
      expect(await store.getCredential(c.id)).toBeUndefined()
      expect(writes).toBeLessThanOrEqual(1) // at most the one already under way, then deleted
    } finally {
      await h.close()
    }
  })
})

describe('credential writer beside a refresh storm', () => {
  /** A store that records each write and lets the test await the next one. */
  function recordingStore() {
    const written: string[] = []
    let wake: (() => void) | undefined
    const store = new MemorySecretStore()
    const setCredential = store.setCredential.bind(store)
    store.setCredential = async (clusterId, credential) => {
      await setCredential(clusterId, credential)
      written.push(clusterId)
      wake?.()
    }
    return {
      store,
      written,
      nextWrite: () => new Promise<void>((resolve) => (wake = resolve)),
    }
  }
  const credential = {
    kind: 'refresh-token' as const,
    value: 'rt-1',
    binding: { vendor: 'weka' as const, origin: 'https://127.0.0.1:14000', username: 'admin' },
  }

  it('steps aside while refreshes run and writes when the storm is over', async () => {
    const r = recordingStore()
    let busy = true
    const writer = new CredentialWriter({
      store: r.store,
      now: () => Date.now(),
      onResult: () => undefined,
      busy: () => busy,
      maxDeferMs: 3_600_000,
    })
    writer.enqueue('c1', credential)
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(r.written).toEqual([])
    expect(writer.isPending('c1')).toBe(true)
    busy = false
    const written = r.nextWrite()
    writer.resume()
    await written
    expect(r.written).toEqual(['c1'])
  })

  it('never waits longer than its deadline, and flush (quit) writes at once', async () => {
    const r = recordingStore()
    const writer = new CredentialWriter({
      store: r.store,
      now: () => Date.now(),
      onResult: () => undefined,
      busy: () => true, // a storm that never ends
      maxDeferMs: 1,
    })
    const written = r.nextWrite()
    writer.enqueue('c1', credential)
    await written // the deadline timer wrote it although the engine stayed busy

    const patient = new CredentialWriter({
      store: r.store,
      now: () => Date.now(),
      onResult: () => undefined,
      busy: () => true,
      maxDeferMs: 3_600_000,
    })
    patient.enqueue('c2', credential)
    await patient.flush()
    expect(r.written).toEqual(['c1', 'c2'])
  })
})
