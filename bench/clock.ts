/**
 * The refresh benchmark's clock. Like the tests' FakeClock it jumps (`advance`: one access-token
 * lifetime in one call, so every session is due without a five-minute wait), but while it runs
 * it also moves with the wall clock, so durations the core measures on its own clock are real:
 * the credential writer's crash window (`writer.windowsMs`, server answer → stored) is taken on
 * the core's clock, and a FakeClock would report it as 0 ms.
 *
 * `freeze()` stops the wall-clock part (the later benchmarks want cached tokens that stay valid
 * however long they take, as with a FakeClock); `run()` lets it move again.
 */
import type { Clock } from '../test/sim/common/clock'

export class BenchClock implements Clock {
  private base: number
  private runningSince: number | undefined

  /**
   * `start`: the clock's first reading, ms since the epoch. `wall`: a monotonic ms source
   * (performance.now by default; tests pass their own).
   */
  constructor(
    start = Date.UTC(2026, 10, 23, 9, 0, 0),
    private readonly wall: () => number = () => performance.now(),
  ) {
    this.base = start
    this.runningSince = wall()
  }

  /** Whole milliseconds, like Date.now(): the sim and the core store times as integers. */
  now(): number {
    const moving = this.runningSince === undefined ? 0 : this.wall() - this.runningSince
    return Math.floor(this.base + moving)
  }

  advance(ms: number): void {
    this.base += ms
  }

  /** Stops following the wall clock (now() stays where it is until run() or advance()). */
  freeze(): void {
    if (this.runningSince === undefined) return
    this.base += this.wall() - this.runningSince
    this.runningSince = undefined
  }

  /** Follows the wall clock again from the current reading. */
  run(): void {
    if (this.runningSince !== undefined) return
    this.runningSince = this.wall()
  }

  get running(): boolean {
    return this.runningSince !== undefined
  }
}
