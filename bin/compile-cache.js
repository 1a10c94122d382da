// A V8 code cache for the CommonJS modules a rockit start loads (@oclif/core and its ~100 dependencies). A CLI
// process lives a few hundred milliseconds and spends ~25 ms of them compiling those modules from source; reusing
// the bytecode V8 produced last time takes that off every start. Node 22 does this itself
// (module.enableCompileCache, which also covers ES modules), so there we only switch it on; Node 20 has no such
// switch, so the CommonJS loader's compile step is replaced with one that hands V8 the cached data.
//
// The cache is one file per Node/V8 version and architecture: a JSON index (file name, SHA-1 of the source,
// offset, length) followed by the code caches. V8 refuses data made by another V8 or for other source text
// (cachedDataRejected), the hash catches edited files of the same length, and a file that cannot be read or
// written costs nothing but the speed-up. ROCKIT_COMPILE_CACHE names the directory; `0` or `off` disables it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** Old entries not used by this run are dropped once the file would pass this size. */
const MAX_CACHE_BYTES = 32 * 1024 * 1024;

export function defaultCacheDir() {
  return join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.cache', 'rockit-compile-cache');
}

/** Reads the cache file: a map from file name to { hash, data }, empty when it is absent or unreadable. */
export function readCacheFile(file) {
  const entries = new Map();
  try {
    const buf = readFileSync(file);
    const indexLength = buf.readUInt32LE(0);
    const base = 4 + indexLength;
    for (const [name, hash, offset, length] of JSON.parse(buf.toString('utf8', 4, base))) {
      if (base + offset + length > buf.length) return new Map();
      entries.set(name, { hash, data: buf.subarray(base + offset, base + offset + length) });
    }
  } catch {
    return new Map();
  }
  return entries;
}

function writeCacheFile(file, entries) {
  const index = [];
  const parts = [];
  let offset = 0;
  for (const [name, { hash, data }] of entries) {
    index.push([name, hash, offset, data.length]);
    parts.push(data);
    offset += data.length;
  }
  const head = Buffer.from(JSON.stringify(index));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  mkdirSync(dirname(file), { recursive: true });
  // Several rockit processes may exit at once: each writes its own file and renames it over the old one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([length, head, ...parts]));
  renameSync(tmp, file);
}

/** `require` for a module compiled here, behaving as the one Node's loader would give it. */
function makeRequire(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** Node 20: replaces the CommonJS loader's compile step with one that reads and fills the cache `file`. */
export function installCommonJsCache(file) {
  const cached = readCacheFile(file);
  const used = new Map();
  let changed = false;
  const compile = Module.prototype._compile;

  Module.prototype._compile = function compileWithCache(content, filename) {
    // Node 20 loses the dynamic import() callback of functions built from cached data, and a hashbang is only
    // valid at the very start of a script: leave such files to Node.
    if (content.includes('import(') || content.startsWith('#!')) return compile.call(this, content, filename);
    const hash = createHash('sha1').update(content).digest('base64');
    const entry = cached.get(filename);
    const cachedData = entry !== undefined && entry.hash === hash ? entry.data : undefined;
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      // A syntax error: Node's own compile reports it the way users expect.
      return compile.call(this, content, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      changed = true;
      used.set(filename, { hash, script });
    } else {
      used.set(filename, { hash, data: cachedData });
    }
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, dirname(filename));
  };

  process.once('exit', () => {
    if (!changed) return;
    try {
      const entries = new Map();
      let size = 0;
      for (const [name, { hash, data, script }] of used) {
        // Made at exit, so the data also holds the functions compiled lazily while the command ran.
        const bytes = data ?? script.createCachedData();
        entries.set(name, { hash, data: bytes });
        size += bytes.length;
      }
      for (const [name, entry] of cached) {
        if (entries.has(name) || size + entry.data.length > MAX_CACHE_BYTES) continue;
        entries.set(name, entry);
        size += entry.data.length;
      }
      writeCacheFile(file, entries);
    } catch {
      // A read-only install or a full disk: the next start compiles from source again.
    }
  });
}

/** The hook's file name: V8 rejects code caches of other versions, so each Node version has its own. */
export function commonJsCacheName() {
  return `cjs-${process.version}-${process.arch}.bin`;
}

/** Turns the cache on for this process; `dir` defaults to ROCKIT_COMPILE_CACHE, then node_modules/.cache. */
export function enableCompileCache(dir = process.env.ROCKIT_COMPILE_CACHE) {
  if (dir === '0' || dir === 'off') return;
  const target = dir || defaultCacheDir();
  if (typeof Module.enableCompileCache === 'function') {
    const { status } = Module.enableCompileCache(target);
    if (status !== Module.constants?.compileCacheStatus?.FAILED) return;
    Module.enableCompileCache(join(tmpdir(), 'rockit-compile-cache'));
    return;
  }
  installCommonJsCache(join(target, commonJsCacheName()));
}
