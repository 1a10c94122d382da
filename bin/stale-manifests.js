// The oclif.manifest.json of each workspace CLI plugin (written by scripts/oclif-manifests.js after `tsc -b`) lets
// `rockit` start without importing every command module. One older than the compiled commands it describes would
// hide a new command or point at a removed file, so bin/rockit drops such a manifest before oclif reads it (oclif
// then discovers that plugin's commands itself: slower, never wrong) until the next build or test run writes a new
// one. A command is added, removed or renamed only by writing a file, which changes the mtime of its directory,
// and tsc -b rewrites a project's dist/.tsbuildinfo whenever it emits, so those are all this check stats
// (~3 ms for the six plugins); the generator's own check also looks at every file the commands may import.
import { readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MANIFEST = 'oclif.manifest.json';
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The CLI root's oclif plugins that live in its workspace: name, directory and package.json. */
export function workspacePlugins(cliRoot = repoRoot) {
  const root = readJson(join(cliRoot, 'package.json'));
  return (root.oclif.plugins ?? [])
    .filter((name) => String(root.dependencies?.[name] ?? '').startsWith('workspace:'))
    .map((name) => {
      const dir = realpathSync(join(cliRoot, 'node_modules', name));
      return { name, dir, pjson: readJson(join(dir, 'package.json')) };
    });
}

/** The newest mtime under `path` (0 if absent): directories themselves (entries added or removed) and files `keep` accepts. */
export function newestMtime(path, keep = () => true) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(join(path, entry.name), keep));
    else if (keep(entry.name)) newest = Math.max(newest, statSync(join(path, entry.name)).mtimeMs);
  }
  return newest;
}

/** When the plugin's manifest was generated (its mtime), or undefined when it has none. */
export function manifestTime(dir) {
  try {
    return statSync(join(dir, MANIFEST)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Removes every workspace plugin manifest older than the plugin's package.json, its last tsc emit, or a change to the
 * set of files under its commands directory.
 */
export function dropStaleManifests(cliRoot = repoRoot) {
  for (const { dir, pjson } of workspacePlugins(cliRoot)) {
    const written = manifestTime(dir);
    if (written === undefined) continue;
    const commands = pjson.oclif?.commands;
    const newest = Math.max(
      newestMtime(join(dir, 'package.json')),
      newestMtime(join(dir, 'dist', '.tsbuildinfo')),
      typeof commands === 'string' ? newestMtime(join(dir, commands), () => false) : 0,
    );
    if (newest > written) rmSync(join(dir, MANIFEST), { force: true });
  }
}
