import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { brokerAddrFlag, clusterFlag } from '../../flags.js';

export default class UpdateAclConfig extends AdminCommand<typeof UpdateAclConfig> {
  static override summary = "Create an account in brokers' plain_acl.yml, or change its fields (mqadmin updateAclConfig).";
  static override description =
    'Fields not given keep their value. The brokers must run with aclEnable=true, and the credentials given ' +
    '(--access-key/--secret-key) must be an admin account of theirs.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -c DefaultCluster -a RocketMQ -s 12345678 -i DENY -u SUB -t "Orders=PUB|SUB" --access-key rocketmq2 --secret-key 12345678',
    '<%= config.bin %> <%= command.id %> -b 127.0.0.1:10911 -a RocketMQ -m true --access-key rocketmq2 --secret-key 12345678',
  ];
  static override flags = {
    brokerAddr: brokerAddrFlag(),
    clusterName: clusterFlag(),
    accessKey: Flags.string({ char: 'a', summary: 'The account (its access key).', required: true }),
    secretKey: Flags.string({ char: 's', summary: 'Its secret key.' }),
    whiteRemoteAddress: Flags.string({ char: 'w', summary: 'Addresses it may use without signing (e.g. 192.168.0.*).' }),
    defaultTopicPerm: Flags.string({ char: 'i', summary: 'Permission on topics not listed: DENY, PUB, SUB or PUB|SUB.' }),
    defaultGroupPerm: Flags.string({ char: 'u', summary: 'Permission on groups not listed.' }),
    topicPerms: Flags.string({ char: 't', summary: 'Topic permissions, comma-separated: topicA=DENY,topicB=PUB|SUB.' }),
    groupPerms: Flags.string({ char: 'g', summary: 'Group permissions, comma-separated: groupA=DENY,groupB=SUB.' }),
    admin: Flags.string({ char: 'm', summary: 'Whether it is an admin account.', options: ['true', 'false'], default: 'false' }),
  };

  async run(): Promise<{ brokers: string[] }> {
    const { brokerTargets } = await import('../../ops/targets.js');
    const f = this.flags;
    const split = (text: string | undefined) => (text === undefined ? undefined : text.split(',').map((x) => x.trim()).filter(Boolean));
    return this.withAdmin(async (admin) => {
      const brokers = await brokerTargets(admin, f.brokerAddr, f.clusterName);
      for (const addr of brokers) {
        const topicPerms = split(f.topicPerms);
        const groupPerms = split(f.groupPerms);
        await admin.createAndUpdatePlainAccessConfig(addr, {
          accessKey: f.accessKey,
          admin: f.admin === 'true',
          ...(f.secretKey !== undefined ? { secretKey: f.secretKey } : {}),
          ...(f.whiteRemoteAddress !== undefined ? { whiteRemoteAddress: f.whiteRemoteAddress } : {}),
          ...(f.defaultTopicPerm !== undefined ? { defaultTopicPerm: f.defaultTopicPerm } : {}),
          ...(f.defaultGroupPerm !== undefined ? { defaultGroupPerm: f.defaultGroupPerm } : {}),
          ...(topicPerms !== undefined ? { topicPerms } : {}),
          ...(groupPerms !== undefined ? { groupPerms } : {}),
        });
        this.log(`create or update plain access config to ${addr} success.`);
      }
      return { brokers };
    });
  }
}
