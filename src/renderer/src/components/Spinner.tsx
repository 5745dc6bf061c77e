/** A small turning ring for work in progress; the words beside it say what is happening. */
export function Spinner({ label }: { readonly label?: string }) {
  return (
    <span className="spinner-wrap">
      <span className="spinner" aria-hidden="true" />
      {label && <span>{label}</span>}
    </span>
  )
}

/** A view's loading state: a spinner and words, in the place the content will take. */
export function Loading({ label }: { readonly label: string }) {
  return (
    <div className="loading" role="status">
      <Spinner label={label} />
    </div>
  )
}
