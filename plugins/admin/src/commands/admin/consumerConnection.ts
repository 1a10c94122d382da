import type { ConsumerConnection as Connections } from '@rockit/client/admin';
import { AdminCommand } from '../../admin-command.js';
import { groupFlag } from '../../flags.js';

export default class ConsumerConnection extends AdminCommand<typeof ConsumerConnection> {
  static override summary = 'Online consumers of a group and their subscriptions (mqadmin consumerConnection).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -g order_consumer',
    '<%= config.bin %> <%= command.id %> -n 10.0.0.5:9876 -g order_consumer --json',
  ];
  static override flags = { consumerGroup: groupFlag };

  async run(): Promise<Connections> {
    const { renderConsumerConnection } = await import('../../render-connections.js');
    const { groupConnections } = await import('../../ops/groups.js');
    return this.withAdmin(async (admin) => {
      const cc = await groupConnections(admin, this.flags.consumerGroup);
      this.log(renderConsumerConnection(cc));
      return cc;
    });
  }
}
