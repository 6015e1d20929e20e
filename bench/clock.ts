/**
 * The refresh benchmark's clock. Like the tests' FakeClock it jumps (`advance`: one access-token
 * lifetime in one call, so every session is due without a five-minute wait), but while it runs
 * it also moves with the wall clock, so durations the core measures on its own clock are real:
 * the credential writer's crash window (`writer.windowsMs`, server answer → stored) is taken on
 * the core's clock, and a FakeClock would report it as 0 ms.
 *
 * `freeze()` stops the wall-clock part (the later benchmarks want cached tokens that stay valid
 * however long they take, as with a FakeClock); `run()` lets it move again.
 *
 * Its state lives in shared memory (`shared`), so the simulator's worker thread reads the same
 * time (`BenchClock.attach`): a jump made here is seen there at once. The wall clock is
 * `performance.timeOrigin + performance.now()`, which agrees between threads.
 */
import type { Clock } from '../test/sim/common/clock'

/** Cells of the shared state, in µs: the base reading, and the wall time it has been running since (NOT_RUNNING when frozen). */
const BASE = 0
const RUNNING_SINCE = 1
const NOT_RUNNING = -1n

export type Wall = () => number

const defaultWall: Wall = () => performance.timeOrigin + performance.now()

export class BenchClock implements Clock {
  /** Hand this to another thread's `BenchClock.attach` to share the clock. */
  readonly shared: SharedArrayBuffer
  private readonly cells: BigInt64Array

  /**
   * `start`: the clock's first reading, ms since the epoch. `wall`: a monotonic ms source that
   * every thread sharing the clock reads alike (tests pass their own).
   */
  constructor(
    start = Date.UTC(2026, 10, 23, 9, 0, 0),
    private readonly wall: Wall = defaultWall,
    shared?: SharedArrayBuffer,
  ) {
    this.shared = shared ?? new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT)
    this.cells = new BigInt64Array(this.shared)
    if (!shared) {
      Atomics.store(this.cells, BASE, micros(start))
      Atomics.store(this.cells, RUNNING_SINCE, this.wallMicros())
    }
  }

  /** The clock another thread made, on its shared state. */
  static attach(shared: SharedArrayBuffer, wall: Wall = defaultWall): BenchClock {
    return new BenchClock(0, wall, shared)
  }

  /** Whole milliseconds, like Date.now(): the sim and the core store times as integers. */
  now(): number {
    const base = Atomics.load(this.cells, BASE)
    const since = Atomics.load(this.cells, RUNNING_SINCE)
    const moving = since === NOT_RUNNING ? 0n : this.wallMicros() - since
    return Number((base + moving) / 1000n)
  }

  advance(ms: number): void {
    Atomics.add(this.cells, BASE, micros(ms))
  }

  /** Stops following the wall clock (now() stays where it is until run() or advance()). */
  freeze(): void {
    const since = Atomics.load(this.cells, RUNNING_SINCE)
    if (since === NOT_RUNNING) return
    Atomics.store(this.cells, RUNNING_SINCE, NOT_RUNNING)
    Atomics.add(this.cells, BASE, this.wallMicros() - since)
  }

  /** Follows the wall clock again from the current reading. */
  run(): void {
    if (this.running) return
    Atomics.store(this.cells, RUNNING_SINCE, this.wallMicros())
  }

  get running(): boolean {
    return Atomics.load(this.cells, RUNNING_SINCE) !== NOT_RUNNING
  }

  private wallMicros(): bigint {
    return micros(this.wall())
  }
}

function micros(ms: number): bigint {
  return BigInt(Math.round(ms * 1000))
}
