#!/usr/bin/env node
// Draws MCP Tray's icons and writes them into resources/ as PNG files:
//   resources/icon.png                      the app icon, 512x512
//   resources/tray/<state>.png, @2x.png     colored tray icons (Windows, Linux), 16x16 and 32x32
//   resources/tray/<state>Template.png, @2x monochrome template icons for the macOS menu bar
//   src/renderer/public/favicon.png         the app icon at 64x64, for the dashboard in a browser
// The mark is a ring (a connection) with a dot in it; each state changes the mark so that it
// still reads in monochrome: idle is an empty ring, connected fills the dot, attention adds a
// badge, error strikes the ring through. Run it after changing a shape: `node scripts/make-icons.mjs`.
// PNGs are encoded by hand (RGBA, no filtering, deflated with node:zlib), so the script needs
// nothing but Node.
import { crc32, deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')

// ---- PNG encoding ----

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}

/** Encodes `size`x`size` RGBA pixels (row-major, 4 bytes each) as a PNG file. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bits per channel
  header[9] = 6 // colour type: RGBA
  header[10] = 0 // compression: deflate
  header[11] = 0 // filtering: adaptive (every row uses filter 0, "none")
  header[12] = 0 // no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// ---- Shapes, in units of the icon's side (0..1), as "is this point inside?" tests ----

const ring = { x: 0.5, y: 0.5, outer: 0.42, inner: 0.29 }
const dotRadius = 0.15
const badge = { x: 0.8, y: 0.2, radius: 0.17, gap: 0.27 }
const slash = { from: [0.25, 0.25], to: [0.75, 0.75], halfWidth: 0.07 } // ends inside the ring

const distance = (x, y, cx, cy) => Math.hypot(x - cx, y - cy)

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy))
}

const inRing = (x, y) => {
  const d = distance(x, y, ring.x, ring.y)
  return d <= ring.outer && d >= ring.inner
}
const inDot = (x, y) => distance(x, y, ring.x, ring.y) <= dotRadius
const inBadge = (x, y) => distance(x, y, badge.x, badge.y) <= badge.radius
const nearBadge = (x, y) => distance(x, y, badge.x, badge.y) <= badge.gap
const inSlash = (x, y) => distanceToSegment(x, y, slash.from, slash.to) <= slash.halfWidth

/** The mark of each tray state: a test for "is this point painted?". */
const marks = {
  idle: (x, y) => inRing(x, y),
  connected: (x, y) => inRing(x, y) || inDot(x, y),
  attention: (x, y) => inBadge(x, y) || (!nearBadge(x, y) && (inRing(x, y) || inDot(x, y))),
  error: (x, y) => inRing(x, y) || inSlash(x, y),
}

/** Colors of the non-template tray icons, chosen to read on light and dark taskbars. */
const stateColors = {
  idle: [138, 143, 152],
  connected: [34, 160, 107],
  attention: [229, 160, 0],
  error: [229, 72, 77],
}

// ---- Rasterizing ----

const samplesPerAxis = 4

/**
 * Paints a size x size image: `paint(x, y)` returns [r, g, b, a] (0..255, a as coverage) for a
 * point in 0..1 units; each pixel averages samplesPerAxis² points, which smooths the edges.
 */
function rasterize(size, paint) {
  const pixels = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < samplesPerAxis; sy++) {
        for (let sx = 0; sx < samplesPerAxis; sx++) {
          const x = (px + (sx + 0.5) / samplesPerAxis) / size
          const y = (py + (sy + 0.5) / samplesPerAxis) / size
          const [cr, cg, cb, ca] = paint(x, y)
          r += cr * ca
          g += cg * ca
          b += cb * ca
          a += ca
        }
      }
      const offset = (py * size + px) * 4
      // Colour channels are averaged over covered samples only (straight, not premultiplied, alpha).
      pixels[offset] = a === 0 ? 0 : Math.round(r / a)
      pixels[offset + 1] = a === 0 ? 0 : Math.round(g / a)
      pixels[offset + 2] = a === 0 ? 0 : Math.round(b / a)
      pixels[offset + 3] = Math.round(a / samplesPerAxis ** 2)
    }
  }
  return encodePng(size, pixels)
}

const transparent = [0, 0, 0, 0]
const solid = (mark, [r, g, b]) => (x, y) => (mark(x, y) ? [r, g, b, 255] : transparent)

/** The app icon: the connected mark in white on a rounded square with an indigo gradient. */
function paintAppIcon(x, y) {
  const margin = 0.08 // macOS icons leave a transparent margin around the tile
  const radius = 0.2
  const half = 0.5 - margin
  const qx = Math.max(Math.abs(x - 0.5) - (half - radius), 0)
  const qy = Math.max(Math.abs(y - 0.5) - (half - radius), 0)
  if (Math.hypot(qx, qy) > radius) return transparent
  // Scale the mark into the tile's inner area.
  const markScale = 0.62
  const mx = (x - 0.5) / markScale + 0.5
  const my = (y - 0.5) / markScale + 0.5
  if (marks.connected(mx, my)) return [255, 255, 255, 255]
  const t = (y - margin) / (1 - 2 * margin)
  const top = [99, 102, 241]
  const bottom = [67, 56, 202]
  return [...top.map((c, i) => Math.round(c + (bottom[i] - c) * t)), 255]
}

// ---- Writing ----

function write(relativePath, png) {
  const file = join(repo, relativePath)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, png)
  console.log(`wrote ${relativePath} (${png.length} bytes)`)
}

for (const [state, mark] of Object.entries(marks)) {
  for (const [size, suffix] of [
    [16, ''],
    [32, '@2x'],
  ]) {
    write(`resources/tray/${state}${suffix}.png`, rasterize(size, solid(mark, stateColors[state])))
    write(`resources/tray/${state}Template${suffix}.png`, rasterize(size, solid(mark, [0, 0, 0])))
  }
}
write('resources/icon.png', rasterize(512, paintAppIcon))
write('src/renderer/public/favicon.png', rasterize(64, paintAppIcon))
