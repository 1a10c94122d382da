import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile, ConfigFileCorruptError, PersistScheduler } from '@rockit/broker';
import { tempDir } from './helpers.js';

interface Version {
  v: number;
  pad: string;
}

/** Decoder that refuses anything but a complete version document. */
function decodeVersion(text: string): Version {
  const parsed = JSON.parse(text) as Version;
  if (!Number.isInteger(parsed.v) || parsed.pad.length !== PAD) throw new Error('incomplete version');
  return parsed;
}

const PAD = 256 * 1024;

describe('ConfigFile', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('keeps the previous content as .bak and leaves no .tmp behind', async () => {
    const f = new ConfigFile(join(dir, 'nested', 'topics.json'));
    f.persistSync('one');
    expect(existsSync(f.bakPath)).toBe(false);
    await f.persist('two');
    f.persistSync('three');
    expect(readFileSync(f.path, 'utf8')).toBe('three');
    expect(readFileSync(f.bakPath, 'utf8')).toBe('two');
    expect(existsSync(f.tmpPath)).toBe(false);
  });

  it('loads the file, else the .bak when the file is missing, empty or undecodable', () => {
    const f = new ConfigFile(join(dir, 'x.json'));
    expect(f.load(JSON.parse)).toBeUndefined();
    writeFileSync(f.bakPath, '{"a":1}');
    expect(f.load(JSON.parse)).toEqual({ value: { a: 1 }, source: 'bak' });
    writeFileSync(f.path, '');
    expect(f.load(JSON.parse)?.source).toBe('bak');
    writeFileSync(f.path, '{"a":');
    const loaded = f.load(JSON.parse);
    expect(loaded?.source).toBe('bak');
    expect(loaded?.fileError).toBeInstanceOf(SyntaxError);
    writeFileSync(f.path, '{"a":2}');
    expect(f.load(JSON.parse)).toEqual({ value: { a: 2 }, source: 'file' });
  });

  it('reports both failures when neither the file nor the .bak decodes', () => {
    const f = new ConfigFile(join(dir, 'x.json'));
    writeFileSync(f.path, '{');
    expect(() => f.load(JSON.parse)).toThrow(ConfigFileCorruptError);
    writeFileSync(f.bakPath, '[');
    expect(() => f.load(JSON.parse)).toThrow(/cannot read .*x\.json .* nor .*x\.json\.bak/);
  });

  it('PersistScheduler folds requests made during a write into one more write of the latest content', async () => {
    const f = new ConfigFile(join(dir, 'c.json'));
    let content = 0;
    let encodes = 0;
    const s = new PersistScheduler(f, () => (encodes++, String(content)));
    for (content = 1; content <= 50; content++) s.request();
    content = 50;
    await s.flush();
    expect(readFileSync(f.path, 'utf8')).toBe('50');
    expect(encodes).toBeLessThanOrEqual(2);
  });

  it('never leaves an unreadable config when the writing process is SIGKILLed mid-write', async () => {
    // Run the real module in a child process: transpile config-file.ts (node:fs only) to plain JS.
    const source = readFileSync(new URL('../src/config-file.ts', import.meta.url), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, 'config-file.mjs'), js);
    const target = join(dir, 'config', 'topics.json');
    writeFileSync(
      join(dir, 'writer.mjs'),
      `import { ConfigFile } from './config-file.mjs';
       const f = new ConfigFile(${JSON.stringify(target)});
       const pad = 'x'.repeat(${PAD});
       for (let v = 1; ; v++) {
         const text = JSON.stringify({ v, pad });
         if (v % 2) f.persistSync(text); else await f.persist(text);
         process.stdout.write(v + '\\n');
       }`,
    );
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, [join(dir, 'writer.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
      let lastDone = 0;
      let buffered = '';
      const killAfter = 3 + round * 7;
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', () => resolve());
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const l of lines) lastDone = Number(l);
          // vary the moment of the kill: right away, or a few microtasks into the next write
          if (lastDone >= killAfter && child.exitCode === null) setImmediate(() => child.kill('SIGKILL'));
        });
      });
      expect(child.signalCode).toBe('SIGKILL');
      const loaded = new ConfigFile(target).load(decodeVersion);
      expect(loaded).toBeDefined();
      expect(loaded!.value.v).toBeGreaterThanOrEqual(lastDone);
    }
  });
});
