/** Changing settings in the registry's state: nested groups merge field by field. */
import { TokendeckError } from '../../../shared/errors'
import { Settings, type SettingsPatch } from '../../../shared/model'
import { invalid, isPlainObject, sameJson, type Edit, type State } from './registryState'

export type { SettingsPatch }

/**
 * Nested groups merge field by field; a key present with `undefined` (in-process callers only)
 * resets that setting to its default. @throws INVALID_INPUT
 */
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
