import { useState } from 'react'
import { normalizeTag, Tag } from '../../../shared/model'
import { call } from '../api'
import { useToast } from './Toasts'

/**
 * A cluster's tags, each removable, and a box to add one. Each change is one `clusters:tag`
 * call (a locked read-modify-write in main), so tags added meanwhile by a terminal are kept.
 */
export function TagEditor({
  clusterId,
  tags,
  onChanged,
}: {
  clusterId: string
  tags: readonly string[]
  onChanged: () => void
}) {
  const [draft, setDraft] = useState('')
  const [problem, setProblem] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const toast = useToast()
  const change = async (add: string[], remove: string[]) => {
    setBusy(true)
    try {
      await call('clusters:tag', { clusterId, add, remove })
      onChanged()
    } catch (e) {
      toast.error(e, 'Could not change the tags')
    } finally {
      setBusy(false)
    }
  }
  const submit = async () => {
    const tag = normalizeTag(draft)
    if (!tag) return
    const parsed = Tag.safeParse(tag)
    if (!parsed.success) {
      setProblem(`“${draft.trim()}”: ${parsed.error.issues[0]?.message ?? 'not a valid tag'}.`)
      return
    }
    setProblem(undefined)
    setDraft('')
    await change([tag], [])
  }
  return (
    <div className="tag-editor">
      <span className="tag-list" aria-label="Tags">
        {tags.length === 0 && <span className="muted">none</span>}
        {tags.map((t) => (
          <span className="tag" key={t}>
            {t}
            <button
              type="button"
              aria-label={`Remove tag ${t}`}
              disabled={busy}
              onClick={() => void change([], [t])}
            >
              ×
            </button>
          </span>
        ))}
      </span>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <label htmlFor={`tag-add-${clusterId}`} className="visually-hidden">
          New tag
        </label>
        <input
          id={`tag-add-${clusterId}`}
          placeholder="prod, lab, site-a…"
          value={draft}
          disabled={busy}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={problem !== undefined}
        />
        <button type="submit" disabled={busy || !draft.trim()}>
          Add tag
        </button>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  )
}
