import { createScanner, type Edit, type Node, type SyntaxKind } from 'jsonc-parser'

// jsonc-parser declares SyntaxKind as a const enum, which isolated modules cannot read: its values.
const token = { comma: 5, lineComment: 12, blockComment: 13, lineBreak: 14, whitespace: 15, end: 17 } as const satisfies Record<string, SyntaxKind>

/**
 * Text edits on a parsed JSONC tree that touch only the property being added, replaced or
 * removed. jsonc-parser's own `modify` reformats whole neighbouring lines and, on removal, deletes
 * everything between the previous property and the removed one, comments included; these edits
 * never do either.
 */
export interface EditStyle {
  /** One level of indentation, e.g. two spaces or a tab. */
  readonly unit: string
  readonly eol: string
}

/** The indentation and line ending a document already uses (two spaces and `\n` when it has none). */
export function detectStyle(text: string): EditStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const indented = /^([ \t]+)["}\]{[]/m.exec(text)?.[1]
  const unit = indented === undefined ? '  ' : indented.startsWith('\t') ? '\t' : ' '.repeat(Math.min(indented.length, 8))
  return { unit, eol }
}

/** Replaces a property's value in place: indented like its line, or on one line when the property shares its line. */
export function replaceValue(text: string, value: Node, replacement: unknown, style: EditStyle): Edit {
  const property = value.parent ?? value
  const content = startsLine(text, property.offset) ? render(replacement, lineIndent(text, property.offset), style) : JSON.stringify(replacement)
  return { offset: value.offset, length: value.length, content }
}

/** Adds `"key": value` as the last property of an object node, in the object's own layout. */
export function insertProperty(text: string, object: Node, key: string, value: unknown, style: EditStyle): Edit[] {
  const properties = object.children ?? []
  const last = properties.at(-1)
  const closing = object.offset + object.length - 1
  if (!last) {
    const indent = lineIndent(text, object.offset) + style.unit
    const member = `${JSON.stringify(key)}: ${render(value, indent, style)}`
    const interior = text.slice(object.offset + 1, closing)
    if (interior.trim() === '') {
      const closingIndent = lineIndent(text, object.offset)
      return [{ offset: object.offset + 1, length: interior.length, content: `${style.eol}${indent}${member}${style.eol}${closingIndent}` }]
    }
    return [{ offset: object.offset + 1, length: 0, content: `${style.eol}${indent}${member}` }]
  }

  const lastEnd = last.offset + last.length
  const trailingComma = nextSignificantToken(text, lastEnd)
  const hasTrailingComma = trailingComma?.kind === token.comma
  if (!startsLine(text, last.offset)) {
    // A one-line object stays on one line.
    const member = `${JSON.stringify(key)}: ${JSON.stringify(value)}`
    return hasTrailingComma
      ? [{ offset: trailingComma.end, length: 0, content: ` ${member},` }]
      : [{ offset: lastEnd, length: 0, content: `, ${member}` }]
  }

  const indent = lineIndent(text, last.offset)
  const member = `${JSON.stringify(key)}: ${render(value, indent, style)}`
  const anchor = hasTrailingComma ? trailingComma.end : lastEnd
  // Insert after whatever comment ends the last property's line, so that the comment stays with it.
  const insertAt = Math.min(lineEnd(text, anchor), closing)
  const afterAnchor = text.slice(anchor, insertAt)
  const at = afterAnchor.trim() === '' || isOnlyComment(afterAnchor) ? insertAt : anchor
  const edits: Edit[] = []
  if (!hasTrailingComma) edits.push({ offset: lastEnd, length: 0, content: ',' })
  edits.push({ offset: at, length: 0, content: `${style.eol}${indent}${member}${hasTrailingComma ? ',' : ''}` })
  return edits
}

/**
 * Removes one property and the one comma that separated it, and its line when nothing else
 * (a comment, another property) shares that line. Comments around it stay.
 */
export function removeProperty(text: string, object: Node, property: Node): Edit[] {
  const properties = object.children ?? []
  const index = properties.indexOf(property)
  const start = property.offset
  const end = property.offset + property.length
  const blank = (from: number, to: number): boolean => text.slice(from, to).trim() === ''

  const after = nextSignificantToken(text, end)
  const comma = after?.kind === token.comma ? after : undefined
  if (properties.length === 1) {
    const interiorStart = object.offset + 1
    const closing = object.offset + object.length - 1
    if (blank(interiorStart, start) && blank(comma?.end ?? end, closing)) return [cut(interiorStart, closing)]
    if (!comma) return [removal(text, start, end)]
  }

  if (comma) {
    if (!blank(end, comma.offset)) return [cut(comma.offset, comma.end), removal(text, start, end)]
    const whole = removal(text, start, comma.end)
    if (whole.offset !== start) return [whole]
    let stop = comma.end
    while (text[stop] === ' ' || text[stop] === '	') stop += 1
    return [cut(start, stop)]
  }
  const previous = properties[index - 1]!
  const before = nextSignificantToken(text, previous.offset + previous.length)!
  if (blank(before.end, start)) return [cut(before.offset, end)]
  return [cut(before.offset, before.end), removal(text, start, end)]
}

function cut(from: number, to: number): Edit {
  return { offset: from, length: to - from, content: '' }
}

/** Cuts `[start, end)`, widened to its whole line (line break included) when nothing else is on it. */
function removal(text: string, start: number, end: number): Edit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1
  const stop = lineEnd(text, end)
  if (text.slice(lineStart, start).trim() !== '' || text.slice(end, stop).trim() !== '') return cut(start, end)
  const breakLength = text.startsWith('\r\n', stop) ? 2 : text.startsWith('\n', stop) ? 1 : 0
  return cut(lineStart, stop + breakLength)
}

function render(value: unknown, indent: string, style: EditStyle): string {
  return JSON.stringify(value, null, style.unit).split('\n').join(style.eol + indent)
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0]
}

function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  return text.slice(lineStart, offset).trim() === ''
}

/** The offset of the line break (or end of text) that ends the line holding `offset`. */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset)
  if (newline === -1) return text.length
  return text[newline - 1] === '\r' ? newline - 1 : newline
}

function isOnlyComment(fragment: string): boolean {
  const scanner = createScanner(fragment, false)
  let sawComment = false
  for (let kind = scanner.scan(); kind !== token.end; kind = scanner.scan()) {
    if (kind === token.lineComment || kind === token.blockComment) sawComment = true
    else if (kind !== token.whitespace) return false
  }
  return sawComment
}

function nextSignificantToken(text: string, offset: number): { kind: SyntaxKind; offset: number; end: number } | undefined {
  const scanner = createScanner(text, false)
  scanner.setPosition(offset)
  for (let kind = scanner.scan(); kind !== token.end; kind = scanner.scan()) {
    if (
      kind === token.whitespace ||
      kind === token.lineBreak ||
      kind === token.lineComment ||
      kind === token.blockComment
    ) {
      continue
    }
    return { kind, offset: scanner.getTokenOffset(), end: scanner.getTokenOffset() + scanner.getTokenLength() }
  }
  return undefined
}
