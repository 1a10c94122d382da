import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag, groupFlag } from '../../flags.js';

export default class DeleteSubGroup extends AdminCommand<typeof DeleteSubGroup> {
  static override summary = 'Delete a subscription group from a broker or a cluster (mqadmin deleteSubGroup).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -g order_consumer -c DefaultCluster',
    '<%= config.bin %> <%= command.id %> -g order_consumer -b 127.0.0.1:10911 -r',
  ];
  static override flags = {
    brokerAddr: brokerAddrFlag(),
    clusterName: clusterFlag(),
    groupName: groupFlag,
    removeOffset: Flags.boolean({ char: 'r', summary: "Also remove the group's consumer offsets." }),
  };

  async run(): Promise<{ group: string; brokers: string[] }> {
    const { deleteSubGroup } = await import('../../ops/groups.js');
    const f = this.flags;
    return this.withAdmin(async (admin) => {
      const brokers = await deleteSubGroup(admin, f.groupName, f.removeOffset, f.brokerAddr, f.clusterName);
      for (const addr of brokers) this.log(`delete subscription group [${f.groupName}] from broker [${addr}]${f.clusterName !== undefined ? ` in cluster [${f.clusterName}]` : ''} success.`);
      return { group: f.groupName, brokers };
    });
  }
}
