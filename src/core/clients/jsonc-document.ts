import { isDeepStrictEqual } from 'node:util'
import { applyEdits, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser'
import { TrayError } from '../../shared/tray-error'
import { detectStyle, insertProperty, removeProperty, replaceValue } from './jsonc-edits'

/** Which file a document came from, for the words of its errors. */
export interface DocumentOrigin {
  readonly file: string
  /** e.g. `Claude Desktop's config file` */
  readonly label: string
}

const byteOrderMark = '\uFEFF'

const problems: Partial<Record<string, string>> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name (in double quotes) is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing brace } is expected',
  CloseBracketExpected: 'a closing bracket ] is expected',
  EndOfFileExpected: 'the text goes on after the end of the JSON',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  InvalidEscapeCharacter: 'an invalid escape in a string',
  InvalidCharacter: 'an invalid character in a string',
}

/**
 * A client's config file as text, read with a JSONC parser, that changes one server entry at a
 * time and leaves every other byte (comments, formatting, key order, other keys) as it was.
 * Each change is checked by parsing the result again; a document is never turned into one that
 * means anything but the intended change.
 */
export class JsoncDocument {
  readonly #origin: DocumentOrigin
  readonly #bom: string
  readonly #body: string
  readonly #root: Node | undefined

  private constructor(origin: DocumentOrigin, bom: string, body: string, root: Node | undefined) {
    this.#origin = origin
    this.#bom = bom
    this.#body = body
    this.#root = root
  }

  /** Reads a file's text; an empty text (a missing or blank file) is an empty object. */
  static parse(text: string, origin: DocumentOrigin): JsoncDocument {
    const bom = text.startsWith(byteOrderMark) ? byteOrderMark : ''
    const body = text.slice(bom.length)
    if (body.trim() === '') return new JsoncDocument(origin, bom, body, undefined)
    const errors: ParseError[] = []
    const root = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false })
    const first = errors[0]
    if (first) throw unparseable(origin, body, first)
    if (root?.type !== 'object') {
      throw unexpectedShape(origin, 'its top level is not a JSON object')
    }
    return new JsoncDocument(origin, bom, body, root)
  }

  get text(): string {
    return this.#bom + this.#body
  }

  /** The entries under `key` (e.g. `mcpServers`), by name, as plain values. */
  servers(key: string): ReadonlyMap<string, unknown> {
    const object = this.#serversNode(key)
    const entries = new Map<string, unknown>()
    for (const property of object?.children ?? []) {
      const [name, value] = property.children ?? []
      if (name && value) entries.set(String(name.value), plainValue(value))
    }
    return entries
  }

  /** A document with `key.name` set to `value`, added last when new, replaced in place when not. */
  withServer(key: string, name: string, value: unknown): JsoncDocument {
    const root = this.#root
    if (!root) {
      const eol = detectStyle(this.#body).eol
      const fresh = JSON.stringify({ [key]: { [name]: value } }, null, 2).split('\n').join(eol) + eol
      return this.#changed(fresh, key, name, value)
    }
    const style = detectStyle(this.#body)
    const object = this.#serversNode(key)
    if (!object) return this.#changed(applyEdits(this.#body, insertProperty(this.#body, root, key, { [name]: value }, style)), key, name, value)
    const existing = findNodeAtLocation(object, [name])
    const edits = existing ? [replaceValue(this.#body, existing, value, style)] : insertProperty(this.#body, object, name, value, style)
    return this.#changed(applyEdits(this.#body, edits), key, name, value)
  }

  /** A document without `key.name`; the same document when there is no such entry. */
  withoutServer(key: string, name: string): JsoncDocument {
    const object = this.#serversNode(key)
    const property = object?.children?.find((p) => p.children?.[0]?.value === name)
    if (!object || !property) return this
    return this.#changed(applyEdits(this.#body, removeProperty(this.#body, object, property)), key, name, undefined)
  }

  #serversNode(key: string): Node | undefined {
    if (!this.#root) return undefined
    const node = findNodeAtLocation(this.#root, [key])
    if (node && node.type !== 'object') throw unexpectedShape(this.#origin, `"${key}" is not an object`)
    return node
  }

  /** Builds the edited document and proves the edit changed exactly `key.name` and nothing else. */
  #changed(body: string, key: string, name: string, value: unknown): JsoncDocument {
    const next = JsoncDocument.parse(this.#bom + body, this.#origin)
    const expected = (this.#root ? plainValue(this.#root) : {}) as Record<string, unknown>
    const servers = (expected[key] ??= {}) as Record<string, unknown>
    if (value === undefined) delete servers[name]
    else servers[name] = value
    const actual = next.#root ? plainValue(next.#root) : {}
    if (!isDeepStrictEqual(actual, expected)) {
      throw new TrayError('client_config_edit_failed', `MCP Tray could not change "${name}" in ${this.#origin.label} ${this.#origin.file} safely. Nothing was changed.`, {
        hint: 'Please report this with a copy of the file (remove secrets first); meanwhile edit the entry by hand.',
      })
    }
    return next
  }
}

/** jsonc-parser builds objects without a prototype; callers and comparisons want plain ones. */
function plainValue(node: Node): unknown {
  return JSON.parse(JSON.stringify(getNodeValue(node))) as unknown
}

function unparseable(origin: DocumentOrigin, body: string, error: ParseError): TrayError {
  const before = body.slice(0, error.offset)
  const line = before.split('\n').length
  const column = error.offset - (before.lastIndexOf('\n') + 1) + 1
  const code = printParseErrorCode(error.error)
  const problem = problems[code] ?? code
  return new TrayError(
    'client_config_unparseable',
    `${origin.label} ${origin.file} is not valid JSON: ${problem} at line ${line}, column ${column}. Nothing was changed.`,
    { hint: 'Correct the file at that spot (or restore a backup) and try again; MCP Tray never writes a file it cannot read.' },
  )
}

function unexpectedShape(origin: DocumentOrigin, what: string): TrayError {
  return new TrayError('client_config_unexpected_shape', `${origin.label} ${origin.file} has an unexpected shape: ${what}. Nothing was changed.`, {
    hint: 'Fix the file by hand so that it is a JSON object with an object of servers, then try again.',
  })
}
