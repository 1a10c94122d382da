import type { Connection } from '@rockit/client/admin';
import { AdminCommand } from '../../admin-command.js';
import { producerGroupFlag, topicFlag } from '../../flags.js';

export default class ProducerConnection extends AdminCommand<typeof ProducerConnection> {
  static override summary = 'Online producers of a group on the brokers of a topic (mqadmin producerConnection).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> -g order_producer -t Orders',
    '<%= config.bin %> <%= command.id %> -g order_producer -t Orders --json',
  ];
  static override flags = { producerGroup: producerGroupFlag, topic: topicFlag };

  async run(): Promise<{ connections: Connection[] }> {
    const { renderConnections } = await import('../../render-connections.js');
    return this.withAdmin(async (admin) => {
      const connections = await admin.examineProducerConnectionInfo(this.flags.producerGroup, this.flags.topic);
      this.log(renderConnections(connections));
      return { connections };
    });
  }
}
