/**
 * bin/compile-cache.js: the V8 code cache of the CommonJS modules a rockit start loads. Each test uses a cache
 * directory of its own (ROCKIT_COMPILE_CACHE), so the repository's cache under node_modules/.cache is never touched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/rockit-cli.js';

const compileCache = pathToFileURL(join(repoRoot, 'bin', 'compile-cache.js')).href;
const { commonJsCacheName, readCacheFile } = (await import(compileCache)) as {
  commonJsCacheName: () => string;
  readCacheFile: (file: string) => Map<string, unknown>;
};
// Node >= 22.1 has Module.enableCompileCache, which bin/rockit switches on instead of the CommonJS hook.
const nodeHasOwnCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rockit-compile-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function node(args: string[], cacheDir = join(dir, 'cache')) {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: '', ROCKIT_COMPILE_CACHE: cacheDir } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const rockit = (...args: string[]) => node([join(repoRoot, 'bin', 'rockit'), ...args]);

/** Runs `require(file)` with the CommonJS hook on and prints what the module exports. */
const requireWithCache = (file: string) =>
  node([
    '--input-type=module',
    '-e',
    `import { createRequire } from 'node:module'; const { installCommonJsCache } = await import('${compileCache}'); ` +
      `installCommonJsCache(${JSON.stringify(cacheFile())}); console.log(createRequire(import.meta.url)(${JSON.stringify(file)}).value);`,
  ]);

const cacheFile = () => join(dir, 'cache', commonJsCacheName());
const cachedNames = () => [...readCacheFile(cacheFile()).keys()];

describe('the compile cache of bin/rockit', () => {
  it('is written by the first start and reused unchanged by the next, with the same output', () => {
    const first = rockit('--version');
    expect(first.code).toBe(0);
    if (nodeHasOwnCache) {
      // Node's own format, one file per module.
      expect(readdirSync(join(dir, 'cache')).length).toBeGreaterThan(0);
      expect(rockit('--version')).toEqual(first);
      return;
    }
    const bytes = readFileSync(cacheFile());
    const names = cachedNames();
    expect(names.length).toBeGreaterThan(50);
    expect(names.some((n) => n.endsWith(join('@oclif', 'core', 'lib', 'config', 'config.js')))).toBe(true);
    // oclif's module loader calls import(), which Node 20 cannot give a function built from cached data.
    expect(names.some((n) => n.endsWith(join('@oclif', 'core', 'lib', 'module-loader.js')))).toBe(false);

    const second = rockit('--version');
    expect(second).toEqual(first);
    expect(readFileSync(cacheFile()).equals(bytes)).toBe(true);
  });

  it('is off when ROCKIT_COMPILE_CACHE is 0', () => {
    const r = node([join(repoRoot, 'bin', 'rockit'), '--version'], '0');
    expect(r.code).toBe(0);
    expect(existsSync(join(repoRoot, '0'))).toBe(false);
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  });
});

describe('the CommonJS hook (Node 20 has no compile cache of its own)', () => {
  it('recompiles a module whose source changed, even to text of the same length', () => {
    const mod = join(dir, 'mod.cjs');
    writeFileSync(mod, 'module.exports = { value: "one" };\n');
    expect(requireWithCache(mod).stdout).toBe('one\n');
    expect(cachedNames()).toContain(mod);
    writeFileSync(mod, 'module.exports = { value: "two" };\n');
    expect(requireWithCache(mod).stdout).toBe('two\n');
    expect(requireWithCache(mod).stdout).toBe('two\n');
  });

  it('gives a module the require, module and __dirname Node would', () => {
    const mod = join(dir, 'shape.cjs');
    writeFileSync(
      mod,
      'const path = require("node:path");\nmodule.exports = { value: [__dirname === path.dirname(__filename), typeof require.resolve, require.cache[__filename] === module, this === exports].join() };\n',
    );
    expect(requireWithCache(mod).stdout).toBe('true,function,true,true\n');
    expect(requireWithCache(mod).stdout).toBe('true,function,true,true\n');
  });

  it('ignores a corrupt cache file and replaces it with a good one', () => {
    const mod = join(dir, 'mod.cjs');
    writeFileSync(mod, 'module.exports = { value: "one" };\n');
    mkdirSync(join(dir, 'cache'));
    writeFileSync(cacheFile(), 'not a cache');
    expect(requireWithCache(mod).stdout).toBe('one\n');
    expect(cachedNames()).toContain(mod);
  });

  it('leaves a syntax error to be reported by Node, naming the file', () => {
    const mod = join(dir, 'broken.cjs');
    writeFileSync(mod, 'module.exports = {\n');
    const r = requireWithCache(mod);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('broken.cjs');
    expect(r.stderr).toContain('SyntaxError');
  });
});
