/**
 * Reading a queue by position (mqadmin's queryMsgByOffset, for many messages): plain pulls from the queue's broker
 * with the tools group and no commit flag, so no group's progress changes and no consumer joins anything.
 */
import type { MessageQueue } from '@rockit/client';
import type { ConnectionSettings } from '@rockit/cli';
import { clientOptions } from '@rockit/cli';
import { messageBlock, messageJson } from './message-view.js';

export interface ByPositionOptions {
  connection: ConnectionSettings;
  topic: string;
  queueId: number;
  offset?: number;
  count: number;
  brokerName?: string;
  json: boolean;
}

const PULL_BATCH = 32;

export async function readByPosition(options: ByPositionOptions): Promise<void> {
  const { AdminClient, MixAll, PullSysFlag } = await import('@rockit/client');
  const admin = new AdminClient(await clientOptions(options.connection, 'rockit-consume'));
  await admin.start();
  try {
    const instance = admin.clientInstance;
    const queues = (await instance.subscribeQueues(options.topic)).filter((q) => q.queueId === options.queueId);
    const brokers = [...new Set(queues.map((q) => q.brokerName))].sort();
    let mq: MessageQueue | undefined;
    if (options.brokerName !== undefined) mq = queues.find((q) => q.brokerName === options.brokerName);
    else if (queues.length === 1) mq = queues[0];
    else if (queues.length > 1) throw new Error(`queue ${options.queueId} of ${options.topic} is on several brokers (${brokers.join(', ')}): choose one with --broker-name`);
    if (mq === undefined) {
      throw new Error(`${options.topic} has no readable queue ${options.queueId}${options.brokerName !== undefined ? ` on ${options.brokerName}` : ''}`);
    }
    const addr = instance.findBrokerAddressInSubscribe(mq.brokerName);
    if (addr === undefined) throw new Error(`no address for broker ${mq.brokerName}`);
    let offset = options.offset ?? (await admin.minOffset(mq));
    let left = options.count;
    while (left > 0) {
      const result = await instance.api.pullMessage(
        addr,
        {
          consumerGroup: MixAll.TOOLS_CONSUMER_GROUP,
          topic: mq.topic,
          queueId: mq.queueId,
          queueOffset: offset,
          maxMsgNums: Math.min(PULL_BATCH, left),
          sysFlag: PullSysFlag.FLAG_SUBSCRIPTION,
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: '*',
          subVersion: 0,
          expressionType: 'TAG',
          bname: mq.brokerName,
        },
        options.connection.timeoutMillis,
      );
      if (result.pullStatus === 'OFFSET_ILLEGAL') {
        throw new Error(`offset ${offset} is outside queue ${mq.brokerName}:${mq.queueId} of ${options.topic} (messages from ${result.minOffset} to ${result.maxOffset - 1})`);
      }
      if (result.pullStatus !== 'FOUND' || result.msgFoundList.length === 0) {
        process.stderr.write(`end of queue ${mq.brokerName}:${mq.queueId} at offset ${result.maxOffset} (${options.count - left} of ${options.count} read)\n`);
        break;
      }
      for (const m of result.msgFoundList.slice(0, left)) {
        process.stdout.write(options.json ? `${JSON.stringify(messageJson(m))}\n` : `${messageBlock(m, mq.brokerName)}\n`);
        left--;
      }
      offset = result.nextBeginOffset;
    }
  } finally {
    await admin.shutdown();
  }
}
