import { useEffect, useState } from 'react'
import { copyText } from './clipboard'

/** Copies `text`, then says so for a moment (visibly, and to screen readers). */
export function CopyButton({ text, label = 'Copy', copiedLabel = 'Copied', className = 'btn btn-small' }: { readonly text: string; readonly label?: string; readonly copiedLabel?: string; readonly className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2500)
    return () => clearTimeout(timer)
  }, [state])
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => {
          copyText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          )
        }}
      >
        {state === 'copied' ? `✓ ${copiedLabel}` : label}
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? copiedLabel : state === 'failed' ? 'Could not copy; select the text and copy it by hand.' : ''}
      </span>
    </>
  )
}
