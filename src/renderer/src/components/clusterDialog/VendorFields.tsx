/**
 * The chosen vendor's connection fields (WEKA's organization, Swarm's tenant, domain and S3
 * endpoint…), drawn from the vendor table (shared/vendors.ts): a vendor added there gets its
 * fields here without a change to this dialog.
 */
import { vendorFields, type VendorField } from '../../../../shared/vendors'
import { urlProblem } from '../../urls'
import { Field } from '../Field'

export type FieldValues = Readonly<Record<string, string>>

/** What is wrong with a field's value, in the user's words (empty is always allowed). */
export function fieldProblem(field: VendorField, value: string): string | undefined {
  if (!value.trim()) return undefined
  if (field.kind === 'url') return urlProblem(value.trim())
  return value.length > 256 ? `${field.label} is at most 256 characters.` : undefined
}

/** The cluster's values of `vendor`'s fields, as the form starts with them. */
export function initialFieldValues(vendor: string, cluster: object | undefined): FieldValues {
  const record = (cluster ?? {}) as Record<string, unknown>
  return Object.fromEntries(
    vendorFields(vendor).map((f) => {
      const value = record[f.key]
      return [f.key, typeof value === 'string' ? value : '']
    }),
  )
}

/**
 * The values to send. Adding: filled fields only. Editing: every field of the vendor, an emptied
 * one as '' (empty = absent; undefined would not cross IPC as JSON).
 */
export function fieldValuesToSend(
  vendor: string,
  values: FieldValues,
  editing: boolean,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of vendorFields(vendor)) {
    const value = (values[f.key] ?? '').trim()
    if (value || (editing && f.kind === 'text')) out[f.key] = value
  }
  return out
}

export function VendorFields({
  vendor,
  values,
  onChange,
}: {
  vendor: string
  values: FieldValues
  onChange: (key: string, value: string) => void
}) {
  const fields = vendorFields(vendor)
  // Fields that share a `row` sit side by side; the others take a line each.
  const rows: VendorField[][] = []
  for (const f of fields) {
    const last = rows[rows.length - 1]
    if (f.row !== undefined && last?.[0]?.row === f.row) last.push(f)
    else rows.push([f])
  }
  const field = (f: VendorField) => (
    <Field
      key={f.key}
      label={f.label}
      value={values[f.key] ?? ''}
      onChange={(value) => onChange(f.key, value)}
      hint={f.help}
      error={fieldProblem(f, values[f.key] ?? '')}
      spellCheck={false}
      autoComplete="off"
    />
  )
  return (
    <>
      {rows.map((row) =>
        row.length > 1 ? (
          <div className="field-row" key={row.map((f) => f.key).join(' ')}>
            {row.map(field)}
          </div>
        ) : (
          field(row[0]!)
        ),
      )}
    </>
  )
}
