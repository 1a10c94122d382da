import { Flags } from '@oclif/core';
import { RockitCommand } from '../../rockit-command.js';
import type { ClusterState } from '../../lifecycle/cluster-state.js';

export default class ClusterStart extends RockitCommand<typeof ClusterStart> {
  static override summary = 'Start a local cluster: name servers and brokers as background processes.';
  static override description =
    'Each name server and broker runs as its own process (rockit namesrv start / rockit broker start) on ' +
    '127.0.0.1, with its config, store and log under the data dir. Name servers listen on the base port and up; ' +
    'broker i on base port + 1035 + 10·i (so the default 9876 gives RocketMQ\'s 10911, 10921, ...). The command ' +
    'returns once every broker is registered with every name server and routable, and writes the cluster file ' +
    '(<data dir>/cluster.json) that cluster status, logs and stop read.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --brokers 2 --namesrvs 2 --data-dir /tmp/rockit --base-port 19876 --flush sync',
  ];

  static override flags = {
    brokers: Flags.integer({ summary: 'Number of brokers (broker-a, broker-b, ...), all masters of DefaultCluster.', default: 1, min: 1, max: 100 }),
    namesrvs: Flags.integer({ summary: 'Number of name servers; every broker registers with each.', default: 1, min: 1, max: 16 }),
    'data-dir': Flags.string({ summary: 'Where configs, stores, logs and cluster.json go [default: ~/.rockit/cluster].' }),
    'base-port': Flags.integer({ summary: 'First name server port; brokers start at base + 1035.', default: 9876, min: 1, max: 64000 }),
    flush: Flags.string({ summary: 'flushDiskType of the brokers: sync (fsync before acknowledging) or async.', options: ['sync', 'async'], default: 'async' }),
    memory: Flags.boolean({ summary: 'Brokers keep messages in memory.' }),
    wait: Flags.integer({ summary: 'How long to wait for the processes to start and register, in milliseconds.', default: 30_000, min: 1 }),
  };

  async run(): Promise<ClusterState> {
    const { resolve, join } = await import('node:path');
    const state = await import('../../lifecycle/cluster-state.js');
    const launcher = await import('../../lifecycle/cluster-launcher.js');
    const { isProcessRunning } = await import('../../lifecycle/processes.js');
    const { progress } = await import('../../render/progress.js');
    const { NamesrvProbe } = await import('@rockit/broker');
    const { flags } = this;
    const dataDir = resolve(flags['data-dir'] ?? state.defaultClusterDir());

    const previous = state.readClusterState(dataDir);
    const alive = previous?.nodes.filter((n) => n.pid !== undefined && isProcessRunning(n.pid, state.processMarker(n))) ?? [];
    if (alive.length > 0) {
      throw new Error(`a cluster is already running in ${dataDir} (${alive.map((n) => `${n.name} pid ${n.pid}`).join(', ')}): rockit cluster stop --data-dir ${dataDir}`);
    }
    const plan = state.planCluster({
      dataDir,
      brokers: flags.brokers,
      namesrvs: flags.namesrvs,
      basePort: flags['base-port'],
      flush: flags.flush as 'sync' | 'async',
      memory: flags.memory,
    });
    const rockitBin = join(this.config.root, 'bin', 'rockit');
    const probe = new NamesrvProbe(Math.min(3000, flags.wait));
    const deadline = Date.now() + flags.wait;
    const remaining = (): number => Math.max(1, deadline - Date.now());
    const startRole = async (role: 'namesrv' | 'broker', report: (status: string) => void): Promise<void> => {
      const nodes = plan.nodes.filter((n) => n.role === role);
      const children = nodes.map((node) => launcher.spawnNode(rockitBin, plan, node));
      state.writeClusterState(plan); // pids on disk at once, so `cluster stop` finds them even if we fail below
      let up = 0;
      await Promise.all(
        nodes.map(async (node, i) => {
          await launcher.waitUntilListening(children[i]!, node, remaining());
          report(`${++up}/${nodes.length} listening (${node.name} ${node.addr}, pid ${node.pid})`);
        }),
      );
      for (const child of children) child.unref();
    };

    // Ctrl-C while starting: take down what already runs rather than leave detached processes behind.
    const abort = (): void => {
      void launcher.stopNodes(plan, 5000).finally(() => {
        state.removeClusterState(dataDir);
        process.exit(130);
      });
    };
    process.once('SIGINT', abort);
    process.once('SIGTERM', abort);
    try {
      await progress([
        {
          title: `Prepare ${dataDir}`,
          run: async () => {
            await launcher.checkPortsFree(plan);
            launcher.writeNodeConfigs(plan);
          },
        },
        { title: `Start ${plan.nodes.filter((n) => n.role === 'namesrv').length} name server(s)`, run: (_ctx, report) => startRole('namesrv', report) },
        { title: `Start ${flags.brokers} broker(s)`, run: (_ctx, report) => startRole('broker', report) },
        { title: 'Wait until every broker is registered and routable', run: (_ctx, report) => launcher.waitForRegistrations(plan, probe, remaining(), report) },
      ]);
    } catch (err) {
      await launcher.stopNodes(plan, 5000);
      state.removeClusterState(dataDir);
      throw err;
    } finally {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
      await probe.close();
    }

    const { clusterTable } = await import('../../lifecycle/cluster-render.js');
    this.log(clusterTable(plan.nodes.map((n) => ({ ...n, state: 'running' }))));
    this.log('');
    this.log(`export NAMESRV_ADDR="${plan.namesrvAddr}"    (or: rockit config set-profile local -n "${plan.namesrvAddr}")`);
    this.log(`Logs: rockit cluster logs <name> --data-dir ${dataDir}    Stop: rockit cluster stop --data-dir ${dataDir}`);
    return plan;
  }
}
