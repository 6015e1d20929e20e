/**
 * The optional system-wide shortcut (settings `globalShortcut`, off by default) that brings the
 * window up with the command palette open. Thin: registers the accelerator the settings name,
 * swaps it when they change, and says when the desktop refused it (another app holds it).
 */
import { globalShortcut } from 'electron'

export class GlobalShortcutBinding {
  private current: string | null = null

  constructor(
    private readonly onPress: () => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Registers `accelerator` in place of the previous one; null removes it. */
  apply(accelerator: string | null): void {
    if (accelerator === this.current) return
    if (this.current !== null) globalShortcut.unregister(this.current)
    this.current = null
    if (accelerator === null) return
    let registered = false
    try {
      registered = globalShortcut.register(accelerator, this.onPress)
    } catch {
      // Electron throws for an accelerator it cannot parse: same outcome as a refusal.
    }
    if (registered) this.current = accelerator
    else
      this.log(
        `The shortcut ${accelerator} could not be registered (another application may use it); choose another in Settings.`,
      )
  }

  dispose(): void {
    if (this.current !== null) globalShortcut.unregister(this.current)
    this.current = null
  }
}
