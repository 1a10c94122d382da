/**
 * The project standard: every command's --help shows examples. Each admin command's examples must start with
 * `<%= config.bin %> <%= command.id %>`, name only flags the command has (its own plus RockitCommand's global
 * baseFlags and --json), and parse with oclif as they are, so that what --help shows can be typed.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Flags, Parser, type Command } from '@oclif/core';
import { RockitCommand } from '@rockit/cli';
import { describe, expect, it } from 'vitest';

const PREFIX = '<%= config.bin %> <%= command.id %>';
const commandsDir = fileURLToPath(new URL('../src/commands/', import.meta.url));

type CommandClass = typeof Command;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** The command classes of src/commands, with the ids oclif gives them (admin/topicList.ts -> admin:topicList). */
async function loadCommands(): Promise<{ id: string; command: CommandClass }[]> {
  const out: { id: string; command: CommandClass }[] = [];
  for (const file of tsFiles(commandsDir).sort()) {
    const mod = (await import(file)) as { default?: CommandClass };
    const id = relative(commandsDir, file).replace(/\.ts$/, '').split(/[\\/]/).join(':');
    if (mod.default === undefined) throw new Error(`${id}: no default export`);
    out.push({ id, command: mod.default });
  }
  return out;
}

/** Splits an example into argv as a POSIX shell would, refusing anything beyond plain words and quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of line) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ('|;&<>`$\\\n\t'.includes(ch) || (ch === '#' && !inWord)) {
      throw new Error(`unquoted ${JSON.stringify(ch)}`);
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unterminated ${quote}`);
  if (inWord) words.push(word);
  return words;
}

/** Every flag a command accepts as it is run: its own, the base class's, and --json when enabled. */
function allFlags(command: CommandClass): Record<string, ReturnType<typeof Flags.string> | ReturnType<typeof Flags.boolean>> {
  return {
    ...(command.baseFlags ?? {}),
    ...(command.enableJsonFlag ? { json: Flags.boolean() } : {}),
    ...(command.flags ?? {}),
  } as Record<string, ReturnType<typeof Flags.string>>;
}

function flagSpellings(command: CommandClass): Set<string> {
  const names = new Set<string>();
  for (const [name, def] of Object.entries(allFlags(command))) {
    names.add(`--${name}`);
    if (def.char !== undefined) names.add(`-${def.char}`);
    if ('allowNo' in def && def.allowNo === true) names.add(`--no-${name}`);
    for (const alias of def.aliases ?? []) names.add(`--${alias}`);
    for (const c of def.charAliases ?? []) names.add(`-${c}`);
  }
  return names;
}

/** What is wrong with a command's examples; empty when --help shows at least one and each can be typed as shown. */
async function exampleProblems(command: CommandClass): Promise<string[]> {
  const examples = (command.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command));
  if (examples.length === 0) return ['no examples'];
  const known = flagSpellings(command);
  const problems: string[] = [];
  for (const example of examples) {
    if (example !== PREFIX && !example.startsWith(`${PREFIX} `)) {
      problems.push(`does not start with "${PREFIX}": ${example}`);
      continue;
    }
    let argv: string[];
    try {
      argv = shellWords(example.slice(PREFIX.length));
    } catch (err) {
      problems.push(`${(err as Error).message} in example: ${example}`);
      continue;
    }
    const end = argv.indexOf('--');
    for (const word of end === -1 ? argv : argv.slice(0, end)) {
      if (!/^-[^\d]/.test(word)) continue;
      const flag = word.startsWith('--') ? word.split('=')[0]! : word;
      if (!known.has(flag)) problems.push(`unknown flag ${flag}: ${example}`);
    }
    try {
      await Parser.parse(argv, { flags: allFlags(command), args: command.args ?? {}, strict: command.strict !== false });
    } catch (err) {
      problems.push(`does not parse (${(err as Error).message.replace(/\s+/g, ' ').trim()}): ${example}`);
    }
  }
  return problems;
}

const commands = await loadCommands();

describe('admin command examples', () => {
  it('finds the mqadmin-style and the friendlier commands', () => {
    const ids = commands.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['admin:topicList', 'admin:updateTopic', 'topic:create', 'group:describe', 'message:query', 'cluster:describe']));
    expect(ids.length).toBeGreaterThanOrEqual(50);
  });

  it.each(commands.map((c) => [c.id, c.command] as const))('%s shows examples that are valid invocations', async (_id, command) => {
    expect(command.prototype).toBeInstanceOf(RockitCommand);
    expect(await exampleProblems(command)).toEqual([]);
  });
});

describe('exampleProblems', () => {
  class Probe extends RockitCommand<typeof Probe> {
    static override flags = { topic: Flags.string({ char: 't', required: true }), list: Flags.boolean({ char: 'l', allowNo: true }) };
    async run(): Promise<void> {}
  }
  const withExamples = (...examples: string[]) => class extends Probe {
    static override examples = examples;
  };

  it('accepts own flags, global flags, --no- forms and --json', async () => {
    const command = withExamples(`${PREFIX} -t TopicTest -l`, `${PREFIX} --topic=Orders --no-list -n "10.0.0.5:9876;10.0.0.6:9876" --timeout 5000 --json`);
    expect(await exampleProblems(command)).toEqual([]);
  });

  it('reports a command without examples', async () => {
    expect(await exampleProblems(Probe)).toEqual(['no examples']);
  });

  it('reports a flag the command does not have', async () => {
    const problems = await exampleProblems(withExamples(`${PREFIX} -t TopicTest -x 1`, `${PREFIX} -t TopicTest --brokerAddr 127.0.0.1:10911`));
    expect(problems.filter((p) => p.startsWith('unknown flag'))).toEqual([
      `unknown flag -x: ${PREFIX} -t TopicTest -x 1`,
      `unknown flag --brokerAddr: ${PREFIX} -t TopicTest --brokerAddr 127.0.0.1:10911`,
    ]);
  });

  it('reports an example that misses a required flag or spells the command itself', async () => {
    const problems = await exampleProblems(withExamples(`${PREFIX} -l`, '<%= config.bin %> admin topicRoute -t TopicTest'));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^does not parse \(.*Missing required flag topic.*\): /);
    expect(problems[1]).toMatch(/^does not start with/);
  });

  it('refuses pipes and other shell syntax', async () => {
    expect(shellWords(' -t Orders -p "a b" -v \'x;y\'')).toEqual(['-t', 'Orders', '-p', 'a b', '-v', 'x;y']);
    expect(await exampleProblems(withExamples(`${PREFIX} -t TopicTest | grep Orders`))).toEqual([
      `unquoted "|" in example: ${PREFIX} -t TopicTest | grep Orders`,
    ]);
  });
});
