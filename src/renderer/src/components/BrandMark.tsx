/** MCP Tray's mark (a ring with a dot, as in the app icon), drawn in the current text color. */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
      <circle cx="16" cy="16" r="11.36" fill="none" stroke="currentColor" strokeWidth="4.16" />
      <circle cx="16" cy="16" r="4.8" fill="currentColor" />
    </svg>
  )
}
