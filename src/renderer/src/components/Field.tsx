import { useId, type InputHTMLAttributes, type ReactNode } from 'react'

/** A labelled text input with its hint and error wired to aria-describedby. */
export function Field({
  label,
  hint,
  error,
  value,
  onChange,
  ...rest
}: {
  label: string
  hint?: ReactNode
  error?: string | undefined
  value: string
  onChange: (value: string) => void
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'>) {
  const id = useId()
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...rest}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  )
}

/** A failed call shown inside a dialog (role=alert so it is announced). */
export function ErrorNote({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="error-note">
      {children}
    </div>
  )
}
