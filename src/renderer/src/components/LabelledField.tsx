import { useId, type ReactNode } from 'react'

/** What a field's control spreads on itself so that its label names it and its hint and error describe it. */
export interface FieldControl {
  readonly id: string
  readonly 'aria-invalid': true | undefined
  readonly 'aria-describedby': string | undefined
}

/** A labelled control with, under it, the reason its value is refused and a hint. */
export function LabelledField({ label, hint, error, children }: { readonly label: string; readonly hint?: ReactNode; readonly error?: string | undefined; readonly children: (control: FieldControl) => ReactNode }) {
  const id = useId()
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described || undefined })}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  )
}
