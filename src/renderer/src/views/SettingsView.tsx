import { useState } from 'react'
import type { Settings } from '../../../shared/model'
import { ApiError, call } from '../api'
import { ErrorNote, Field } from '../components/Field'
import { QuickAccessSettings } from '../components/QuickAccessSettings'
import { errorWords } from '../format'

type Theme = Settings['theme']

const NOTIFICATIONS: { key: keyof Settings['notifications']; label: string }[] = [
  { key: 'refreshFailed', label: 'A session could not be refreshed' },
  { key: 'signedOut', label: 'A session ended (signed out)' },
  { key: 'expiring', label: 'A token is about to expire' },
  { key: 'certificateChanged', label: 'A cluster’s certificate changed' },
]

function intProblem(value: string, min: number, max: number): string | undefined {
  if (!/^\d+$/.test(value.trim())) return 'Enter a whole number.'
  const n = Number(value)
  return n < min || n > max ? `Between ${min} and ${max}.` : undefined
}

/** Preferences, saved in the config file through settings:update. The theme applies at once. */
export function SettingsView({
  settings,
  onSaved,
}: {
  settings: Settings
  onSaved: (s: Settings) => void
}) {
  const [clip, setClip] = useState(String(settings.clipboardClearSeconds))
  const [clearOnQuit, setClearOnQuit] = useState(settings.clipboardClearOnQuit)
  const [days, setDays] = useState(String(settings.expiryWarning.days))
  const [hours, setHours] = useState(String(settings.expiryWarning.hours))
  const [notifications, setNotifications] = useState(settings.notifications)
  const [status, setStatus] = useState<string | undefined>()
  const [error, setError] = useState<string | undefined>()

  const problems = {
    clip: intProblem(clip, 0, 3600),
    days: intProblem(days, 0, 365),
    hours: intProblem(hours, 0, 168),
  }
  const invalid = Object.values(problems).some(Boolean)

  const update = async (patch: Partial<Settings>, saidAs: string) => {
    setError(undefined)
    setStatus(undefined)
    try {
      // Send every setting, not just the changed ones: the contract's Settings.partial() keeps zod's
      // defaults, so a field left out would be reset to its default (reported to the lead).
      const saved = await call('settings:update', { ...settings, ...patch })
      onSaved(saved)
      setStatus(saidAs)
    } catch (e) {
      setError(e instanceof ApiError ? errorWords(e.info) : String(e))
    }
  }

  const save = () =>
    update(
      {
        clipboardClearSeconds: Number(clip),
        clipboardClearOnQuit: clearOnQuit,
        expiryWarning: { days: Number(days), hours: Number(hours) },
        notifications,
      },
      'Settings saved.',
    )

  return (
    <section className="settings" aria-labelledby="settings-title">
      <div className="row">
        <h2 id="settings-title">Settings</h2>
        <span role="status" className="ok-note">
          {status}
        </span>
      </div>
      <form
        className="form card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          if (!invalid) void save()
        }}
      >
        <h3>Clipboard</h3>
        <Field
          label="Clear the clipboard after (seconds)"
          type="number"
          min={0}
          max={3600}
          value={clip}
          onChange={setClip}
          hint="A copied token is removed from the clipboard after this long, if it is still there. 0 = never."
          error={problems.clip}
        />
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={clearOnQuit}
              aria-describedby="settings-clear-on-quit-hint"
              onChange={(e) => setClearOnQuit(e.target.checked)}
            />
            Clear the clipboard when Tokendeck quits
          </label>
          <p className="hint" id="settings-clear-on-quit-hint">
            A token Tokendeck copied is cleared when it quits, also when the delay above is 0
            (never), if the clipboard still holds it. Turn this off to keep it there after quitting.
          </p>
        </div>
        <h3>Expiry warnings</h3>
        <div className="field-row">
          <Field
            label="Warn before long-lived tokens expire (days)"
            type="number"
            min={0}
            max={365}
            value={days}
            onChange={setDays}
            error={problems.days}
          />
          <Field
            label="Warn before short-lived tokens expire (hours)"
            type="number"
            min={0}
            max={168}
            value={hours}
            onChange={setHours}
            hint="For tokens that live a day or so (Swarm)."
            error={problems.hours}
          />
        </div>
        <fieldset>
          <legend>Notify me when</legend>
          {NOTIFICATIONS.map((n) => (
            <label key={n.key} className="check">
              <input
                type="checkbox"
                checked={notifications[n.key]}
                onChange={(e) => setNotifications({ ...notifications, [n.key]: e.target.checked })}
              />
              {n.label}
            </label>
          ))}
        </fieldset>
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="row">
          <button type="submit" className="primary" disabled={invalid}>
            Save settings
          </button>
        </div>
      </form>
      <div className="form card">
        <h3>Appearance</h3>
        <div className="field">
          <label htmlFor="settings-theme">Theme</label>
          <select
            id="settings-theme"
            value={settings.theme}
            onChange={(e) => void update({ theme: e.target.value as Theme }, 'Theme saved.')}
          >
            <option value="system">Same as the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>
      </div>
      <QuickAccessSettings settings={settings} onSaved={onSaved} />
    </section>
  )
}
