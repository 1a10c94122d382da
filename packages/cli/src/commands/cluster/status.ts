import { clusterDataDirFlag } from '../../lifecycle/flags.js';
import { RockitCommand } from '../../rockit-command.js';

export interface NodeStatus {
  name: string;
  role: 'namesrv' | 'broker';
  addr: string;
  pid: number | null;
  /** running; dead (process gone); not answering (process there, port silent). */
  state: 'running' | 'dead' | 'not answering';
  /** Brokers: name servers that have it registered, "1/2". Name servers: brokers registered with it. */
  registered: string;
  diskBytes: number;
  logFile: string;
}

export interface ClusterStatus {
  clusterName: string;
  dataDir: string;
  namesrvAddr: string;
  healthy: boolean;
  nodes: NodeStatus[];
}

export default class ClusterStatusCommand extends RockitCommand<typeof ClusterStatusCommand> {
  static override summary = 'Show the processes of a local cluster: alive, registered, disk use.';
  static override description =
    'Reads <data dir>/cluster.json, checks each process, asks every name server which brokers it has ' +
    'registered (GET_BROKER_CLUSTER_INFO) and sums each node\'s disk use. Exit code 0 either way; --json has "healthy".';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --data-dir /tmp/rockit --json'];

  static override flags = {
    'data-dir': clusterDataDirFlag(),
  };

  async run(): Promise<ClusterStatus> {
    const { resolve } = await import('node:path');
    const state = await import('../../lifecycle/cluster-state.js');
    const { registrations } = await import('../../lifecycle/cluster-launcher.js');
    const { isProcessRunning } = await import('../../lifecycle/processes.js');
    const { diskUsage } = await import('../../lifecycle/disk-usage.js');
    const { clusterTable } = await import('../../lifecycle/cluster-render.js');
    const { NamesrvProbe } = await import('@rockit/broker');
    const dataDir = resolve(this.flags['data-dir'] ?? state.defaultClusterDir());
    const cluster = state.readClusterState(dataDir);
    if (cluster === undefined) throw new Error(`no cluster in ${dataDir} (no ${state.CLUSTER_FILE}); start one with rockit cluster start --data-dir ${dataDir}`);

    const probe = new NamesrvProbe(Math.min(this.flags.timeout, 3000));
    const seen = await registrations(cluster, probe).finally(() => probe.close());
    const namesrvCount = cluster.nodes.filter((n) => n.role === 'namesrv').length;
    const nodes = cluster.nodes.map((n): NodeStatus => {
      const alive = n.pid !== undefined && isProcessRunning(n.pid, state.processMarker(n));
      let registered: string;
      let answering = true;
      if (n.role === 'namesrv') {
        const names = seen.get(n.name);
        answering = names instanceof Set;
        registered = names instanceof Set ? `${names.size} broker(s)` : '-';
      } else {
        const count = [...seen.values()].filter((v) => v instanceof Set && v.has(n.name)).length;
        registered = `${count}/${namesrvCount}`;
      }
      return {
        name: n.name,
        role: n.role,
        addr: n.addr,
        pid: n.pid ?? null,
        state: !alive ? 'dead' : answering ? 'running' : 'not answering',
        registered,
        diskBytes: diskUsage(n.dir),
        logFile: n.logFile,
      };
    });
    const healthy = nodes.every((n) => n.state === 'running' && (n.role === 'namesrv' || n.registered === `${namesrvCount}/${namesrvCount}`));
    this.log(clusterTable(nodes.map((n) => ({ ...n, pid: n.pid ?? undefined })), { status: true }));
    this.log('');
    this.log(`${cluster.clusterName}: ${healthy ? 'healthy' : 'degraded'}; NAMESRV_ADDR="${cluster.namesrvAddr}"; data in ${dataDir}`);
    return { clusterName: cluster.clusterName, dataDir, namesrvAddr: cluster.namesrvAddr, healthy, nodes };
  }
}
