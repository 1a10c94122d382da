import { stripVTControlCharacters } from 'node:util';

/** Removes ANSI escape sequences (colours, cursor moves) so a string can be measured. */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/** East Asian Wide and Fullwidth blocks: these take two terminal cells. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Number of terminal cells `text` occupies: ANSI codes count 0, CJK and emoji count 2. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const ch of stripAnsi(text)) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || ZERO_WIDTH.test(ch)) continue;
    width += isWide(cp) || (cp > 0xff && EMOJI.test(ch)) ? 2 : 1;
  }
  return width;
}

/** Pads to `width` visible cells (never truncates: mqadmin's %-32s does not either). */
export function padVisible(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = width - visibleWidth(text);
  if (fill <= 0) return text;
  return align === 'left' ? text + ' '.repeat(fill) : ' '.repeat(fill) + text;
}
