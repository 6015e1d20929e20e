import { useId } from 'react'

/** Seconds from now, or 'never'. */
export type Expiry = number | 'never'

const PRESETS: { label: string; value: Expiry }[] = [
  { label: '1 hour', value: 3600 },
  { label: '24 hours', value: 86_400 },
  { label: '7 days', value: 7 * 86_400 },
  { label: '30 days', value: 30 * 86_400 },
  { label: '90 days', value: 90 * 86_400 },
  { label: 'Never', value: 'never' },
]

const UNITS = { hours: 3600, days: 86_400 } as const
type Unit = keyof typeof UNITS

export interface ExpiryChoice {
  preset: string
  customAmount: string
  customUnit: Unit
}

export const defaultExpiry = (preset = '30 days'): ExpiryChoice => ({
  preset,
  customAmount: '',
  customUnit: 'days',
})

/** The chosen lifetime in seconds, 'never', or an error in words. */
export function expiryValue(choice: ExpiryChoice): { value: Expiry } | { error: string } {
  if (choice.preset === 'custom') {
    const n = Number(choice.customAmount)
    if (!choice.customAmount.trim() || !Number.isFinite(n) || n <= 0)
      return { error: 'Enter a positive number.' }
    const seconds = Math.round(n * UNITS[choice.customUnit])
    if (seconds < 60) return { error: 'The shortest lifetime is one minute.' }
    if (seconds > 10 * 365 * 86_400) return { error: 'The longest lifetime is ten years.' }
    return { value: seconds }
  }
  const preset = PRESETS.find((p) => p.label === choice.preset)
  return preset ? { value: preset.value } : { error: 'Choose a lifetime.' }
}

/** Expiry presets (1 h … 90 d, Never where the cluster allows it) and a custom lifetime. */
export function ExpiryPicker({
  choice,
  onChange,
  allowNever,
  legend = 'Expires in',
}: {
  choice: ExpiryChoice
  onChange: (c: ExpiryChoice) => void
  allowNever: boolean
  legend?: string
}) {
  const id = useId()
  const check = expiryValue(choice)
  return (
    <fieldset className="expiry-picker">
      <legend>{legend}</legend>
      <div className="chips">
        {PRESETS.filter((p) => allowNever || p.value !== 'never').map((p) => (
          <label key={p.label} className="chip">
            <input
              type="radio"
              name={`${id}-expiry`}
              checked={choice.preset === p.label}
              onChange={() => onChange({ ...choice, preset: p.label })}
            />
            {p.label}
          </label>
        ))}
        <label className="chip">
          <input
            type="radio"
            name={`${id}-expiry`}
            checked={choice.preset === 'custom'}
            onChange={() => onChange({ ...choice, preset: 'custom' })}
          />
          Custom
        </label>
      </div>
      {choice.preset === 'custom' && (
        <div className="row">
          <label htmlFor={`${id}-amount`}>Custom lifetime</label>
          <input
            id={`${id}-amount`}
            type="number"
            min={1}
            inputMode="numeric"
            value={choice.customAmount}
            aria-invalid={'error' in check}
            onChange={(e) => onChange({ ...choice, customAmount: e.target.value })}
          />
          <label htmlFor={`${id}-unit`} className="visually-hidden">
            Custom lifetime unit
          </label>
          <select
            id={`${id}-unit`}
            value={choice.customUnit}
            onChange={(e) => onChange({ ...choice, customUnit: e.target.value as Unit })}
          >
            <option value="hours">hours</option>
            <option value="days">days</option>
          </select>
        </div>
      )}
      {'error' in check && choice.preset === 'custom' && choice.customAmount !== '' && (
        <p className="field-error">{check.error}</p>
      )}
    </fieldset>
  )
}
