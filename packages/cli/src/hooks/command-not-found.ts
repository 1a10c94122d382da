import type { Hook } from '@oclif/core';
import { formatErrorLine, UsageError } from '../errors.js';

/** Edit distance, to suggest `config` for `confg`. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Replaces oclif's boxed "command not found" with the same one-line error every rockit
 * failure prints, a hint, and exit code 2 (a usage error).
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const { config, id } = opts;
  const shown = (cmdId: string): string => cmdId.replaceAll(':', config.topicSeparator);
  const visible = config.commands.filter((c) => !c.hidden).map((c) => c.id);
  const best = visible
    .map((candidate) => ({ candidate, d: distance(candidate, id) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(id.length / 4)))
    .sort((x, y) => x.d - y.d)[0];
  const topic = id.includes(':') ? id.slice(0, id.lastIndexOf(':')) : undefined;
  let hint: string;
  if (best) hint = `did you mean "${config.bin} ${shown(best.candidate)}"?`;
  else if (topic && config.findTopic(topic)) hint = `see "${config.bin} ${shown(topic)} --help"`;
  else hint = `see "${config.bin} --help"`;
  process.stderr.write(`${formatErrorLine(new UsageError(`command "${shown(id)}" not found; ${hint}`))}\n`);
  this.exit(2);
};

export default hook;
