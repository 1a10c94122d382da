import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class UpdateKvConfig extends AdminCommand<typeof UpdateKvConfig> {
  static override summary = 'Write a name server KV config entry (mqadmin updateKvConfig).';
  static override examples = ['<%= config.bin %> <%= command.id %> -s ORDER_TOPIC_CONFIG -k Orders -v "broker-a:4;broker-b:4"'];
  static override flags = {
    namespace: Flags.string({ char: 's', summary: 'Namespace.', required: true }),
    key: Flags.string({ char: 'k', summary: 'Key.', required: true }),
    value: Flags.string({ char: 'v', summary: 'Value.', required: true }),
  };

  async run(): Promise<{ namespace: string; key: string; value: string }> {
    const { namespace, key, value } = this.flags;
    return this.withAdmin(async (admin) => {
      await admin.putKVConfig(namespace, key, value);
      this.log('update kv config in namespace success.');
      return { namespace, key, value };
    });
  }
}
