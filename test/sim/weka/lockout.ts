import type { Clock } from '../common/clock'

export interface LockoutPolicy {
  /** docs/protocols/weka.md §2.4: `num_failed_logins`, default 5 (GUI range 2–50). */
  numFailedLogins: number
  /** docs/protocols/weka.md §2.4: `lockout_duration` in seconds, default 120 (GUI range 30 s – 60 min). */
  lockoutDurationSeconds: number
}

interface Tally {
  /** Every POST /login naming this account, whatever the outcome. */
  attempts: number
  /** Consecutive failures since the last success or lock. */
  failures: number
  lockedUntil?: number
}

/** Per-account sign-in bookkeeping: attempt counts, failure streaks and locks. */
export class LoginGuard {
  private readonly tallies = new Map<string, Tally>()

  constructor(
    public policy: LockoutPolicy,
    private readonly clock: Clock,
  ) {}

  private tally(key: string): Tally {
    let t = this.tallies.get(key)
    if (!t) {
      t = { attempts: 0, failures: 0 }
      this.tallies.set(key, t)
    }
    return t
  }

  countAttempt(key: string): void {
    this.tally(key).attempts += 1
  }

  attempts(key: string): number {
    return this.tallies.get(key)?.attempts ?? 0
  }

  failures(key: string): number {
    return this.tallies.get(key)?.failures ?? 0
  }

  /** Milliseconds the account stays locked, or 0 when it is not locked. */
  lockedFor(key: string): number {
    const until = this.tallies.get(key)?.lockedUntil
    if (until === undefined) return 0
    const left = until - this.clock.now()
    return left > 0 ? left : 0
  }

  lockedUntil(key: string): number | undefined {
    return this.lockedFor(key) > 0 ? this.tallies.get(key)?.lockedUntil : undefined
  }

  /** A wrong password; locks the account when the streak reaches the policy's threshold. */
  recordFailure(key: string): void {
    const t = this.tally(key)
    t.failures += 1
    if (t.failures >= this.policy.numFailedLogins) this.lock(key)
  }

  /** docs/protocols/weka.md §9.4 DESIGN (knob): an attempt during a lock restarts the window. */
  relock(key: string): void {
    this.lock(key)
  }

  recordSuccess(key: string): void {
    const t = this.tally(key)
    t.failures = 0
    delete t.lockedUntil
  }

  /** docs/protocols/weka.md §2.4 DOC: DELETE /lockoutPolicy "clears the failed login attempts counter and unlocks". */
  resetAll(): void {
    for (const t of this.tallies.values()) {
      t.failures = 0
      delete t.lockedUntil
    }
  }

  private lock(key: string): void {
    const t = this.tally(key)
    t.failures = 0
    t.lockedUntil = this.clock.now() + this.policy.lockoutDurationSeconds * 1000
  }
}
