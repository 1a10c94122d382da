import { Flags } from '@oclif/core';
import { clusterDataDirFlag } from '../../lifecycle/flags.js';
import { RockitCommand } from '../../rockit-command.js';

export interface ClusterStopResult {
  dataDir: string;
  nodes: { name: string; role: string; pid: number | null; result: 'stopped' | 'killed' | 'not running' }[];
}

export default class ClusterStop extends RockitCommand<typeof ClusterStop> {
  static override summary = 'Stop the processes of a cluster started by rockit cluster start.';
  static override description =
    'Sends SIGTERM to every broker (they unregister, persist and flush), then to the name servers, and SIGKILLs ' +
    'whatever still runs after --grace. Returns when every process is gone. Data and logs stay in the data dir.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --data-dir /tmp/rockit --grace 5000'];

  static override flags = {
    'data-dir': clusterDataDirFlag(),
    grace: Flags.integer({ summary: 'Milliseconds to wait for a graceful exit before SIGKILL.', default: 15_000, min: 0 }),
  };

  async run(): Promise<ClusterStopResult> {
    const { resolve } = await import('node:path');
    const state = await import('../../lifecycle/cluster-state.js');
    const { stopNodes } = await import('../../lifecycle/cluster-launcher.js');
    const { table } = await import('../../render/table.js');
    const dataDir = resolve(this.flags['data-dir'] ?? state.defaultClusterDir());
    const cluster = state.readClusterState(dataDir);
    if (cluster === undefined) {
      this.log(`no cluster in ${dataDir} (no ${state.CLUSTER_FILE}): nothing to stop`);
      return { dataDir, nodes: [] };
    }
    const results = await stopNodes(cluster, this.flags.grace);
    state.removeClusterState(dataDir);
    const nodes = cluster.nodes.map((n) => ({ name: n.name, role: n.role, pid: n.pid ?? null, result: results.get(n.name) ?? ('not running' as const) }));
    this.log(table(nodes, [{ header: 'NAME', key: 'name' }, { header: 'ROLE', key: 'role' }, { header: 'PID', get: (r) => r.pid ?? '-', align: 'right' }, { header: 'RESULT', key: 'result' }]));
    return { dataDir, nodes };
  }
}
