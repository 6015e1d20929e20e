/** Changing settings in the registry's state: nested groups merge field by field. */
import { TokendeckError } from '../../../shared/errors'
import { Settings } from '../../../shared/model'
import { invalid, isPlainObject, sameJson, type Edit, type State } from './registryState'

/** What `updateSettings` takes: nested groups merge field by field; `undefined` resets a setting to its default. */
export type SettingsPatch = {
  [K in keyof Settings]?: Settings[K] extends Record<string, unknown>
    ? Partial<Settings[K]>
    : Settings[K]
}

/** @throws INVALID_INPUT */
export function editSettings(state: State, patch: SettingsPatch): Edit<Settings> {
  if (!isPlainObject(patch))
    throw new TokendeckError(
      'INVALID_INPUT',
      'Invalid settings: expected an object of settings to change.',
    )
  const previous = state.settings
  const merged: Record<string, unknown> = { ...previous }
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key]
    // One level deep is all Settings has (expiryWarning, notifications): merge those groups
    // so `{ notifications: { expiring: false } }` leaves the other notification switches be.
    merged[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value
  }
  const parsed = Settings.safeParse(merged)
  if (!parsed.success) throw invalid('settings', parsed.error.issues)
  const settings = parsed.data
  if (sameJson(settings, previous)) return { next: state, result: previous }
  return {
    next: { ...state, settings },
    result: settings,
    event: { kind: 'settings-updated', settings, previous },
  }
}
