/**
 * The settings, asked for once per window before React starts (`startSettings()`, called from
 * `startup.ts` beside the cluster list), so the list's first render already has the user's
 * grouping and order. Asked for after React's first render, they came a round trip after the
 * list: a list grouped by tag was first drawn flat and then regrouped — a visible jump, and the
 * grouped list usable that much later than the flat one (`npm run bench` figure 4).
 *
 * The window changes them only through `publishSettings` (what `settings:update` answered).
 */
import type { Settings } from '../../shared/model'
import { call } from './api'

export interface SettingsState {
  settings: Settings | undefined
  error: string | undefined
  /** The first answer came (settings or an error): the views can stop waiting for it. */
  loaded: boolean
}

let state: SettingsState = { settings: undefined, error: undefined, loaded: false }
const listeners = new Set<() => void>()
let started = false

function publish(next: SettingsState): void {
  state = next
  for (const l of listeners) l()
}

/** Asks main for the settings, once per window; later calls do nothing. */
export function startSettings(): void {
  if (started) return
  started = true
  // No bridge (the page opened outside the app) rejects too: the error is shown, nothing waits.
  call('settings:get', undefined).then(
    // A save that answered first is newer than this answer.
    (settings) => publish({ settings: state.settings ?? settings, error: undefined, loaded: true }),
    (e: unknown) =>
      publish({
        settings: state.settings,
        error: e instanceof Error ? e.message : String(e),
        loaded: true,
      }),
  )
}

/** The settings as saved (the answer of `settings:update`). */
export function publishSettings(settings: Settings): void {
  publish({ settings, error: undefined, loaded: true })
}

export function subscribeSettings(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function settingsState(): SettingsState {
  return state
}
