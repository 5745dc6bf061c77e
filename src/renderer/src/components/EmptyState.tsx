/** What the dashboard shows while there are no servers to list. */
export function EmptyState() {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <h2 id="empty-state-title">No servers yet</h2>
      <p>Remote MCP servers you add will appear here, each with its live connection status.</p>
    </section>
  )
}
