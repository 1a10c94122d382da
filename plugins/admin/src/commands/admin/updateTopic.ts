import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag, topicFlag } from '../../flags.js';

export const topicConfigFlags = {
  brokerAddr: brokerAddrFlag('Create/update on this broker (host:port).'),
  clusterName: clusterFlag('Create/update on every master of this cluster.'),
  topic: topicFlag,
  readQueueNums: Flags.integer({ char: 'r', summary: 'Read queue number.', default: 8, min: 1 }),
  writeQueueNums: Flags.integer({ char: 'w', summary: 'Write queue number.', default: 8, min: 1 }),
  perm: Flags.integer({ char: 'p', summary: 'Permission: 2 write only, 4 read only, 6 read and write.', default: 6 }),
  order: Flags.boolean({ char: 'o', summary: 'Ordered topic (on a cluster, also writes the name server order conf).' }),
};

export default class UpdateTopic extends AdminCommand<typeof UpdateTopic> {
  static override summary = 'Create or update a topic on a broker or a cluster (mqadmin updateTopic).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -t TopicTest',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -t Orders -r 16 -w 16',
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -t Orders -o',
  ];
  static override flags = topicConfigFlags;

  async run(): Promise<Awaited<ReturnType<typeof import('../../ops/topics.js').updateTopic>>> {
    const { updateTopic } = await import('../../ops/topics.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const result = await updateTopic(admin, { ...f, cluster: f.clusterName, topic: f.topic, order: f.order });
      for (const addr of result.brokers) this.log(`create topic to ${addr} success.`);
      if (result.orderConf !== undefined) this.log(`set cluster orderConf. isOrder=true, orderConf=[${result.orderConf}]`);
      const c = result.topicConfig;
      this.log(`TopicConfig [topicName=${c.topicName}, readQueueNums=${c.readQueueNums}, writeQueueNums=${c.writeQueueNums}, perm=${permName(c.perm)}, order=${c.order === true}]`);
      return result;
    });
  }
}

export function permName(perm: number): string {
  return `${perm & 4 ? 'R' : '-'}${perm & 2 ? 'W' : '-'}${perm & 1 ? 'X' : '-'}`;
}
