/** QueryMessageProcessor (rocketmq-protocol.md §4.4): QUERY_MESSAGE by key and time range, VIEW_MESSAGE_BY_ID. */
import { MixAll } from '@rockit/common';
import {
  QueryMessageRequestHeader,
  QueryMessageResponseHeader,
  RequestCode,
  ResponseCode,
  ViewMessageRequestHeader,
  decodeHeader,
  encodeHeader,
  RemotingCommand,
} from '@rockit/remoting';
import type { BrokerRequestHandler } from './context.js';
import { bodyResponse, codeResponse } from './responses.js';

const queryMessage: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, QueryMessageRequestHeader);
  // A unique-key lookup asks for every hash collision the index holds, up to defaultQueryMaxNum.
  const maxNum = request.extFields?.[MixAll.UNIQUE_MSG_QUERY_FLAG] === 'true' ? ctx.config.defaultQueryMaxNum : h.maxNum;
  const result = ctx.store.queryMessage(h.topic, h.key, maxNum, h.beginTimestamp, h.endTimestamp);
  const ext = encodeHeader(
    { indexLastUpdateTimestamp: result.indexLastUpdateTimestamp, indexLastUpdatePhyoffset: result.indexLastUpdatePhyoffset },
    QueryMessageResponseHeader,
  );
  if (result.bufferTotalSize === 0) {
    return RemotingCommand.createResponse(ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct', ext);
  }
  const response = RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, ext);
  response.setBodyParts(result.messageBufferList, result.bufferTotalSize);
  return response;
};

const viewMessageById: BrokerRequestHandler = (ctx, _channel, request) => {
  const h = decodeHeader(request, ViewMessageRequestHeader);
  const record = ctx.store.lookMessageByOffset(h.offset);
  if (record === undefined) return codeResponse(ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${h.offset}`);
  return bodyResponse(record);
};

export const QUERY_PROCESSORS: ReadonlyArray<readonly [number, BrokerRequestHandler]> = [
  [RequestCode.QUERY_MESSAGE, queryMessage],
  [RequestCode.VIEW_MESSAGE_BY_ID, viewMessageById],
];
