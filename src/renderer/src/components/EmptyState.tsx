export function EmptyState({ demo }: { demo: boolean }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No clusters yet</h2>
      <p>
        Add a WEKA, Qumulo or Swarm cluster to sign in, keep its access token fresh and copy it with one
        click. Refresh tokens and long-lived secrets stay in your system keychain.
      </p>
      {demo && (
        <p className="muted">
          This is the demo profile: it talks to simulated clusters on this computer and keeps its data apart
          from your real clusters.
        </p>
      )}
      <button type="button" className="primary">
        Add cluster
      </button>
    </section>
  )
}
