import type { ReactNode } from 'react'

export type NoticeTone = 'info' | 'success' | 'warning' | 'error'

/** A boxed message: an error says what happened and what to do; it is announced when it appears. */
export function Notice({ tone, title, children, actions }: { readonly tone: NoticeTone; readonly title?: string; readonly children?: ReactNode; readonly actions?: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="notice-text">
        {title && <strong className="notice-title">{title}</strong>}
        {children && <div className="notice-body">{children}</div>}
      </div>
      {actions && <div className="notice-actions">{actions}</div>}
    </div>
  )
}
