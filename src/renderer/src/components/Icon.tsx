/** The few line icons the dashboard uses, drawn in the current text colour. */
const paths = {
  servers: 'M3 4.5h14v4H3zM3 11.5h14v4H3zM6 6.5h.01M6 13.5h.01',
  add: 'M10 4v12M4 10h12',
  log: 'M4 5h12M4 8.5h12M4 12h8M4 15.5h10',
  diagnostics: 'M3 16h14M5 13l3-4 3 2 4-6',
  doctor: 'M7 3v5a3 3 0 0 0 6 0V3M10 11v2a3 3 0 0 0 6 0v-1.5M16 11.5h.01',
  settings: 'M10 7a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4',
} as const

export type IconName = keyof typeof paths

export function Icon({ name }: { readonly name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}
