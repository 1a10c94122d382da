import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { refreshManifests } from '../../../test/helpers/rockit-cli.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const rockit = fileURLToPath(new URL('../../../bin/rockit', import.meta.url));
const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function filter(...args: string[]): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['NO_COLOR', 'FORCE_COLOR', 'DEBUG']) delete env[key];
  try {
    const { stdout, stderr } = await run(rockit, ['filter', ...args], { cwd: repoRoot, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(() => {
  // bin/rockit runs the compiled dist/ of the cli package.
  const build = spawnSync('npx', ['tsc', '-b', 'packages/cli'], { cwd: repoRoot, encoding: 'utf8' });
  const ours = build.stdout.split('\n').filter((line) => /^packages\/cli\/.*error TS/.test(line));
  expect(ours, build.stdout).toEqual([]);
  refreshManifests();
}, 180_000);

describe('rockit filter', () => {
  it('lists check and eval in its topic help', async () => {
    const r = await filter('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}filter check +Check an SQL92 message selector/m);
    expect(r.stdout).toMatch(/^ {2}filter eval +Evaluate an SQL92 message selector/m);
    expect(r.stdout).not.toContain('no commands yet');
  });
});

describe('rockit filter check', () => {
  it('prints the normalized expression and exits 0', async () => {
    const r = await filter('check', "a > 5 and b in ('x','y') and (c is not null or d between 1 and 2)");
    expect(r).toEqual({ code: 0, stdout: "a > 5 AND b IN ('x', 'y') AND (c IS NOT NULL OR d BETWEEN 1 AND 2)\n", stderr: '' });
  });

  it('prints the parse error with a caret under the column and exits 2', async () => {
    const r = await filter('check', 'price >');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: Expected a value after '>' at column 8 (code 23)\n  price >\n         ^\n");
  });

  it('points at the line and column of a multi-line expression and at semantic refusals', async () => {
    const multi = await filter('check', "a = 1\n  AND b = NULL");
    expect(multi.code).toBe(2);
    expect(multi.stderr).toBe("error: Cannot compare with NULL using '='; use IS NULL at line 2, column 11 (code 23)\n    AND b = NULL\n            ^\n");
  });

  it('gives the error with line, column and what was expected under --json', async () => {
    const r = await filter('check', 'a in (1, 2)', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        name: 'FilterSyntaxError',
        message: "Expected a string after '(' but found '1' at column 7",
        reason: "Expected a string after '(' but found '1'",
        line: 1,
        column: 7,
        expected: expect.any(Array),
        code: 23,
        codeName: 'SUBSCRIPTION_PARSE_FAILED',
        exitCode: 2,
      },
    });
    const ok = await filter('check', 'a<>1', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ expression: 'a<>1', normalized: 'a <> 1' });
  });
});

describe('rockit filter eval', () => {
  it('prints whether a message with the properties is selected', async () => {
    const props = JSON.stringify({ a: '10', TAGS: 'x' });
    expect(await filter('eval', "a > 5 AND TAGS = 'x'", '--props', props)).toEqual({ code: 0, stdout: 'true\n', stderr: '' });
    expect(await filter('eval', "a > 5 AND TAGS = 'y'", '--props', props)).toEqual({ code: 0, stdout: 'false\n', stderr: '' });
  });

  it('prints match and the three-valued result under --json', async () => {
    const json = async (expression: string, props: object) => JSON.parse((await filter('eval', expression, '--props', JSON.stringify(props), '--json')).stdout);
    expect(await json('a > 5', { a: '6' })).toEqual({ match: true, value: true });
    // A missing property is UNKNOWN, and NOT UNKNOWN stays UNKNOWN.
    expect(await json('NOT (a > 5)', {})).toEqual({ match: false, value: null });
    expect(await json("a IS NULL AND b = 'x'", { b: 'y' })).toEqual({ match: false, value: false });
    expect(await json('a = 10.0', { a: '10' })).toEqual({ match: true, value: true });
  });

  it('treats a failed conversion as RocketMQ does: the evaluation is aborted and nothing is selected', async () => {
    const r = await filter('eval', 'a = 10', '--props', '{"a":"10.0"}');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('false\n');
    expect(r.stderr).toMatch(/^note: Evaluation aborted: /);
    const json = await filter('eval', 'a = 10 OR TRUE', '--props', '{"a":"ten"}', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ match: false, value: null });
  });

  it('exits 2 on a syntax error and on properties that are not an object of strings', async () => {
    const bad = await filter('eval', 'a >', '--props', '{}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("error: Expected a value after '>' at column 4 (code 23)\n  a >\n     ^\n");
    const numbers = await filter('eval', 'a > 1', '--props', '{"a":10}');
    expect(numbers.code).toBe(2);
    expect(numbers.stderr).toContain('--props values must be strings');
    expect((await filter('eval', 'a > 1', '--props', 'nope')).code).toBe(2);
  });
});
