// What bin/rockit and bin/mqadmin share: everything that must happen before @oclif/core is loaded, then oclif.
import process from 'node:process';
import { enableCompileCache } from './compile-cache.js';
import { dropStaleManifests } from './stale-manifests.js';

const MIN_NODE_MAJOR = 20;

export async function launch(args) {
  if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
    process.emitWarning(`rockit needs Node.js ${MIN_NODE_MAJOR} or newer; this is ${process.version}`);
  }
  enableCompileCache();
  // @oclif/core's entry checks the Node version against its own engines range with semver, loading semver's 47
  // modules (~25 ms of every start) for a check rockit has just made against its own, stricter floor.
  const ownSetting = process.env.OCLIF_DISABLE_ENGINE_WARNING;
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
  const { execute, settings } = await import('@oclif/core');
  if (ownSetting === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
  else process.env.OCLIF_DISABLE_ENGINE_WARNING = ownSetting;
  settings.enableAutoTranspile = false;
  dropStaleManifests();
  await execute({ dir: new URL('rockit', import.meta.url).href, args });
}
