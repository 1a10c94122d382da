import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';

export default class AllocateMQ extends AdminCommand<typeof AllocateMQ> {
  static override summary = "Show how the averaging strategy spreads a topic's queues over clients (mqadmin allocateMQ).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t TopicTest -i 10.0.0.11,10.0.0.12,10.0.0.13',
    '<%= config.bin %> <%= command.id %> -t Orders -i 10.0.0.11,10.0.0.12 --json',
  ];
  static override flags = {
    topic: topicFlag,
    ipList: Flags.string({ char: 'i', summary: 'Client ids (IPs), comma separated.', required: true }),
  };

  async run(): Promise<{ result: Record<string, { topic: string; brokerName: string; queueId: number }[]> }> {
    const { allocateAveragely, compareMessageQueue } = await import('@rockit/client/admin');
    const { topicQueues } = await import('../../ops/messages.js');
    return this.withAdmin(async (admin) => {
      const queues = (await topicQueues(admin, this.flags.topic)).sort(compareMessageQueue);
      const clients = this.flags.ipList.split(',').map((s) => s.trim()).filter((s) => s !== '').sort();
      const result: Record<string, { topic: string; brokerName: string; queueId: number }[]> = {};
      for (const client of clients) result[client] = allocateAveragely.allocate('', client, queues, clients);
      this.log(JSON.stringify({ result }, null, 2));
      return { result };
    });
  }
}
