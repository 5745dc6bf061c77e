import { useEffect, useId, useRef, type ReactNode } from 'react'

/**
 * A modal dialog on the platform's <dialog>: the page behind is inert (focus stays inside),
 * Escape closes it, and focus returns to where it was.
 */
export function Dialog({ open, title, onClose, children, footer }: { readonly open: boolean; readonly title: string; readonly onClose: () => void; readonly children: ReactNode; readonly footer?: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) {
      const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : undefined
      dialog.showModal()
      return () => {
        if (dialog.open) dialog.close()
        returnTo?.focus()
      }
    }
    return undefined
  }, [open])
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      {open && (
        <>
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <div className="dialog-body">{children}</div>
          {footer && <div className="dialog-footer">{footer}</div>}
        </>
      )}
    </dialog>
  )
}
