import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSync } from 'vite'
import { describe, expect, it } from 'vitest'

/**
 * STYLE.md convention 1, checked on every .ts/.tsx file under src/: arrows point one way
 * (cli, main → core → shared; renderer → shared; preload → shared), and src/core and
 * src/shared keep no module-level mutable state.
 */

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const src = join(repo, 'src')

type Layer = 'shared' | 'core' | 'cli' | 'main' | 'preload' | 'renderer'
/** What an import reaches besides our own layers. */
type Target = Layer | 'node' | 'electron' | 'package'

/**
 * What each layer may import. `electron` also stands for packages that load electron
 * (electron-store); `node` is Node's built-in modules; `package` any other npm package.
 */
const allowed: Record<Layer, readonly Target[]> = {
  shared: ['shared'],
  core: ['core', 'shared', 'node', 'package'],
  cli: ['cli', 'core', 'shared', 'node', 'package'],
  main: ['main', 'core', 'shared', 'electron', 'node', 'package'],
  preload: ['preload', 'shared', 'electron'],
  renderer: ['renderer', 'shared', 'package'],
}
const layers = Object.keys(allowed) as Layer[]

/** Packages that import electron when loaded, and so count as electron. */
const electronPackages = new Set(['electron', 'electron-store'])
/** Files outside src/ that any layer may read: data, not code. */
const dataFilesOutsideSrc = new Set([join(repo, 'package.json')])

interface Import {
  readonly specifier: string | undefined
  readonly line: number
}

interface SourceFile {
  readonly path: string
  readonly layer: Layer | undefined
  readonly text: string
  readonly program: { readonly body: readonly AstNode[] }
}

interface AstNode {
  readonly type: string
  readonly start: number
  readonly [key: string]: unknown
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

function parse(path: string, text = readFileSync(path, 'utf8')): SourceFile {
  const result = parseSync(path, text)
  if (result.errors.length > 0) throw new Error(`${relative(repo, path)} does not parse: ${result.errors[0]!.message}`)
  const layer = relative(src, path).split(sep)[0]
  return {
    path,
    layer: layers.includes(layer as Layer) ? (layer as Layer) : undefined,
    text,
    program: result.program as unknown as SourceFile['program'],
  }
}

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'

/** The module a string literal (or a template literal without substitutions) names. */
function literal(node: unknown): string | undefined {
  if (!isNode(node)) return undefined
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value
  const quasis = node.quasis as readonly { value: { cooked: string } }[] | undefined
  if (node.type === 'TemplateLiteral' && (node.expressions as unknown[]).length === 0) return quasis?.[0]?.value.cooked
  return undefined
}

/**
 * Every import of a file: static and type imports, re-exports, `import()` and `import('x')`
 * types, `import x = require()` and `require()`. A specifier that is not a constant string is
 * returned as undefined, because it cannot be checked.
 */
function importsOf(file: SourceFile): Import[] {
  const found: Import[] = []
  const lineOf = (offset: number) => file.text.slice(0, offset).split('\n').length
  const visit = (node: AstNode): void => {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ImportExpression':
      case 'TSImportType':
        found.push({ specifier: literal(node.source), line: lineOf(node.start) })
        break
      case 'ExportNamedDeclaration':
        if (node.source) found.push({ specifier: literal(node.source), line: lineOf(node.start) })
        break
      case 'TSExternalModuleReference':
        found.push({ specifier: literal(node.expression), line: lineOf(node.start) })
        break
      case 'CallExpression': {
        const callee = node.callee as AstNode
        if (callee.type === 'Identifier' && callee.name === 'require') {
          found.push({ specifier: literal((node.arguments as unknown[])[0]), line: lineOf(node.start) })
        }
        break
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.filter(isNode).forEach(visit)
      else if (isNode(value)) visit(value)
    }
  }
  file.program.body.forEach(visit)
  return found
}

/** What a specifier reaches, or a reason it reaches nothing a layer may use. */
function targetOf(file: SourceFile, specifier: string): Target | 'outside src' | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = resolve(dirname(file.path), specifier)
    if (dataFilesOutsideSrc.has(target)) return file.layer
    const relativeToSrc = relative(src, target)
    if (relativeToSrc.startsWith('..')) return 'outside src'
    const layer = relativeToSrc.split(sep)[0] as Layer
    return layers.includes(layer) ? layer : 'outside src'
  }
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return 'node'
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!
  return electronPackages.has(name) ? 'electron' : 'package'
}

/** Every import that breaks the arrows, as "file:line imports 'x' (reason)". */
function importViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = []
  for (const file of files) {
    const where = relative(repo, file.path)
    if (file.layer === undefined) {
      violations.push(`${where} is in no layer: put it under src/${layers.join('|')}`)
      continue
    }
    for (const { specifier, line } of importsOf(file)) {
      if (specifier === undefined) {
        violations.push(`${where}:${line} imports a computed module name, which cannot be checked`)
        continue
      }
      const target = targetOf(file, specifier)
      if (target === undefined || !(allowed[file.layer] as readonly string[]).includes(target)) {
        violations.push(
          `${where}:${line} imports '${specifier}' (${target}); src/${file.layer} may import only ${allowed[file.layer].join(', ')}`,
        )
      }
    }
  }
  return violations
}

