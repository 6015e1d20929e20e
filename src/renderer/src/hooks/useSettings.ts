import { useEffect, useSyncExternalStore } from 'react'
import {
  publishSettings,
  settingsState,
  startSettings,
  subscribeSettings,
  type SettingsState,
} from '../settingsStore'

/** The window's settings (see settingsStore.ts), and how to show newly saved ones. */
export function useSettings(): SettingsState & { set: typeof publishSettings } {
  const s = useSyncExternalStore(subscribeSettings, settingsState)
  // Started by startup.ts before React; this covers a page that did not import it.
  useEffect(() => startSettings(), [])
  return { ...s, set: publishSettings }
}
