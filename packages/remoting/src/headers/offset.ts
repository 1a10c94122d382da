/** Consumer offsets and queue offsets (codes 14, 15, 29-32), rocketmq-protocol.md §4.4. */
import { I, L, S, defineHeader, s, type HeaderOf } from './descriptor.js';

export const QueryConsumerOffsetRequestHeader = defineHeader('QueryConsumerOffsetRequestHeader', {
  consumerGroup: S,
  topic: S,
  queueId: I,
  bname: s,
});
export type QueryConsumerOffsetRequestHeader = HeaderOf<typeof QueryConsumerOffsetRequestHeader>;

export const QueryConsumerOffsetResponseHeader = defineHeader('QueryConsumerOffsetResponseHeader', { offset: L });
export type QueryConsumerOffsetResponseHeader = HeaderOf<typeof QueryConsumerOffsetResponseHeader>;

export const UpdateConsumerOffsetRequestHeader = defineHeader('UpdateConsumerOffsetRequestHeader', {
  consumerGroup: S,
  topic: S,
  queueId: I,
  commitOffset: L,
  bname: s,
});
export type UpdateConsumerOffsetRequestHeader = HeaderOf<typeof UpdateConsumerOffsetRequestHeader>;

export const GetMaxOffsetRequestHeader = defineHeader('GetMaxOffsetRequestHeader', { topic: S, queueId: I, bname: s });
export type GetMaxOffsetRequestHeader = HeaderOf<typeof GetMaxOffsetRequestHeader>;
export const GetMaxOffsetResponseHeader = defineHeader('GetMaxOffsetResponseHeader', { offset: L });

export const GetMinOffsetRequestHeader = defineHeader('GetMinOffsetRequestHeader', { topic: S, queueId: I, bname: s });
export type GetMinOffsetRequestHeader = HeaderOf<typeof GetMinOffsetRequestHeader>;
export const GetMinOffsetResponseHeader = defineHeader('GetMinOffsetResponseHeader', { offset: L });

export const SearchOffsetRequestHeader = defineHeader('SearchOffsetRequestHeader', {
  topic: S,
  queueId: I,
  timestamp: L,
  bname: s,
});
export type SearchOffsetRequestHeader = HeaderOf<typeof SearchOffsetRequestHeader>;
export const SearchOffsetResponseHeader = defineHeader('SearchOffsetResponseHeader', { offset: L });

export const GetEarliestMsgStoretimeRequestHeader = defineHeader('GetEarliestMsgStoretimeRequestHeader', {
  topic: S,
  queueId: I,
  bname: s,
});
export type GetEarliestMsgStoretimeRequestHeader = HeaderOf<typeof GetEarliestMsgStoretimeRequestHeader>;
export const GetEarliestMsgStoretimeResponseHeader = defineHeader('GetEarliestMsgStoretimeResponseHeader', {
  timestamp: L,
});

/** Every response header of this family that carries only `offset`. */
export type OffsetResponseHeader = HeaderOf<typeof QueryConsumerOffsetResponseHeader>;
