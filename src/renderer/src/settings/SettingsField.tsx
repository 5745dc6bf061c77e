import { useId, type ReactNode } from 'react'

/** A labelled settings input with its hint and, when the value is refused, the reason beside it. */
export function SettingsField({ label, value, onChange, hint, error, suffix, inputMode = 'numeric', placeholder, type = 'text' }: { readonly label: string; readonly value: string; readonly onChange: (value: string) => void; readonly hint?: ReactNode; readonly error?: string | undefined; readonly suffix?: string; readonly inputMode?: 'numeric' | 'url' | 'text'; readonly placeholder?: string; readonly type?: string }) {
  const id = useId()
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-with-suffix">
        <input
          id={id}
          className="input"
          type={type}
          value={value}
          inputMode={inputMode}
          placeholder={placeholder}
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {suffix && (
          <span className="input-suffix" aria-hidden="true">
            {suffix}
          </span>
        )}
      </div>
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
