import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag, groupFlag } from '../../flags.js';

const bool = (char: 's' | 'm' | 'd' | 'a', summary: string) =>
  Flags.string({ char, summary, options: ['true', 'false'] });

export const subGroupFlags = {
  brokerAddr: brokerAddrFlag('Create/update on this broker (host:port).'),
  clusterName: clusterFlag('Create/update on every master of this cluster.'),
  groupName: groupFlag,
  consumeEnable: bool('s', 'Consume enabled (true).'),
  consumeFromMinEnable: bool('m', 'Consume from the min offset when the group is new (true).'),
  consumeBroadcastEnable: bool('d', 'Broadcast consumption enabled (true).'),
  retryQueueNums: Flags.integer({ char: 'q', summary: 'Retry queue number (1).' }),
  retryMaxTimes: Flags.integer({ char: 'r', summary: 'Max retries before the DLQ (16).' }),
  brokerId: Flags.integer({ char: 'i', summary: 'Broker id to consume from (0).' }),
  whichBrokerWhenConsumeSlowly: Flags.integer({ char: 'w', summary: 'Broker id when consuming slowly (1).' }),
  notifyConsumerIdsChanged: bool('a', 'Notify consumers when the group changes (true).'),
};

export default class UpdateSubGroup extends AdminCommand<typeof UpdateSubGroup> {
  static override summary = 'Create or update a subscription group (mqadmin updateSubGroup).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -g order_consumer',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -g order_consumer -r 3 -q 1',
  ];
  static override flags = subGroupFlags;

  async run(): Promise<{ brokers: string[]; config: Record<string, unknown> }> {
    const { updateSubGroup } = await import('../../ops/groups.js');
    const f = this.flags;
    const b = (v: string | undefined) => (v === undefined ? undefined : v === 'true');
    return this.withAdmin(async (admin) => {
      const result = await updateSubGroup(admin, {
        groupName: f.groupName,
        ...(f.brokerAddr !== undefined ? { brokerAddr: f.brokerAddr } : {}),
        ...(f.clusterName !== undefined ? { cluster: f.clusterName } : {}),
        consumeEnable: b(f.consumeEnable),
        consumeFromMinEnable: b(f.consumeFromMinEnable),
        consumeBroadcastEnable: b(f.consumeBroadcastEnable),
        notifyConsumerIdsChangedEnable: b(f.notifyConsumerIdsChanged),
        retryQueueNums: f.retryQueueNums,
        retryMaxTimes: f.retryMaxTimes,
        brokerId: f.brokerId,
        whichBrokerWhenConsumeSlowly: f.whichBrokerWhenConsumeSlowly,
      } as Parameters<typeof updateSubGroup>[1]);
      for (const addr of result.brokers) this.log(`create subscription group to ${addr} success.`);
      this.log(JSON.stringify(result.config));
      return result;
    });
  }
}
