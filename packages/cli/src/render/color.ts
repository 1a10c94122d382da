import chalk, { supportsColor, type ColorSupportLevel } from 'chalk';

export type { ColorSupportLevel } from 'chalk';

export interface ColorLevelInput {
  /** `--color` (true) / `--no-color` (false) / not given (undefined). */
  flag?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Whether the stream the colours go to is a terminal. */
  isTTY?: boolean;
  /** What the terminal supports when colours are on; defaults to chalk's detection, at least 1. */
  detected?: ColorSupportLevel;
}

function forcedLevel(value: string): ColorSupportLevel {
  if (value === 'false' || value === '0') return 0;
  if (value === '' || value === 'true') return 1;
  const n = Number.parseInt(value, 10);
  return (Number.isNaN(n) ? 1 : Math.min(Math.max(n, 0), 3)) as ColorSupportLevel;
}

/**
 * Decides the colour level in one place. Precedence: an explicit flag, then NO_COLOR
 * (https://no-color.org: any non-empty value), then FORCE_COLOR, then "is it a terminal"
 * (piped output gets no escape codes), then TERM=dumb.
 */
export function resolveColorLevel(input: ColorLevelInput = {}): ColorSupportLevel {
  const env = input.env ?? process.env;
  const detected = input.detected ?? (supportsColor ? supportsColor.level : 0);
  const onLevel = Math.max(detected, 1) as ColorSupportLevel;
  if (input.flag === false) return 0;
  if (input.flag === true) return onLevel;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined) {
    const forced = forcedLevel(env.FORCE_COLOR);
    return forced === 0 ? 0 : (Math.max(forced, detected) as ColorSupportLevel);
  }
  if (!input.isTTY) return 0;
  if (env.TERM === 'dumb') return 0;
  return onLevel;
}

/** Applies a level to chalk's shared instance, which the helpers below and every plugin use. */
export function setColorLevel(level: ColorSupportLevel): void {
  chalk.level = level;
}

export function colorLevel(): ColorSupportLevel {
  return chalk.level;
}

/**
 * The palette every command uses, so meaning maps to one colour everywhere. All of these
 * return the text unchanged when colour is off.
 */
export const color = {
  ok: (text: string): string => chalk.green(text),
  warn: (text: string): string => chalk.yellow(text),
  error: (text: string): string => chalk.red(text),
  dim: (text: string): string => chalk.dim(text),
  bold: (text: string): string => chalk.bold(text),
  accent: (text: string): string => chalk.cyan(text),
};
