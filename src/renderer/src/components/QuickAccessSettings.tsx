/**
 * Settings for pause on lock and the global shortcut, as one self-contained card: each change is
 * saved at once with only its own fields (settings:update merges a partial patch).
 */
import { useState } from 'react'
import { DEFAULT_GLOBAL_SHORTCUT, type Settings } from '../../../shared/model'
import { ApiError, call } from '../api'
import { errorWords } from '../format'
import { ErrorNote, Field } from './Field'

const ACCELERATOR = /^([A-Za-z]+\+)+[A-Za-z0-9]{1,9}$/

export function QuickAccessSettings({
  settings,
  onSaved,
}: {
  settings: Settings
  onSaved: (s: Settings) => void
}) {
  const [shortcut, setShortcut] = useState(settings.globalShortcut ?? DEFAULT_GLOBAL_SHORTCUT)
  const [error, setError] = useState<string | undefined>()
  const [status, setStatus] = useState<string | undefined>()
  // Shown at once, saved in the background; put back if saving fails.
  const [pause, setPause] = useState(settings.pauseAgentWhenLocked)
  const [shortcutOn, setShortcutOn] = useState(settings.globalShortcut !== null)
  const shortcutProblem = ACCELERATOR.test(shortcut.trim())
    ? undefined
    : `Modifiers and one key joined by "+", such as ${DEFAULT_GLOBAL_SHORTCUT}.`

  const save = async (patch: Partial<Settings>, saidAs: string) => {
    setError(undefined)
    setStatus(undefined)
    try {
      const saved = await call('settings:update', patch)
      onSaved(saved)
      setStatus(saidAs)
    } catch (e) {
      setPause(settings.pauseAgentWhenLocked)
      setShortcutOn(settings.globalShortcut !== null)
      setError(e instanceof ApiError ? errorWords(e.info) : String(e))
    }
  }

  return (
    <div className="form card quick-access" aria-labelledby="quick-access-h">
      <div className="row">
        <h3 id="quick-access-h">Screen lock and shortcut</h3>
        <span role="status" className="ok-note">
          {status}
        </span>
      </div>
      <p className="hint">
        When the screen locks or the computer sleeps, Tokendeck clears a token it copied (if the
        clipboard still holds it) and closes any secret shown once.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={pause}
          onChange={(e) => {
            setPause(e.target.checked)
            void save(
              { pauseAgentWhenLocked: e.target.checked },
              e.target.checked
                ? 'Terminals get no token while the screen is locked.'
                : 'Terminals get tokens while the screen is locked.',
            )
          }}
        />
        Pause the agent while the screen is locked (terminals and scripts get no token until you
        unlock)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={shortcutOn}
          disabled={!shortcutOn && shortcutProblem !== undefined}
          onChange={(e) => {
            setShortcutOn(e.target.checked)
            void save(
              { globalShortcut: e.target.checked ? shortcut.trim() : null },
              e.target.checked ? `${shortcut.trim()} opens the palette.` : 'Global shortcut off.',
            )
          }}
        />
        A global shortcut brings Tokendeck up with the command palette (Ctrl/Cmd+K inside the
        window)
      </label>
      <div className="row wrap">
        <Field
          label="Shortcut"
          value={shortcut}
          onChange={setShortcut}
          error={shortcutProblem}
          hint="It works in every application, so pick one no other app uses."
          spellCheck={false}
        />
        {shortcutOn &&
          settings.globalShortcut !== null &&
          shortcut.trim() !== settings.globalShortcut && (
            <button
              type="button"
              disabled={shortcutProblem !== undefined}
              onClick={() =>
                void save(
                  { globalShortcut: shortcut.trim() },
                  `${shortcut.trim()} opens the palette.`,
                )
              }
            >
              Use this shortcut
            </button>
          )}
      </div>
      {error && <ErrorNote>{error}</ErrorNote>}
    </div>
  )
}
