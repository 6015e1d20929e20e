import { CatalogueButtons } from './CatalogueButtons'

export function EmptyState({ demo, onAdd }: { demo: boolean; onAdd: () => void }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No clusters yet</h2>
      <p>
        Add a WEKA, Qumulo or Swarm cluster to sign in, keep its access token fresh and copy it with
        one click. Refresh tokens and long-lived secrets stay in your system keychain.
      </p>
      {demo && (
        <p className="muted">
          This is the demo profile: <code>npm run demo</code> starts simulated WEKA, Qumulo and
          Swarm clusters on this computer, registers them here and prints the demo users to sign in
          with. Its data is kept apart from your real clusters. If you removed the demo clusters,
          run <code>npm run demo</code> again to add them back.
        </p>
      )}
      <p className="empty-actions">
        <button type="button" className="primary" onClick={onAdd}>
          Add cluster
        </button>{' '}
        <span className="muted">or, with the file your team shares,</span>{' '}
        <CatalogueButtons only="import" />
      </p>
    </section>
  )
}
