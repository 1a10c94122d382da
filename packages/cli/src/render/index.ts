export { table, type Column, type TableOptions } from './table.js';
export { kv, type KeyValues } from './kv.js';
export { color, colorLevel, resolveColorLevel, setColorLevel, type ColorLevelInput, type ColorSupportLevel } from './color.js';
export { progress, isPlainProgress, type ProgressStep, type ProgressOptions } from './progress.js';
export { formatBytes, formatDuration, formatCell, jsonReplacer } from './format.js';
export { stripAnsi, visibleWidth, padVisible } from './text-width.js';
