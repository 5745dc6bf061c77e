import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'

export interface MenuItem {
  readonly key: string
  readonly label: string
  readonly onSelect: () => void
  /** Shown as a check box item (e.g. installed in a client or not). */
  readonly checked?: boolean
  readonly disabled?: boolean
  readonly danger?: boolean
  /** A second, quieter line (a file path). */
  readonly detail?: string
}

/**
 * A button that opens a menu (WAI-ARIA menu button pattern): arrows move, Enter chooses,
 * Escape closes and gives focus back to the button, a click elsewhere closes it.
 */
export function MenuButton({ label, items, className = 'btn', accessibleLabel, align = 'end' }: { readonly label: ReactNode; readonly items: readonly MenuItem[]; readonly className?: string; readonly accessibleLabel?: string; readonly align?: 'start' | 'end' }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const menuId = useId()

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])')?.focus()
    const onPointer = (event: PointerEvent): void => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])

  function close(focusButton: boolean): void {
    setOpen(false)
    if (focusButton) button.current?.focus()
  }

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>): void {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ?? [])]
    const at = entries.indexOf(document.activeElement as HTMLElement)
    const move = (index: number): void => {
      event.preventDefault()
      entries[(index + entries.length) % entries.length]?.focus()
    }
    if (event.key === 'ArrowDown') move(at + 1)
    else if (event.key === 'ArrowUp') move(at - 1)
    else if (event.key === 'Home') move(0)
    else if (event.key === 'End') move(entries.length - 1)
    else if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close(true)
    } else if (event.key === 'Tab') close(false)
  }

  return (
    <div className="menu-anchor">
      <button
        ref={button}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={accessibleLabel}
        onClick={() => setOpen((was) => !was)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault()
            setOpen(true)
          }
        }}
      >
        {label}
        <span className="menu-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div ref={menu} id={menuId} role="menu" className={`menu menu-${align}`} onKeyDown={onMenuKey}>
          {items.map((item) => (
            <button
              key={item.key}
              type="button"
              role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={item.checked}
              aria-disabled={item.disabled || undefined}
              tabIndex={-1}
              className={`menu-item${item.danger ? ' menu-item-danger' : ''}`}
              onClick={() => {
                if (item.disabled) return
                close(true)
                item.onSelect()
              }}
            >
              {item.checked !== undefined && (
                <span className="menu-check" aria-hidden="true">
                  {item.checked ? '✓' : ''}
                </span>
              )}
              <span className="menu-item-text">
                <span>{item.label}</span>
                {item.detail && <span className="menu-item-detail">{item.detail}</span>}
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
