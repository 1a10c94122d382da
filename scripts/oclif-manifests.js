#!/usr/bin/env node
// Writes an oclif.manifest.json into each workspace CLI plugin (@rockit/cli and @rockit/plugin-*), so that
// `rockit` starts without importing every command module of every plugin: oclif reads a core plugin's manifest
// whenever one is present (matching version), for ids, flags and help, and imports a command's module only to run
// it. The manifest is a build output (gitignored), produced by @oclif/core itself from the compiled dist/.
//
// A stale manifest would hide new commands or show old flags, so:
//   node scripts/oclif-manifests.js            regenerate every manifest (`pnpm build` runs this after `tsc -b`)
//   node scripts/oclif-manifests.js --if-stale  regenerate only the stale ones (what test helpers run after a build)
//   --root <dir>                               another CLI root than this repository's (the script's tests)
// A manifest is stale when any file under the dist/ of its plugin or of a workspace package the plugin depends on
// (base command, shared flags), the plugin's package.json or @oclif/core's, is newer than the manifest. Each
// manifest's mtime is set to the moment its generation started, so a file compiled while it was being generated
// makes it stale again. bin/rockit itself drops, at startup, a manifest older than its plugin's compiled commands
// (bin/stale-manifests.js), for builds that skipped this script. If a plugin cannot be loaded, its manifest is
// removed (oclif then discovers the commands itself, slower but never wrong) and the script exits 1.
import console from 'node:console';
import { realpathSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { MANIFEST, manifestTime, newestMtime, readJson, repoRoot, workspacePlugins } from '../bin/stale-manifests.js';

/** The directory of `dir` and of every workspace package it depends on, transitively. */
function workspaceClosure(dir, seen = new Set()) {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const deps = readJson(join(dir, 'package.json')).dependencies ?? {};
  for (const [name, spec] of Object.entries(deps)) {
    if (String(spec).startsWith('workspace:')) workspaceClosure(realpathSync(join(dir, 'node_modules', name)), seen);
  }
  return seen;
}

/** Whether the plugin's manifest is missing or older than anything it was generated from. */
function manifestStale(dir) {
  const written = manifestTime(dir);
  if (written === undefined) return true;
  const oclifCore = join(cliRoot, 'node_modules', '@oclif', 'core', 'package.json'); // the one bin/rockit runs
  const inputs = [join(dir, 'package.json'), oclifCore, ...[...workspaceClosure(dir)].map((d) => join(d, 'dist'))];
  return inputs.some((path) => newestMtime(path) > written);
}

async function generate({ name, dir }) {
  const started = new Date();
  const manifest = join(dir, MANIFEST);
  const { Plugin, settings } = await import('@oclif/core');
  settings.enableAutoTranspile = false; // as bin/rockit: commands always come from dist/
  // Loaded as `rockit` loads it (a core plugin found from the root), reading no existing manifest and failing on
  // any command that does not load rather than leaving it out.
  const plugin = new Plugin({ name, root: cliRoot, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  if (realpathSync(plugin.root) !== dir) throw new Error(`${name} resolved to ${plugin.root}, expected ${dir}`);
  const temp = `${manifest}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  utimesSync(temp, started, started);
  renameSync(temp, manifest); // readers (a rockit started meanwhile) see the old or the new file, never half of one
  return Object.keys(plugin.manifest.commands).length;
}

const ifStale = process.argv.includes('--if-stale');
const rootArg = process.argv.indexOf('--root');
const cliRoot = rootArg === -1 ? repoRoot : resolve(process.argv[rootArg + 1]);
let failed = false;
for (const plugin of workspacePlugins(cliRoot)) {
  if (ifStale && !manifestStale(plugin.dir)) continue;
  try {
    const count = await generate(plugin);
    console.log(`${plugin.name}: ${MANIFEST} with ${count} command${count === 1 ? '' : 's'}`);
  } catch (error) {
    failed = true;
    rmSync(join(plugin.dir, MANIFEST), { force: true });
    console.error(`${plugin.name}: no ${MANIFEST} (oclif will discover its commands at startup): ${error?.stack ?? error}`);
  }
}
process.exitCode = failed ? 1 : 0;
