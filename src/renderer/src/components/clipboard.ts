/** Puts text on the clipboard; the fallback covers pages the Clipboard API refuses (no focus, no permission). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    return
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.className = 'offscreen'
    document.body.append(area)
    area.select()
    const copied = document.execCommand('copy')
    area.remove()
    if (!copied) throw new Error('The clipboard refused the text; select it and copy it by hand.')
  }
}
