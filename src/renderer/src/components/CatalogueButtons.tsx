/**
 * Export… and Import… of the cluster catalogue a team shares (issue 15, item 4): the app's face of
 * `tokendeck clusters export` / `import`. Main owns the files (its save/open dialogs); the
 * renderer sees only the catalogue's entries, which never hold a secret. Every certificate a new
 * or changed cluster would trust is shown, and nothing is trusted that the user did not tick.
 */
import { useState } from 'react'
import type { Catalogue, ImportPlanEntry } from '../../../shared/catalogue'
import { call } from '../api'
import { formatDateTime, plural } from '../format'
import { Dialog, DialogClose } from './Dialog'
import { Fingerprint } from './Fingerprint'
import { useToast } from './Toasts'

/** Adding a cluster, or changing the certificate a known one trusts, needs the user's yes. */
export function needsConfirm(p: ImportPlanEntry): boolean {
  return p.action === 'add' || (p.action === 'update' && p.trustChanged)
}

const ACTION_WORDS: Record<ImportPlanEntry['action'], string> = {
  add: 'new: will be added',
  update: 'known: will be updated',
  unchanged: 'known: nothing to change',
  skip: 'skipped',
}

/** `only="import"`: the empty list, where there is nothing to export yet. */
export function CatalogueButtons({ only }: { only?: 'import' } = {}) {
  const toast = useToast()
  const [pending, setPending] = useState<{
    path: string
    catalogue: Catalogue
    plan: ImportPlanEntry[]
  }>()
  const [busy, setBusy] = useState(false)

  const exportAll = async () => {
    try {
      const r = await call('files:saveCatalogue', {})
      if (r.path)
        toast.show({
          title: `Exported ${plural(r.clusters, 'cluster')}`,
          description: `${r.path} holds the clusters and their certificates, never a password or token.`,
        })
    } catch (e) {
      toast.error(e, 'Could not export the clusters')
    }
  }

  const importFile = async () => {
    try {
      const r = await call('files:openCatalogue', undefined)
      if (!r.path || !r.catalogue) return
      const plan = await call('clusters:importPlan', { catalogue: r.catalogue })
      setPending({ path: r.path, catalogue: r.catalogue, plan })
    } catch (e) {
      toast.error(e, 'Could not import that file')
    }
  }

  return (
    <>
      {only !== 'import' && (
        <button type="button" onClick={() => void exportAll()}>
          Export…
        </button>
      )}
      <button type="button" onClick={() => void importFile()}>
        Import…
      </button>
      {pending && (
        <ImportDialog
          {...pending}
          busy={busy}
          onClose={() => setPending(undefined)}
          onImport={async (confirmed) => {
            setBusy(true)
            try {
              const outcomes = await call('clusters:import', {
                catalogue: pending.catalogue,
                confirmed,
              })
              const count = (s: string) => outcomes.filter((o) => o.status === s).length
              toast.show({
                title: `Imported ${pending.path.split(/[\\/]/).pop()}`,
                description: `${count('added')} added, ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('skipped')} skipped.`,
              })
              setPending(undefined)
            } catch (e) {
              toast.error(e, 'Could not import the clusters')
            } finally {
              setBusy(false)
            }
          }}
        />
      )}
    </>
  )
}

function ImportDialog({
  path,
  plan,
  busy,
  onClose,
  onImport,
}: {
  path: string
  plan: ImportPlanEntry[]
  busy: boolean
  onClose: () => void
  onImport: (confirmed: number[]) => Promise<void>
}) {
  const [ticked, setTicked] = useState<Set<number>>(new Set())
  const toggle = (i: number) =>
    setTicked((t) => {
      const next = new Set(t)
      if (next.has(i)) next.delete(i)
      else next.add(i)
      return next
    })
  const asking = plan.filter(needsConfirm)
  return (
    <Dialog
      open
      onClose={onClose}
      title="Import clusters"
      description={`${path}: ${plural(plan.length, 'entry', 'entries')}. Tick each certificate you trust: a cluster whose certificate is not ticked is not added or changed.`}
    >
      <ul className="import-plan">
        {plan.map((p) => (
          <li key={p.index} className="card">
            <div>
              <strong>{p.name}</strong> <span className="muted">({p.vendor})</span> {p.url}
              {p.username ? ` as ${p.username}` : ''}
            </div>
            <div className="muted">
              {ACTION_WORDS[p.action]}
              {p.reason ? `: ${p.reason}` : ''}
              {p.tagsAdded.length ? ` (tags added: ${p.tagsAdded.join(', ')})` : ''}
            </div>
            {needsConfirm(p) && (
              <label className="import-trust">
                <input
                  type="checkbox"
                  checked={ticked.has(p.index)}
                  onChange={() => toggle(p.index)}
                />{' '}
                Trust {p.certificate.kind === 'pin' ? 'the certificate' : 'the CA'} of {p.name}
                {p.trustChanged ? ' (it differs from the one trusted now)' : ''}:{' '}
                <Fingerprint value={p.certificate.sha256} />
                {p.certificate.kind === 'ca' && (
                  <span className="muted">
                    {' '}
                    {p.certificate.subject}, issued by {p.certificate.issuer}, valid{' '}
                    {formatDateTime(p.certificate.validFrom)} –{' '}
                    {formatDateTime(p.certificate.validTo)}
                  </span>
                )}
              </label>
            )}
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <DialogClose>Cancel</DialogClose>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void onImport([...ticked])}
        >
          {asking.length === 0 || ticked.size > 0 ? 'Import' : 'Import without new certificates'}
        </button>
      </div>
    </Dialog>
  )
}
