/** PULL_MESSAGE (11), rocketmq-protocol.md §4.4 and §8. */
import { I, L, S, defineHeader, s, type HeaderOf } from './descriptor.js';

export const PullMessageRequestHeader = defineHeader('PullMessageRequestHeader', {
  consumerGroup: S,
  topic: S,
  queueId: I,
  queueOffset: L,
  maxMsgNums: I,
  sysFlag: I,
  commitOffset: L,
  suspendTimeoutMillis: L,
  subscription: s,
  subVersion: L,
  expressionType: s,
  bname: s,
});
export type PullMessageRequestHeader = HeaderOf<typeof PullMessageRequestHeader>;

export const PullMessageResponseHeader = defineHeader('PullMessageResponseHeader', {
  suggestWhichBrokerId: L,
  nextBeginOffset: L,
  minOffset: L,
  maxOffset: L,
});
export type PullMessageResponseHeader = HeaderOf<typeof PullMessageResponseHeader>;
