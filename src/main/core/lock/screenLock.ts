/**
 * Pause on lock. When the screen locks or the machine goes to sleep, whatever Tokendeck left
 * within reach is put away: a value it put on the clipboard is cleared (only if the clipboard
 * still holds it), the window is told to close any dialog showing a secret, and — when the user
 * turned on `pauseAgentWhenLocked` — the agent refuses to hand tokens to terminals and scripts
 * (SCREEN_LOCKED) until the screen is unlocked and the machine awake again.
 *
 * The events come from an injected source: Electron's powerMonitor in the app (electron/
 * powerEvents.ts only forwards them), a plain emitter in tests, none in the CLI and the headless
 * agent (which then never pause). Locked and asleep are tracked apart: a laptop that locks and
 * then sleeps gets 'resume' before 'unlock-screen', and must stay paused until the latter.
 */
import { TokendeckError } from '../../../shared/errors'

export const LOCK_EVENTS = ['lock-screen', 'unlock-screen', 'suspend', 'resume'] as const
export type LockEvent = (typeof LOCK_EVENTS)[number]

export interface LockEventSource {
  /** Calls `listener` for each event; returns the unsubscribe function. */
  subscribe(listener: (event: LockEvent) => void): () => void
}

export interface ScreenLockDeps {
  source?: LockEventSource
  /** Clears a value Tokendeck copied, if the clipboard still holds it. */
  clearClipboard(): void
  /** Tells the window (event ui:screenLocked). */
  notifyLocked(): void
  /** Settings `pauseAgentWhenLocked`, read at each request. */
  pauseAgent(): boolean
}

export const SCREEN_LOCKED_MESSAGE =
  'The screen is locked; unlock to use Tokendeck. (Settings: "Pause the agent while the screen is locked".)'

export class ScreenLock {
  private screenLocked = false
  private asleep = false
  private readonly unsubscribe: (() => void) | undefined

  constructor(private readonly deps: ScreenLockDeps) {
    this.unsubscribe = deps.source?.subscribe((e) => this.handle(e))
  }

  /** The screen is locked or the machine asleep (whatever the setting says). */
  get locked(): boolean {
    return this.screenLocked || this.asleep
  }

  /** Throws SCREEN_LOCKED while locked, if the user asked the agent to pause. */
  assertServing(): void {
    if (!this.locked) return
    let pause = true
    try {
      pause = this.deps.pauseAgent()
    } catch {
      // A setting that cannot be read must not hand out a token while the user is away.
    }
    if (pause) throw new TokendeckError('SCREEN_LOCKED', SCREEN_LOCKED_MESSAGE)
  }

  handle(event: LockEvent): void {
    switch (event) {
      case 'lock-screen':
      case 'suspend': {
        if (event === 'lock-screen') this.screenLocked = true
        else this.asleep = true
        // Each step on its own: one failing must not keep the others from running.
        for (const step of [this.deps.clearClipboard, this.deps.notifyLocked]) {
          try {
            step()
          } catch {
            // Best effort; the next lock tries again.
          }
        }
        return
      }
      case 'unlock-screen':
        this.screenLocked = false
        return
      case 'resume':
        this.asleep = false
        return
    }
  }

  close(): void {
    this.unsubscribe?.()
  }
}
