import { Args, Flags } from '@oclif/core';
import { clusterDataDirFlag } from '../../lifecycle/flags.js';
import { RockitCommand } from '../../rockit-command.js';

export default class ClusterLogs extends RockitCommand<typeof ClusterLogs> {
  static override summary = 'Print the log of one node of a local cluster (namesrv-0, broker-a, ...).';
  static override description = 'The pino JSON lines the node wrote to <data dir>/logs/<node>.log; --follow keeps printing new lines until Ctrl-C.';
  static override examples = ['<%= config.bin %> <%= command.id %> broker-a', '<%= config.bin %> <%= command.id %> namesrv-0 --lines 0 --data-dir /tmp/rockit', '<%= config.bin %> <%= command.id %> broker-b -f'];
  static override enableJsonFlag = false;

  static override args = {
    node: Args.string({ description: 'Node name as cluster status shows it.', required: true }),
  };

  static override flags = {
    'data-dir': clusterDataDirFlag(),
    lines: Flags.integer({ char: 'l', summary: 'Print only the last N lines (0: all).', default: 100, min: 0 }),
    follow: Flags.boolean({ char: 'f', summary: 'Keep printing lines as they are written.' }),
  };

  async run(): Promise<void> {
    const { resolve, join } = await import('node:path');
    const { existsSync, openSync, readSync, fstatSync, readFileSync, closeSync } = await import('node:fs');
    const state = await import('../../lifecycle/cluster-state.js');
    const { untilShutdownSignal } = await import('../../lifecycle/signals.js');
    const { UsageError } = await import('../../errors.js');
    const dataDir = resolve(this.flags['data-dir'] ?? state.defaultClusterDir());
    const cluster = state.readClusterState(dataDir);
    const node = cluster?.nodes.find((n) => n.name === this.args.node);
    if (cluster !== undefined && node === undefined) {
      throw new UsageError(`no node "${this.args.node}" in the cluster in ${dataDir} (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
    }
    // After `cluster stop` the cluster file is gone but the logs remain.
    const file = node?.logFile ?? join(dataDir, 'logs', `${this.args.node}.log`);
    if (!existsSync(file)) throw new UsageError(`no log for "${this.args.node}" in ${dataDir} (${file} does not exist)`);

    const text = readFileSync(file, 'utf8');
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    const shown = this.flags.lines === 0 ? lines : lines.slice(-this.flags.lines);
    if (text.length > 0) process.stdout.write(`${shown.join('\n')}\n`);
    if (!this.flags.follow) return;

    let position = Buffer.byteLength(text);
    const fd = openSync(file, 'r');
    const stop = untilShutdownSignal();
    const timer = setInterval(() => {
      const size = fstatSync(fd).size;
      if (size <= position) return;
      const chunk = Buffer.alloc(size - position);
      readSync(fd, chunk, 0, chunk.length, position);
      position = size;
      process.stdout.write(chunk);
    }, 250);
    await stop;
    clearInterval(timer);
    closeSync(fd);
  }
}
