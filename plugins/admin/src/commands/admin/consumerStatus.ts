import { Flags } from '@oclif/core';
import { kv, table } from '@rockit/cli';
import type { JsonBody } from '@rockit/client/admin';
import { AdminCommand } from '../../admin-command.js';
import { groupFlag } from '../../flags.js';

interface ClientStatus {
  clientId: string;
  version: number;
  runningInfo?: JsonBody;
  error?: string;
}

export default class ConsumerStatus extends AdminCommand<typeof ConsumerStatus> {
  static override summary = 'Running info reported by the consumers of a group (mqadmin consumerStatus).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -g order_consumer',
    '<%= config.bin %> <%= command.id %> -g order_consumer -i 10.0.0.11@12345 -s',
  ];
  static override flags = {
    consumerGroup: groupFlag,
    clientId: Flags.string({ char: 'i', summary: 'Only this consumer (client id).' }),
    jstack: Flags.boolean({ char: 's', summary: 'Ask for a stack dump too (Java clients).' }),
  };

  async run(): Promise<{ clients: ClientStatus[] }> {
    const { jsonSafe } = await import('../../json-safe.js');
    const { groupConnections } = await import('../../ops/groups.js');
    return this.withAdmin(async (admin) => {
      const group = this.flags.consumerGroup;
      const cc = await groupConnections(admin, group);
      const clients: ClientStatus[] = [];
      for (const c of cc.connectionSet) {
        if (this.flags.clientId !== undefined && c.clientId !== this.flags.clientId) continue;
        try {
          clients.push({ clientId: c.clientId, version: c.version, runningInfo: jsonSafe(await admin.getConsumerRunningInfo(group, c.clientId, this.flags.jstack)) as JsonBody });
        } catch (err) {
          clients.push({ clientId: c.clientId, version: c.version, error: (err as Error).message });
        }
      }
      if (this.flags.clientId !== undefined && clients.length === 0) throw new Error(`no consumer ${this.flags.clientId} in group ${group}`);
      this.log(
        table(clients.map((c, i) => ({ ...c, n: String(i + 1).padStart(3, '0'), state: c.error ?? 'OK' })), [
          { header: '#', key: 'n' },
          { header: '#ClientId', key: 'clientId', minWidth: 40 },
          { header: '#Version', key: 'version', minWidth: 8 },
          { header: '#RunningInfo', key: 'state' },
        ]),
      );
      for (const c of clients) {
        if (c.runningInfo === undefined) continue;
        const props = (c.runningInfo.properties ?? {}) as Record<string, unknown>;
        this.log(`\n#Consumer Properties of ${c.clientId}#\n${kv(Object.entries(props).sort(([a], [b]) => a.localeCompare(b)))}`);
        const mqTable = (c.runningInfo.mqTable ?? {}) as Record<string, Record<string, unknown>>;
        const rows = Object.entries(mqTable).map(([mq, pq]) => ({ mq, commitOffset: pq.commitOffset, cachedMsgCount: pq.cachedMsgCount, locked: pq.locked }));
        if (rows.length > 0) {
          this.log(`\n#Consumer MQ Detail#\n${table(rows, [
            { header: '#Topic@Broker@QID', key: 'mq', minWidth: 48 },
            { header: '#CommitOffset', key: 'commitOffset' },
            { header: '#CachedMsgCount', key: 'cachedMsgCount' },
            { header: '#Locked', key: 'locked' },
          ])}`);
        }
      }
      return { clients };
    });
  }
}
