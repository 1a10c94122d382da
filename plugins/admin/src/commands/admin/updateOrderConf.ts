import { Flags } from '@oclif/core';
import { AdminCommand } from '../../admin-command.js';
import { topicFlag } from '../../flags.js';

export default class UpdateOrderConf extends AdminCommand<typeof UpdateOrderConf> {
  static override summary = "Put, get or delete a topic's order conf on the name servers (mqadmin updateOrderConf).";
  static override examples = [
    '<%= config.bin %> <%= command.id %> -t Orders -m put -v "broker-a:4;broker-b:4"',
    '<%= config.bin %> <%= command.id %> -t Orders -m get',
    '<%= config.bin %> <%= command.id %> -t Orders -m delete',
  ];
  static override flags = {
    topic: topicFlag,
    orderConf: Flags.string({ char: 'v', summary: 'Order conf, brokerName:queueNum;... (put).' }),
    method: Flags.string({ char: 'm', summary: 'put, get or delete.', required: true, options: ['put', 'get', 'delete'] }),
  };

  async run(): Promise<{ topic: string; orderConf?: string }> {
    const { ORDER_TOPIC_CONFIG } = await import('../../ops/topics.js');
    const { UsageError } = await import('@rockit/cli');
    const { topic, orderConf, method } = this.flags;
    return this.withAdmin(async (admin) => {
      if (method === 'get') {
        const value = await admin.getKVConfig(ORDER_TOPIC_CONFIG, topic);
        this.log(`get orderConf success. topic=[${topic}], orderConf=[${value ?? ''}] `);
        return { topic, ...(value !== undefined ? { orderConf: value } : {}) };
      }
      if (method === 'put') {
        if (orderConf === undefined || !/^[^:;]+:\d+(;[^:;]+:\d+)*$/.test(orderConf)) throw new UsageError('put needs -v brokerName:queueNum[;brokerName:queueNum...]');
        await admin.putKVConfig(ORDER_TOPIC_CONFIG, topic, orderConf);
        this.log(`update orderConf success. topic=[${topic}], orderConf=[${orderConf}]`);
        return { topic, orderConf };
      }
      await admin.deleteKVConfig(ORDER_TOPIC_CONFIG, topic);
      this.log(`delete orderConf success. topic=[${topic}]`);
      return { topic };
    });
  }
}
