import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag, topicFlag } from '../../flags.js';

export default class UpdateTopicPerm extends AdminCommand<typeof UpdateTopicPerm> {
  static override summary = "Change a topic's permission on a broker or a cluster (mqadmin updateTopicPerm).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -t TopicTest -p 4',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -t TopicTest -p 6',
  ];
  static override flags = {
    brokerAddr: brokerAddrFlag(),
    clusterName: clusterFlag(),
    topic: topicFlag,
    perm: Flags.integer({ char: 'p', summary: 'Permission: 2 write only, 4 read only, 6 read and write.', required: true }),
  };

  async run(): Promise<{ brokers: { addr: string; oldPerm: number; perm: number }[] }> {
    const { updateTopicPerm } = await import('../../ops/topics.js');
    return this.withAdmin(async (admin) => {
      const brokers = await updateTopicPerm(admin, this.flags.topic, this.flags.perm, this.flags.brokerAddr, this.flags.clusterName);
      for (const b of brokers) this.log(`update topic perm from ${b.oldPerm} to ${b.perm} in ${b.addr} success.`);
      return { brokers };
    });
  }
}