/** Every `let` or `var` at the top level of a module, as "file:line declares …". */
function moduleLevelMutables(files: readonly SourceFile[]): string[] {
  const found: string[] = []
  for (const file of files) {
    for (const statement of file.program.body) {
      const declaration =
        statement.type === 'ExportNamedDeclaration' && isNode(statement.declaration) ? statement.declaration : statement
      if (declaration.type === 'VariableDeclaration' && declaration.kind !== 'const' && declaration.declare !== true) {
        const line = file.text.slice(0, statement.start).split('\n').length
        found.push(`${relative(repo, file.path)}:${line} declares a module-level \`${String(declaration.kind)}\``)
      }
    }
  }
  return found
}

/** A made-up source file at `src/<path>`, to show what the checks catch. */
const fixture = (path: string, text: string): SourceFile => parse(join(src, path), text)

describe('import direction (STYLE.md convention 1)', () => {
  const files = sourceFiles(src).map((path) => parse(path))

  it('finds the source files', () => {
    expect(files.map((file) => file.layer)).toEqual(expect.arrayContaining(['shared', 'core', 'cli', 'main', 'preload', 'renderer']))
  })

  it('has every import of src/ point the allowed way', () => {
    expect(importViolations(files)).toEqual([])
  })

  it('keeps no module-level mutable state in src/core and src/shared', () => {
    const coreAndShared = files.filter((file) => file.layer === 'core' || file.layer === 'shared')
    expect(moduleLevelMutables(coreAndShared)).toEqual([])
  })

  it('catches each kind of wrong arrow, naming the file, line and import', () => {
    const bad = [
      fixture('shared/a.ts', "import { readFile } from 'node:fs'\nimport { x } from '../core/x'\nimport 'zod'"),
      fixture('core/b.ts', "import type { App } from 'electron'\nexport { y } from '../main/y'\nimport Store from 'electron-store'"),
      fixture('renderer/c.tsx', "const fs = await import('fs')\ntype W = import('electron').BrowserWindow"),
      fixture('preload/d.ts', "import { z } from '../core/z'\nconst p = require('path')"),
      fixture('cli/e.ts', "import { app } from 'electron'\nimport x = require('../renderer/x')"),
      fixture('main/f.ts', "const name = 'x'\nawait import(name)\nimport { g } from '../cli/g'"),
    ]
    expect(importViolations(bad)).toEqual([
      expect.stringMatching(/^src\/shared\/a\.ts:1 imports 'node:fs' \(node\)/),
      expect.stringMatching(/^src\/shared\/a\.ts:2 imports '\.\.\/core\/x' \(core\)/),
      expect.stringMatching(/^src\/shared\/a\.ts:3 imports 'zod' \(package\)/),
      expect.stringMatching(/^src\/core\/b\.ts:1 imports 'electron' \(electron\)/),
      expect.stringMatching(/^src\/core\/b\.ts:2 imports '\.\.\/main\/y' \(main\)/),
      expect.stringMatching(/^src\/core\/b\.ts:3 imports 'electron-store' \(electron\)/),
      expect.stringMatching(/^src\/renderer\/c\.tsx:1 imports 'fs' \(node\)/),
      expect.stringMatching(/^src\/renderer\/c\.tsx:2 imports 'electron' \(electron\)/),
      expect.stringMatching(/^src\/preload\/d\.ts:1 imports '\.\.\/core\/z' \(core\)/),
      expect.stringMatching(/^src\/preload\/d\.ts:2 imports 'path' \(node\)/),
      expect.stringMatching(/^src\/cli\/e\.ts:1 imports 'electron' \(electron\)/),
      expect.stringMatching(/^src\/cli\/e\.ts:2 imports '\.\.\/renderer\/x' \(renderer\)/),
      expect.stringMatching(/^src\/main\/f\.ts:2 imports a computed module name/),
      expect.stringMatching(/^src\/main\/f\.ts:3 imports '\.\.\/cli\/g' \(cli\)/),
    ])
  })

  it('lets the allowed arrows through', () => {
    const good = [
      fixture('shared/a.ts', "import { version } from '../../package.json'\nimport type { B } from './b'"),
      fixture('core/b.ts', "import { join } from 'node:path'\nimport { z } from 'zod'\nimport { a } from '../shared/a'"),
      fixture('main/c.ts', "import { app } from 'electron'\nimport { b } from '../core/b'"),
      fixture('preload/d.ts', "import { ipcRenderer } from 'electron'\nimport type { A } from '../shared/a'"),
      fixture('renderer/e.tsx', "import { createRoot } from 'react-dom/client'\nimport { a } from '../shared/a'"),
      fixture('cli/f.ts', "import { Command } from 'commander'\nimport { b } from '../core/b'"),
    ]
    expect(importViolations(good)).toEqual([])
  })

  it('catches module-level let and var, and only those', () => {
    const file = fixture(
      'core/g.ts',
      'let count = 0\nexport var cache = new Map()\nconst fixed = 1\nfunction f() {\n  let local = 2\n  return local\n}\ndeclare let ambient: number',
    )
    expect(moduleLevelMutables([file])).toEqual([
      'src/core/g.ts:1 declares a module-level `let`',
      'src/core/g.ts:2 declares a module-level `var`',
    ])
  })
})
