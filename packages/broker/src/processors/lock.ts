/** LOCK_BATCH_MQ / UNLOCK_BATCH_MQ (rocketmq-protocol.md §4.6, §5.5): queue locks for ordered consumers. */
import { toFastJson } from '@rockit/common';
import { RequestCode, ResponseCode, type RemotingCommand } from '@rockit/remoting';
import { parseBody } from './client-manage.js';
import type { BrokerRequestHandler } from './context.js';
import { bodyResponse, codeResponse, fail } from './responses.js';
import type { LockedQueue } from './rebalance-lock-manager.js';

interface LockBody {
  consumerGroup: string;
  clientId: string;
  mqSet: LockedQueue[];
}

function lockBody(request: RemotingCommand): LockBody {
  const body = parseBody(request, 'LockBatchRequestBody');
  const consumerGroup = body.consumerGroup;
  const clientId = body.clientId;
  if (typeof consumerGroup !== 'string' || typeof clientId !== 'string') fail(ResponseCode.SYSTEM_ERROR, 'the lock body needs consumerGroup and clientId');
  const mqSet = (Array.isArray(body.mqSet) ? body.mqSet : []).map((v) => {
    const o = v as Record<string, unknown>;
    return { topic: String(o.topic), brokerName: String(o.brokerName), queueId: Number(o.queueId) };
  });
  return { consumerGroup, clientId, mqSet };
}

const lockBatchMQ: BrokerRequestHandler = (ctx, _channel, request) => {
  const b = lockBody(request);
  const locked = ctx.rebalanceLockManager.tryLockBatch(b.consumerGroup, b.mqSet, b.clientId);
  return bodyResponse(toFastJson({ lockOKMQSet: locked.map((mq) => ({ brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic })) }));
};

const unlockBatchMQ: BrokerRequestHandler = (ctx, _channel, request) => {
  const b = lockBody(request);
  ctx.rebalanceLockManager.unlockBatch(b.consumerGroup, b.mqSet, b.clientId);
  return codeResponse(ResponseCode.SUCCESS);
};

export const LOCK_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.LOCK_BATCH_MQ, lockBatchMQ],
  [RequestCode.UNLOCK_BATCH_MQ, unlockBatchMQ],
];
