import type { ReactNode } from 'react'
import { LabelledField } from '../components/LabelledField'

/** A labelled settings input with its hint and, when the value is refused, the reason beside it. */
export function SettingsField({ label, value, onChange, hint, error, suffix, inputMode = 'numeric', placeholder, type = 'text' }: { readonly label: string; readonly value: string; readonly onChange: (value: string) => void; readonly hint?: ReactNode; readonly error?: string | undefined; readonly suffix?: string; readonly inputMode?: 'numeric' | 'url' | 'text'; readonly placeholder?: string; readonly type?: string }) {
  return (
    <LabelledField label={label} hint={hint} error={error}>
      {(control) => (
        <div className="input-with-suffix">
          <input {...control} className="input" type={type} value={value} inputMode={inputMode} placeholder={placeholder} spellCheck={false} onChange={(event) => onChange(event.target.value)} />
          {suffix && (
            <span className="input-suffix" aria-hidden="true">
              {suffix}
            </span>
          )}
        </div>
      )}
    </LabelledField>
  )
}
