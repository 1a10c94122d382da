import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';

export default class DeleteKvConfig extends AdminCommand<typeof DeleteKvConfig> {
  static override summary = 'Delete a name server KV config entry (mqadmin deleteKvConfig).';
  static override examples = ['<%= config.bin %> <%= command.id %> -s ORDER_TOPIC_CONFIG -k Orders'];
  static override flags = {
    namespace: Flags.string({ char: 's', summary: 'Namespace.', required: true }),
    key: Flags.string({ char: 'k', summary: 'Key.', required: true }),
  };

  async run(): Promise<{ namespace: string; key: string }> {
    const { namespace, key } = this.flags;
    return this.withAdmin(async (admin) => {
      await admin.deleteKVConfig(namespace, key);
      this.log('delete kv config from namespace success.');
      return { namespace, key };
    });
  }
}
