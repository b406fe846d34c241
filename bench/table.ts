/** Medians, number formatting, and a Markdown table laid out the way Prettier lays it out (so it pastes into docs as is). */

export function median(xs: number[]): number {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** 1,234 ms */
export const ms = (x: number): string => `${Math.round(x).toLocaleString('en-US')} ms`
export const int = (x: number): string => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(1))
export const ratio = (x: number): string => `${x.toFixed(2)}×`

export type Align = 'left' | 'right'

/** A Markdown table; cells must not contain '|'. */
export function markdownTable(header: string[], align: Align[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((r) => r[c]!.length)))
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ')} |`
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`
  return [line(header), rule, ...rows.map(line)].join('\n')
}
