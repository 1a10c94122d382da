/**
 * scripts/oclif-manifests.js and the startup check of bin/stale-manifests.js, on a CLI of its own in a temp dir
 * (a root package listing one workspace plugin, as the repository's root lists @rockit/cli and the plugins), so the
 * repository's own manifests are never touched while other suites run bin/rockit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/rockit-cli.js';

let root = '';
let plugin = '';
const manifest = () => join(plugin, 'oclif.manifest.json');

/** A command module that says on stderr when it is imported, so a test sees whether oclif loaded it. */
function writeCommand(name: string, body = ''): void {
  writeFileSync(
    join(plugin, 'dist', 'commands', `${name}.js`),
    `import { Command } from '@oclif/core';\n${body}process.stderr.write('imported ${name}\\n');\n` +
      `export default class C extends Command { static summary = 'Says ${name}.'; async run() { this.log('${name} ran'); } }\n`,
  );
}

function run(file: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [file, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const cli = (...args: string[]) => run(join(root, 'bin.js'), args);
const generate = (...args: string[]) => run(join(repoRoot, 'scripts', 'oclif-manifests.js'), ['--root', root, ...args]);
const commandIds = () => Object.keys((JSON.parse(readFileSync(manifest(), 'utf8')) as { commands: object }).commands).sort();

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'rockit-manifests-')));
  plugin = join(root, 'plugin');
  mkdirSync(join(plugin, 'dist', 'commands'), { recursive: true });
  mkdirSync(join(root, 'node_modules', '@t'), { recursive: true });
  mkdirSync(join(root, 'node_modules', '@oclif'));
  symlinkSync(realpathSync(join(repoRoot, 'node_modules', '@oclif', 'core')), join(root, 'node_modules', '@oclif', 'core'));
  symlinkSync(plugin, join(root, 'node_modules', '@t', 'plugin'));
  const pkg = { version: '1.0.0', type: 'module' };
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ ...pkg, name: 't-cli', dependencies: { '@t/plugin': 'workspace:*' }, oclif: { bin: 't', dirname: 't-cli', plugins: ['@t/plugin'] } }),
  );
  writeFileSync(join(plugin, 'package.json'), JSON.stringify({ ...pkg, name: '@t/plugin', oclif: { commands: './dist/commands' } }));
  const guard = pathToFileURL(join(repoRoot, 'bin', 'stale-manifests.js')).href;
  writeFileSync(
    join(root, 'bin.js'),
    `import { execute, settings } from '@oclif/core';\nimport { dropStaleManifests } from '${guard}';\n` +
      `settings.enableAutoTranspile = false;\ndropStaleManifests(${JSON.stringify(root)});\nawait execute({ dir: import.meta.url });\n`,
  );
  writeCommand('hello');
}, 30_000);

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe('oclif manifests', () => {
  it('lists every compiled command, and the CLI then lists them without importing their modules', () => {
    const g = generate();
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toContain('@t/plugin: oclif.manifest.json with 1 command');
    expect(commandIds()).toEqual(['hello']);

    const help = cli('--help');
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/hello +Says hello\./);
    expect(help.stderr).not.toContain('imported hello');

    const hello = cli('hello');
    expect(hello.stdout).toBe('hello ran\n');
    expect(hello.stderr).toContain('imported hello');
  });

  it('is dropped at startup when a command was compiled after it, so a new command still runs and is listed', () => {
    writeCommand('bye');
    const bye = cli('bye');
    expect(bye.code, bye.stderr).toBe(0);
    expect(bye.stdout).toBe('bye ran\n');
    expect(existsSync(manifest())).toBe(false);
    expect(cli('--help').stdout).toMatch(/bye +Says bye\.[\s\S]*hello +Says hello\./);
  });

  it('--if-stale rewrites a manifest only when something it was made from is newer', () => {
    expect(generate('--if-stale').stdout).toContain('with 2 commands');
    expect(commandIds()).toEqual(['bye', 'hello']);
    expect(generate('--if-stale').stdout).toBe('');

    // A module the commands import (a shared base class, flags) changed: the startup check does not look there,
    // the generator does.
    const later = new Date(Date.now() + 5_000);
    writeFileSync(join(plugin, 'dist', 'base.js'), 'export {};\n');
    utimesSync(join(plugin, 'dist', 'base.js'), later, later);
    expect(generate('--if-stale').stdout).toContain('with 2 commands');
  });

  it('leaves no manifest when a command module fails to load, and exits 1', () => {
    writeCommand('broken', "throw new Error('broken on import');\n");
    const g = generate();
    expect(g.code).toBe(1);
    expect(g.stderr).toContain('broken on import');
    expect(existsSync(manifest())).toBe(false);
    expect(cli('hello').stdout).toBe('hello ran\n');
  });
});
