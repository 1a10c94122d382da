import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { refreshManifests } from '../../../test/helpers/rockit-cli.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const rockit = fileURLToPath(new URL('../../../bin/rockit', import.meta.url));
const mqadmin = fileURLToPath(new URL('../../../bin/mqadmin', import.meta.url));
const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a user who set nothing rockit reads. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['NODE_ENV', 'NAMESRV_ADDR', 'ROCKIT_PROFILE', 'ROCKIT_ACCESS_KEY', 'ROCKIT_SECRET_KEY', 'NO_COLOR', 'FORCE_COLOR', 'CI', 'DEBUG']) {
    delete env[key];
  }
  return { ...env, ...extra };
}

async function exec(bin: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: repoRoot, env: cleanEnv(env) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const ESC = '\u001b[';

beforeAll(() => {
  // The CLI runs the compiled dist/ of the cli package and the plugins.
  const build = spawnSync(
    'npx',
    ['tsc', '-b', 'packages/cli', 'plugins/admin', 'plugins/produce', 'plugins/consume', 'plugins/benchmark', 'plugins/migrate'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  // Errors in packages this one merely references must not hide what this suite checks,
  // but errors in the CLI or its plugins must stop it.
  const ours = build.stdout.split('\n').filter((line) => /^(packages\/cli|plugins)\/.*error TS/.test(line));
  expect(ours, build.stdout).toEqual([]);
  refreshManifests();
}, 180_000);

describe('rockit', () => {
  it('prints its version', async () => {
    const r = await exec(rockit, ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rockit\/0\.0\.0 \S+ node-v\d+/);
  });

  it('lists the commands grouped by plugin, with every workspace plugin topic', async () => {
    const r = await exec(rockit, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const sections = [...r.stdout.matchAll(/^([A-Z]+) \((@[\w-]+\/[\w-]+)\)$/gm)].map((m) => m[2]);
    expect(sections).toEqual([
      '@rockit/cli',
      '@rockit/plugin-admin',
      '@rockit/plugin-produce',
      '@rockit/plugin-consume',
      '@rockit/plugin-benchmark',
      '@rockit/plugin-migrate',
      '@oclif/plugin-help',
      '@oclif/plugin-plugins',
      '@oclif/plugin-autocomplete',
    ]);
    for (const topic of ['config', 'admin', 'produce', 'consume', 'bench', 'migrate', 'plugins', 'autocomplete']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${topic} +\\S`, 'm'));
    }
    expect(r.stdout).toMatch(/^ {2}admin +.*\(\d+ commands\)/m);
    // A plugin without commands says so instead of shipping placeholder commands.
    expect(r.stdout).toMatch(/^ {2}migrate +.*\(no commands\s+yet\)/m);
  });

  it('answers -h like --help, as mqadmin users type it', async () => {
    const r = await exec(rockit, ['config', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/USAGE\n {2}\$ rockit config/);
    expect(r.stdout).toMatch(/-n, --namesrv=<value>/);
  });

  it('reports an unknown command in one line on stderr and exits 2', async () => {
    const r = await exec(rockit, ['nosuchcommand', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: command "nosuchcommand" not found; see "rockit --help"\n');
  });

  it('suggests the closest command for a typo', async () => {
    const r = await exec(rockit, ['confg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: command "confg" not found; did you mean "rockit config"?\n');
  });

  it('prints flag errors as one line without a stack trace unless DEBUG is set', async () => {
    const r = await exec(rockit, ['config', '--timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*--timeout.*integer/);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const debug = await exec(rockit, ['config', '-n', 'nohost'], { DEBUG: '1' });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^error: invalid name server address "nohost"/);
    expect(debug.stderr).toMatch(/\n\s+at .*namesrv\.js/);
  });
});

describe('rockit config', () => {
  async function configJson(args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const r = await exec(rockit, ['config', '--json', ...args], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it('prints only JSON on stdout with --json', async () => {
    const r = await exec(rockit, ['config', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      namesrvAddrs: ['127.0.0.1:9876'],
      namesrvSource: 'default',
      profile: null,
      timeoutMillis: 3000,
      accessKey: null,
      secretKeySet: false,
      color: false,
    });
  });

  it('takes -n over NAMESRV_ADDR over the default, and splits ";" lists', async () => {
    expect(await configJson([], { NAMESRV_ADDR: '10.0.0.1:9876;10.0.0.2:9876' })).toMatchObject({
      namesrvAddrs: ['10.0.0.1:9876', '10.0.0.2:9876'],
      namesrvSource: 'env',
    });
    expect(await configJson(['-n', 'a:1;b:2;'], { NAMESRV_ADDR: '10.0.0.1:9876' })).toMatchObject({
      namesrvAddrs: ['a:1', 'b:2'],
      namesrvSource: 'flag',
    });
    expect(await configJson(['--namesrv=c:3', '--timeout', '500'])).toMatchObject({ namesrvAddrs: ['c:3'], timeoutMillis: 500 });
  });

  it('reads ACL credentials from the environment and never prints the secret', async () => {
    const secret = 'Zx9-secret-value';
    const r = await exec(rockit, ['config', '--json'], { ROCKIT_ACCESS_KEY: 'rocketmq2', ROCKIT_SECRET_KEY: secret });
    expect(JSON.parse(r.stdout)).toMatchObject({ accessKey: 'rocketmq2', secretKeySet: true });
    expect(r.stdout).not.toContain(secret);
    const human = await exec(rockit, ['config', '--secret-key', secret, '--access-key', 'ak']);
    expect(human.stdout).not.toContain(secret);
  });

  it('refuses an access key without a secret key', async () => {
    const r = await exec(rockit, ['config', '--access-key', 'ak']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --access-key and --secret-key .* together\n$/);
  });

  it('answers errors with --json as a JSON object on stdout and a non-zero exit', async () => {
    const r = await exec(rockit, ['config', '--json', '-n', 'not-an-address']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const body = JSON.parse(r.stdout) as { error: { message: string; exitCode: number; stack?: string } };
    expect(body.error.message).toMatch(/invalid name server address "not-an-address"/);
    expect(body.error.exitCode).toBe(2);
    expect(body.error.stack).toBeUndefined();
  });

  it('has no colour when piped, colour with FORCE_COLOR, and none with --no-color or NO_COLOR', async () => {
    const piped = await exec(rockit, ['config']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^namesrvAddr: 127\.0\.0\.1:9876 {2}\(from default\)$/m);
    expect(piped.stdout).not.toContain(ESC);

    const forced = await exec(rockit, ['config'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(ESC);

    const noColor = await exec(rockit, ['config', '--no-color'], { FORCE_COLOR: '1' });
    expect(noColor.stdout).not.toContain(ESC);
    expect(noColor.stdout).toMatch(/^color +: off$/m);

    const noColorEnv = await exec(rockit, ['config'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(noColorEnv.stdout).not.toContain(ESC);
  });
});

describe('mqadmin', () => {
  it('is rockit admin: shows the admin topic', async () => {
    const r = await exec(mqadmin, []);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\$ rockit admin COMMAND/);
    expect(r.stdout).toMatch(/^COMMANDS$/m);
    expect(r.stdout).toMatch(/^ {2}admin topicList /m);
  });

  it('reports an unknown mqadmin command as rockit admin would', async () => {
    const r = await exec(mqadmin, ['noSuchCommand', '-n', '127.0.0.1:9876']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: command "admin noSuchCommand" not found; see "rockit admin --help"\n');
  });
});
