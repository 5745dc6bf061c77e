/**
 * Text that came from outside (an authorization server's `error_description`, a server's error
 * body, a log preview) made fit to show on a terminal, in a log or in the dashboard: escape
 * sequences and control characters removed, so that it can neither restyle, retitle or rewrite a
 * terminal nor hide what it says. Pure: no package (this layer imports none), no state.
 */

// ECMA-48 §5: control strings (OSC, DCS, SOS, PM, APC), 7- and 8-bit, up to their terminator
// (BEL, as xterm accepts for OSC, or ST). The payload stops at the first ESC, BEL or ST, so an
// unterminated one costs one scan, not one per character.
const controlString = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)/g
// §5.4: control sequences (CSI), 7- and 8-bit: parameters, intermediates, a final byte.
const controlSequence = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/g
// §5.3 and ECMA-35: any other escape sequence (ESC, intermediates, a final byte), e.g. ESC c (reset).
const escapeSequence = /\x1b[\x20-\x2f]*[\x30-\x7e]/g
// What is left: C0 but tab and newline, DEL, C1; and the bidirectional overrides and isolates that
// reorder what a reader sees (CVE-2021-42574, "Trojan Source").
const controlCharacter = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

export interface SafeTextOptions {
  /** Newlines and tabs become single spaces too: for a line of a table, a status, a stderr line. */
  readonly singleLine?: boolean
}

/** `text` without escape sequences or control characters; newlines and tabs kept unless `singleLine`. */
export function safeText(text: string, options: SafeTextOptions = {}): string {
  const cleaned = text
    .replace(/\r\n/g, '\n')
    .replace(controlString, '')
    .replace(controlSequence, '')
    .replace(escapeSequence, '')
    .replace(controlCharacter, '')
  return options.singleLine ? cleaned.replace(/[\t\n]+/g, ' ') : cleaned
}
