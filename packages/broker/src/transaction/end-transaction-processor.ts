/**
 * EndTransactionProcessor (END_TRANSACTION, 37; rocketmq-protocol.md §4.5, §10): the producer's COMMIT / ROLLBACK of a
 * half message, sent oneway after the local transaction or in answer to CHECK_TRANSACTION_STATE. UNKNOW (0) leaves
 * the half message to the check-back.
 */
import { MessageConst, MessageSysFlag, decodeOffsetMessageId } from '@rockit/common';
import { EndTransactionRequestHeader, RequestCode, ResponseCode, ResumeCheckHalfMessageRequestHeader, decodeHeader } from '@rockit/remoting';
import { PutMessageStatus } from '@rockit/store';
import type { BrokerRequestHandler } from '../processors/context.js';
import { codeResponse } from '../processors/responses.js';
import { findProperty } from '../processors/stored-properties.js';

const endTransaction: BrokerRequestHandler = async (ctx, channel, request) => {
  const header = decodeHeader(request, EndTransactionRequestHeader);
  if (ctx.config.brokerRole === 'SLAVE') {
    return codeResponse(ResponseCode.SLAVE_NOT_AVAILABLE, 'Can not process end transaction request on slave broker');
  }
  const service = ctx.transactionalMessageService;
  const kind = header.commitOrRollback;
  const log = { producerGroup: header.producerGroup, msgId: header.msgId, fromTransactionCheck: header.fromTransactionCheck, client: channel.remoteAddress };
  if (kind !== MessageSysFlag.TRANSACTION_COMMIT_TYPE && kind !== MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
    ctx.logger.debug({ ...log, commitOrRollback: kind }, 'transaction state unknown, left to the check-back');
    return null;
  }
  const found = service.findHalf(header.commitLogOffset, header.producerGroup, header.tranStateTableOffset);
  if ('error' in found) {
    ctx.logger.warn({ ...log, commitLogOffset: header.commitLogOffset, reason: found.error }, 'END_TRANSACTION refused');
    return codeResponse(ResponseCode.SYSTEM_ERROR, found.error);
  }
  if (kind === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
    const ok = await service.deletePrepareMessage(found.half);
    return ok ? codeResponse(ResponseCode.SUCCESS) : codeResponse(ResponseCode.SYSTEM_ERROR, 'writing the op record failed');
  }
  const result = await service.commit(found.half);
  if (result.status !== PutMessageStatus.PUT_OK) return codeResponse(ResponseCode.SYSTEM_ERROR, result.remark ?? result.status);
  ctx.stats.incPut(findProperty(found.half.propertiesString, MessageConst.PROPERTY_REAL_TOPIC) ?? found.half.topic, 1, found.half.body.length);
  return codeResponse(ResponseCode.SUCCESS);
};

/**
 * RESUME_CHECK_HALF_MESSAGE (323, mqadmin): a message set aside in TRANS_CHECK_MAX_TIME_TOPIC goes back to the
 * half queue with TRANSACTION_CHECK_TIMES=0, so the check-back starts over for it.
 */
const resumeCheckHalfMessage: BrokerRequestHandler = async (ctx, _channel, request) => {
  const { msgId } = decodeHeader(request, ResumeCheckHalfMessageRequestHeader);
  let commitLogOffset: number;
  try {
    commitLogOffset = decodeOffsetMessageId(msgId ?? '').commitLogOffset;
  } catch {
    return codeResponse(ResponseCode.SYSTEM_ERROR, `not an offset message id: ${msgId}`);
  }
  const result = await ctx.transactionalMessageService.resumeCheckHalfMessage(commitLogOffset);
  return result === undefined ? codeResponse(ResponseCode.SUCCESS) : codeResponse(ResponseCode.SYSTEM_ERROR, result);
};

export const TRANSACTION_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.END_TRANSACTION, endTransaction],
  [RequestCode.RESUME_CHECK_HALF_MESSAGE, resumeCheckHalfMessage],
];
